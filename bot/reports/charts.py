"""A report's chart as PNG (matplotlib, Agg: no display needed), labelled in Vietnamese with
DejaVu Sans, the font matplotlib ships, which has the glyphs."""

from pathlib import Path

import matplotlib

from bot.reports.document import Chart

matplotlib.use("Agg")
from matplotlib import pyplot  # noqa: E402 - the backend is chosen before pyplot loads

SIZE_INCHES = (10, 5.6)
DPI = 100  # 1000 x 560 pixels
MOST_BARS = 30  # a roll-up of many branches shows the first ones (the files hold them all)


def write_png(chart: Chart, path: Path) -> Path:
    labels = chart.labels[:MOST_BARS]
    figure, axes = pyplot.subplots(figsize=SIZE_INCHES, dpi=DPI)
    try:
        width = 0.8 / max(len(chart.series), 1)
        for i, (name, values) in enumerate(chart.series.items()):
            positions = [x + (i - (len(chart.series) - 1) / 2) * width for x in range(len(labels))]
            bars = axes.bar(positions, values[:MOST_BARS], width, label=name)
            axes.bar_label(bars, fmt="%g")
        axes.set_title(chart.title, fontfamily="DejaVu Sans")
        axes.set_xticks(range(len(labels)), labels, rotation=20 if len(labels) > 4 else 0, ha="right"
                        if len(labels) > 4 else "center", fontsize=8, fontfamily="DejaVu Sans")
        axes.yaxis.get_major_locator().set_params(integer=True)
        if len(chart.series) > 1:
            axes.legend(prop={"family": "DejaVu Sans"})
        figure.tight_layout()
        figure.savefig(path, format="png")
    finally:
        pyplot.close(figure)
    return path
