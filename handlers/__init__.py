"""The conversations: one module per thing a person wants to do, channel-neutral."""
