"""The flow engine: declarative conversations, one database row of state per chat."""
