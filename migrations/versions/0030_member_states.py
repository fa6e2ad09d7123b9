"""the states the seeds name (issue 13 item 8): a graduate of a student branch (graduated_on),
a member received from another place with what was recorded there (received_from, received_on,
admitted_on, received_note), and an expulsion's decision (left_note)

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-02 05:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None

TEXTS = ('left_note', 'received_from', 'received_note')
DATES = ('graduated_on', 'received_on', 'admitted_on')


def upgrade() -> None:
    # Plain ADD COLUMN (see 0018: a batch would copy the table on SQLite).
    for name in TEXTS:
        op.add_column('partymember', sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    for name in DATES:
        op.add_column('partymember', sa.Column(name, sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('partymember', schema=None) as batch_op:
        for name in (*DATES, *TEXTS):
            batch_op.drop_column(name)
