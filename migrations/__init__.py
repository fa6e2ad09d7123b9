"""Alembic revisions: the source of truth for the schema on SQLite and PostgreSQL."""
