"""Conversation pieces that several handlers use: no routes here, and the handlers in handlers/
never import one another, only these (tests/test_structure.py holds them to it)."""
