"""invite keys: codes stored as keyed hashes, and invites that can be taken back

Invite codes were stored as their SHA-256, which a copy of the database lets anyone test
against every possible code. They are now stored as HMAC-SHA256 with CHIBO_SECRET over that
SHA-256 (models/people.py hash_code), so the stored hashes are re-keyed here when the secret is
known; without it, codes not yet used cannot be re-keyed and are made expired (the operator
makes new ones). `revoked_at` marks an invite taken back before use (`chibo invite revoke`).

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-01 20:30:00
"""

import hashlib
import hmac
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import context, op
from sqlmodel.sql.sqltypes import UTCDateTime

revision = '0016'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    invite = sa.table('invite', sa.column('id', sa.Integer), sa.column('code_hash', sa.String),
                      sa.column('used_at', UTCDateTime()), sa.column('expires_at', UTCDateTime()))
    connection = op.get_bind()
    secret = context.config.attributes.get("secret")
    if secret:
        key = secret.encode()
        rows = connection.execute(sa.select(invite.c.id, invite.c.code_hash)).all()
        for row in rows:
            keyed = hmac.new(key, row.code_hash.encode(), hashlib.sha256).hexdigest()
            connection.execute(sa.update(invite).where(invite.c.id == row.id).values(code_hash=keyed))
        return
    now = datetime.now(UTC)
    connection.execute(sa.update(invite).where(invite.c.used_at.is_(None), invite.c.expires_at > now)
                       .values(expires_at=now))


def downgrade() -> None:
    # The keyed hashes cannot be turned back into plain SHA-256: the codes stay unusable.
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
