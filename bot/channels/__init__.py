"""Channels: each platform behind one small port (port.py)."""
