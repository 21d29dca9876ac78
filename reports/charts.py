"""Server-rendered inline SVG charts (no JS library, no CDN). Each chart is an ``<svg role="img">`` with a
``<title>`` and ``<desc>`` for screen readers and a ``<title>`` on every mark as a hover tooltip; the page
always shows the same numbers in a table next to it (the no-JS / screen-reader fallback).
SLA band marks take their colour from the one band family in static/css/app.css (``seg sla-<band>``);
other marks carry a ``fill``/``stroke`` attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

_ids = count(1)
BAR_COLOUR = "#3b6fd8"
LINE_COLOURS = ["#3b6fd8", "#1e8e3e", "#c5221f", "#d39e00", "#7b3fbf", "#00838f", "#5f6368"]


def _fmt(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _open(title: str, desc: str, width: int, height: int, css: str) -> str:
    uid = f"chart{next(_ids)}"
    return format_html(
        '<svg class="chart {}" role="img" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{}-t {}-d" xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title>'
        '<desc id="{}-d">{}</desc>',
        css,
        width,
        height,
        uid,
        uid,
        uid,
        title,
        uid,
        desc,
    )


def _axis(x0: int, y0: int, x1: int, y_top: int, y_max: float, unit: str) -> str:
    parts = [
        format_html('<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"/>', x0, y0, x1, y0)
    ]
    for frac in (0.5, 1.0):
        y = y0 - (y0 - y_top) * frac
        parts.append(
            format_html(
                '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ddd" stroke-dasharray="3 3"/>'
                '<text class="tick" x="{}" y="{}" text-anchor="end">{}{}</text>',
                x0,
                round(y, 1),
                x1,
                round(y, 1),
                x0 - 4,
                round(y + 4, 1),
                _fmt(round(y_max * frac, 1)),
                unit,
            )
        )
    return "".join(parts)


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    unit: str = "",
    width: int = 420,
    height: int = 180,
) -> SafeString:
    """One bar per label."""
    desc = "; ".join(f"{label}: {_fmt(v)}{unit}" for label, v in zip(labels, values, strict=True))
    y_max = max([*values, 1])
    left, bottom, top = 40, height - 24, 10
    slot = (width - left - 10) / max(len(labels), 1)
    parts = [
        _open(title, desc, width, height, "bar-chart"),
        _axis(left, bottom, width - 10, top, y_max, unit),
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = (bottom - top) * value / y_max
        x = left + i * slot + slot * 0.15
        parts.append(
            format_html(
                '<g><title>{}: {}{}</title><rect class="bar" x="{}" y="{}" width="{}" height="{}" '
                'fill="{}"/></g>'
                '<text class="label" x="{}" y="{}" text-anchor="middle">{}</text>',
                label,
                _fmt(value),
                unit,
                round(x, 1),
                round(bottom - h, 1),
                round(slot * 0.7, 1),
                round(h, 1),
                BAR_COLOUR,
                round(x + slot * 0.35, 1),
                bottom + 15,
                label,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece above went through format_html


def stacked_bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    *,
    unit: str = "",
    width: int = 420,
    height: int = 190,
) -> SafeString:
    """Stacked bars; ``series`` = [(name, palette/css key, values per label)]."""
    totals = [sum(s[2][i] for s in series) for i in range(len(labels))]
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{name} {_fmt(vals[i])}{unit}" for name, _k, vals in series)
        for i, label in enumerate(labels)
    )
    y_max = max([*totals, 1])
    left, bottom, top = 40, height - 24, 20
    slot = (width - left - 10) / max(len(labels), 1)
    parts = [
        _open(title, desc, width, height, "stacked-chart"),
        _axis(left, bottom, width - 10, top, y_max, unit),
    ]
    for i, label in enumerate(labels):
        x, y = left + i * slot + slot * 0.15, float(bottom)
        for name, key, vals in series:
            h = (bottom - top) * vals[i] / y_max
            if h > 0:
                y -= h
                parts.append(
                    format_html(
                        '<g><title>{} {}: {}{}</title><rect class="seg sla-{}" x="{}" y="{}" width="{}" '
                        'height="{}"/></g>',
                        label,
                        name,
                        _fmt(vals[i]),
                        unit,
                        key,
                        round(x, 1),
                        round(y, 1),
                        round(slot * 0.7, 1),
                        round(h, 1),
                    )
                )
        parts.append(_label(round(x + slot * 0.35, 1), bottom + 15, label))
    parts.append(_legend([(name, f"sla-{key}") for name, key, _v in series], left, width, by_class=True))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    unit: str = "%",
    y_max: float | None = 100,
    width: int = 420,
    height: int = 190,
) -> SafeString:
    """One polyline per series; ``None`` values leave a gap (no data that week)."""
    desc = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{lab} {'no data' if v is None else _fmt(v) + unit}" for lab, v in zip(labels, vals, strict=True)
        )
        for name, vals in series
    )
    top_value = y_max or max([v for _n, vals in series for v in vals if v is not None] + [1])
    left, bottom, top = 40, height - 24, 20
    step = (width - left - 20) / max(len(labels) - 1, 1)
    parts = [
        _open(title, desc, width, height, "line-chart"),
        _axis(left, bottom, width - 10, top, top_value, unit),
    ]
    parts += [
        _label(round(left + i * step, 1), bottom + 15, label)
        for i, label in enumerate(labels)
        if len(labels) <= 12 or i % 2 == 0
    ]
    legend = []
    for n, (name, vals) in enumerate(series):
        colour = LINE_COLOURS[n % len(LINE_COLOURS)]
        legend.append((name, colour))
        points = [
            None if v is None else (left + i * step, bottom - (bottom - top) * v / top_value, v)
            for i, v in enumerate(vals)
        ]
        parts += _polylines(name, points, colour, unit)
    parts.append(_legend(legend, left, width))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308


def _label(x: float, y: float, text: str) -> str:
    return format_html('<text class="label" x="{}" y="{}" text-anchor="middle">{}</text>', x, y, text)


def _polylines(
    name: str, points: Sequence[tuple[float, float, float] | None], colour: str, unit: str
) -> list[str]:
    """A series' line, broken where a value is missing (``None``), and a dot with a tooltip per value."""
    segments: list[list[tuple[float, float, float]]] = [[]]
    for point in points:
        if point is None:
            segments.append([])
        else:
            segments[-1].append(point)
    parts: list[str] = []
    for seg in segments:
        if len(seg) > 1:
            line = " ".join(f"{round(x, 1)},{round(y, 1)}" for x, y, _v in seg)
            parts.append(
                format_html(
                    '<polyline class="line" points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                    line,
                    colour,
                )
            )
        parts += [
            format_html(
                '<g><title>{}: {}{}</title><circle cx="{}" cy="{}" r="3" fill="{}"/></g>',
                name,
                _fmt(v),
                unit,
                round(x, 1),
                round(y, 1),
                colour,
            )
            for x, y, v in seg
        ]
    return parts


def _legend(items: Sequence[tuple[str, str]], left: int, width: int, *, by_class: bool = False) -> str:
    """``items`` = [(name, colour)], or [(name, css class)] with ``by_class`` (band colours from CSS)."""
    parts, x = ['<g class="legend">'], float(left + 4)
    swatch = (
        '<rect class="seg {}" x="{}" y="2" width="9" height="9"/>'
        if by_class
        else '<rect fill="{}" x="{}" y="2" width="9" height="9"/>'
    )
    for name, colour in items:
        parts.append(
            format_html(
                swatch + '<text x="{}" y="10">{}</text>',
                colour,
                round(x, 1),
                round(x + 12, 1),
                name,
            )
        )
        x += 18 + 7 * len(name)
        if x > width - 40:
            break
    parts.append("</g>")
    return "".join(parts)


__all__ = ["bar_chart", "stacked_bar_chart", "line_chart"]
