"""outbox without foreign keys: a queue written in bulk, not a record of the domain

On PostgreSQL every inserted row's foreign keys are checked by locking the person and
organisation rows (FOR KEY SHARE): in a reminder run of a million candidates that was
45 % of the biggest statement (18.2 s of which 8.1 s). The rows are selected from joins
with those tables in the same statement, and people and organisations are never deleted.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 22:30:00
"""

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# SQLite's foreign keys have no names: batch mode names them by this convention to drop them.
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
KEYS = [("person_id", "person"), ("branch_id", "organisation")]


def _name(column: str, table: str, dialect: str) -> str:
    """PostgreSQL's own name for the key; on SQLite the convention's (see NAMING)."""
    return f"fk_outbox_{column}_{table}" if dialect == "sqlite" else f"outbox_{column}_fkey"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("outbox", naming_convention=NAMING) as batch:
        for column, table in KEYS:
            batch.drop_constraint(_name(column, table, dialect), type_="foreignkey")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("outbox", naming_convention=NAMING) as batch:
        for column, table in KEYS:
            batch.create_foreign_key(_name(column, table, dialect), table, [column], ["id"])
