"""Server-rendered SVG charts: geometry only (plain values in, coordinates out).

Templates draw the shapes (templates/pilots/_charts.html) and always print the same
figures in a table next to the chart, so nothing is known only from a picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

Number = int | float | Decimal


@dataclass
class Bar:
    label: str
    value: Number
    y: float
    width: float
    series: int = 0


@dataclass
class BarChart:
    """Horizontal bars: labels on the left, one row per item (several series side by side)."""

    bars: list[Bar]
    height: float
    width: float = 640
    label_width: float = 220
    row_height: float = 34
    series_count: int = 1

    @property
    def plot_width(self) -> float:
        return self.width - self.label_width - 90


def bar_chart(rows: list[tuple[str, list[Number]]], width: float = 640) -> BarChart:
    """`rows` are (label, [value per series]); bars are scaled to the largest value."""
    series = max((len(values) for _label, values in rows), default=1) or 1
    peak = max((float(v) for _label, values in rows for v in values), default=0.0) or 1.0
    chart = BarChart(bars=[], height=0, width=width, series_count=series)
    bar_h = (chart.row_height - 10) / series
    for i, (label, values) in enumerate(rows):
        for s, value in enumerate(values):
            chart.bars.append(
                Bar(
                    label=label if s == 0 else "",
                    value=value,
                    y=i * chart.row_height + 4 + s * bar_h,
                    width=round(chart.plot_width * float(value) / peak, 1),
                    series=s,
                )
            )
    chart.height = max(len(rows), 1) * chart.row_height + 8
    return chart


@dataclass
class LineChart:
    points: list[tuple[float, float]] = field(default_factory=list)
    labels: list[tuple[float, str]] = field(default_factory=list)  # x, date label
    target_y: float | None = None
    baseline_y: float | None = None
    low: float = 0.0
    high: float = 1.0
    width: float = 640
    height: float = 220
    pad: float = 40

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


def line_chart(
    values: list[tuple[date, Number]],
    baseline: Number | None = None,
    target: Number | None = None,
    width: float = 640,
    height: float = 220,
) -> LineChart:
    """An indicator's values over time, with its baseline and target as horizontal lines."""
    chart = LineChart(width=width, height=height)
    numbers = [float(v) for _d, v in values]
    refs = [float(x) for x in (baseline, target) if x is not None]
    low = min([*numbers, *refs], default=0.0)
    high = max([*numbers, *refs], default=1.0)
    low = min(low, 0.0)
    if high == low:
        high = low + 1
    chart.low, chart.high = low, high
    inner_w, inner_h = width - 2 * chart.pad, height - 2 * chart.pad

    def y_of(v: float) -> float:
        return round(chart.pad + inner_h * (1 - (v - low) / (high - low)), 1)

    if values:
        first, last = values[0][0], values[-1][0]
        span = (last - first).days or 1
        for day, value in values:
            x = chart.pad + (inner_w * (day - first).days / span if last != first else inner_w / 2)
            chart.points.append((round(x, 1), y_of(float(value))))
            chart.labels.append((round(x, 1), day.strftime("%d/%m")))
    if target is not None:
        chart.target_y = y_of(float(target))
    if baseline is not None:
        chart.baseline_y = y_of(float(baseline))
    return chart
