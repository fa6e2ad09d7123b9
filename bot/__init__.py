"""chibo's machinery: configuration, channels, the flow engine, the CLI."""
