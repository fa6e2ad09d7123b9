"""The fixture every database-backed unit test shares: one session on the demo, in a transaction."""

import pytest


@pytest.fixture
async def db(demo):
    async with demo.sessions() as session, session.begin():
        yield session
