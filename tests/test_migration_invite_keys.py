"""Migration 0016: invite codes stored before it (their plain SHA-256) are re-keyed with
CHIBO_SECRET and still link; without the secret, those not yet used are made expired."""

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.migrate import upgrade
from models.people import hash_code
from tests.support import INVITE_KEY, TEST_SECRET
from tests.test_migrations import empty_database_url, inspect  # noqa: F401  (a fixture)

NOW = datetime.now(UTC)
OLD_CODE = "K7QM2XHP4R"


async def stored_before_0016(url: str) -> None:
    await asyncio.to_thread(upgrade, url, "0011")

    def fill(conn) -> None:
        conn.execute(sa.text("INSERT INTO organisation (id, name, kind, path, is_student, meeting_day, created_at) "
                             "VALUES (1, 'Chi bộ A', 'branch', '/1/', false, 5, :now)"), {"now": NOW})
        for code, expires, used in ((OLD_CODE, NOW + timedelta(days=5), None),
                                    ("USEDCODE22", NOW + timedelta(days=5), NOW)):
            conn.execute(sa.text("INSERT INTO invite (code_hash, role, org_id, expires_at, used_at, created_at) "
                                 "VALUES (:h, 'secretary', 1, :e, :u, :now)"),
                         {"h": hashlib.sha256(code.encode()).hexdigest(), "e": expires, "u": used, "now": NOW})

    from bot.db import make_engine
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(fill)
    finally:
        await engine.dispose()


def invites(conn) -> list[tuple]:
    return [tuple(r) for r in conn.execute(sa.text(
        "SELECT code_hash, expires_at, used_at, revoked_at FROM invite ORDER BY id")).all()]


@pytest.mark.parametrize("secret", [TEST_SECRET, None])
async def test_codes_stored_before_are_re_keyed_with_the_secret_or_else_expired(empty_database_url, secret):
    await stored_before_0016(empty_database_url)
    await asyncio.to_thread(upgrade, empty_database_url, "head", secret)
    rows = await inspect(empty_database_url, invites)
    [(fresh_hash, fresh_expiry, fresh_used, revoked), (used_hash, used_expiry, _, _)] = rows
    assert revoked is None and fresh_used is None
    if secret:
        assert fresh_hash == hash_code(OLD_CODE, INVITE_KEY) and used_hash == hash_code("USEDCODE22", INVITE_KEY)
        assert str(fresh_expiry)[:10] == str(NOW + timedelta(days=5))[:10]
    else:
        assert fresh_hash == hashlib.sha256(OLD_CODE.encode()).hexdigest()
        assert str(fresh_expiry) < str(NOW + timedelta(days=1))  # expired at the upgrade
        assert str(used_expiry)[:10] == str(NOW + timedelta(days=5))[:10]  # a used one is left as it was
