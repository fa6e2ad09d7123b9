"""`python -m bot` is the `chibo` command."""

from bot.cli import main

main()
