"""org code: a short code unique across chibo, so that "TP-7" names one candidate anywhere

Existing organisations get theirs from their names, in the order they were created.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 17:40:00
"""

import sqlalchemy as sa
from alembic import op

from models.org import org_code

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=12), nullable=True))
    bind = op.get_bind()
    taken: set[str] = set()
    for org_id, name in bind.execute(sa.text("SELECT id, name FROM organisation ORDER BY id")).all():
        code = org_code(name, taken)
        taken.add(code)
        bind.execute(sa.text("UPDATE organisation SET code = :code WHERE id = :id"), {"code": code, "id": org_id})
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_code'), ['code'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_code'))
        batch_op.drop_column('code')
