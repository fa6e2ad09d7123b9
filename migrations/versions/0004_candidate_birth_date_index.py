"""candidate birth date index: who turns 18 this month is found without reading every candidate

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 21:30:00
"""

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f('ix_candidate_birth_date'), 'candidate', ['birth_date'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_candidate_birth_date'), table_name='candidate')
