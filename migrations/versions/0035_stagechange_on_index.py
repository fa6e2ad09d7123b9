"""stagechange."on" indexed: the reports read the stage held at a period's end from the
changes made after it, and the quiet branches from the changes of the last 90 days; both are a
few recent rows out of millions (issue 15, the committee roll-up over 1,000,000 candidates)

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-02 00:00:00
"""

from alembic import op

revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_stagechange_on', 'stagechange', ['on'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_stagechange_on', table_name='stagechange')
