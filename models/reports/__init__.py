"""Report figures (issue 15): plain values from set-based queries, never rendered here.

periods.py reads a period; monthly.py, elite.py, statistics.py and rollup.py compute one
report each. The writers (bot/reports/) turn them into files.
"""
