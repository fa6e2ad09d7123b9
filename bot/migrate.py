"""Apply Alembic migrations from code (`chibo db upgrade`, and at start)."""

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str, secret: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = database_url
    # CHIBO_SECRET, for a migration that re-keys stored hashes (0016: invite codes).
    config.attributes["secret"] = secret
    return config


def upgrade(database_url: str, revision: str = "head", secret: str | None = None) -> None:
    command.upgrade(alembic_config(database_url, secret), revision)


async def upgrade_async(database_url: str, secret: str | None = None) -> None:
    """env.py runs its own event loop, so it goes to a worker thread."""
    await asyncio.to_thread(upgrade, database_url, "head", secret)
