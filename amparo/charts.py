"""Server-rendered SVG charts (pure; no JavaScript): the same markup serves the web pages
and the PDF reports, prints in black and white, and carries a text title for screen
readers. Colours are the Okabe-Ito palette."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

INK, GRID, LINE, TARGET, MARK = "#1d2430", "#d7dce3", "#0072B2", "#D55E00", "#009E73"


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.1f}"


def line_chart(
    points: Sequence[tuple[date, float]],
    *,
    title: str,
    target: float | None = None,
    baseline: float | None = None,
    marks: Sequence[tuple[date, str]] = (),
    width: int = 640,
    height: int = 220,
) -> str:
    """A line over time with the target (dashed) and baseline (dotted) as horizontal lines
    and vertical marks for events such as a measure implemented."""
    if not points:
        return ""
    left, right, top, bottom = 48, 12, 24, 28
    values = [v for _, v in points] + [v for v in (target, baseline) if v is not None]
    low, high = min(0.0, *values), max(values) or 1.0
    if high == low:
        high = low + 1
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    x = lambda d: left + (width - left - right) * (d - first).days / span  # noqa: E731
    y = lambda v: top + (height - top - bottom) * (1 - (v - low) / (high - low))  # noqa: E731
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for fraction in (0, 0.5, 1):
        value = low + (high - low) * fraction
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}" stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'fill="{INK}">{_fmt(value)}</text>'
        )
    parts.append(f'<text x="{left}" y="{height - 8}" fill="{INK}">{first.isoformat()[:7]}</text>')
    parts.append(
        f'<text x="{width - right}" y="{height - 8}" text-anchor="end" fill="{INK}">'
        f"{last.isoformat()[:7]}</text>"
    )
    for day, label in marks:
        if first <= day <= last:
            parts.append(
                f'<line x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{top}" '
                f'y2="{height - bottom}" stroke="{MARK}" stroke-width="1.5">'
                f"<title>{escape(label)}</title></line>"
            )
    for value, dash, colour in ((target, "6 4", TARGET), (baseline, "2 3", INK)):
        if value is not None:
            parts.append(
                f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" '
                f'y2="{y(value):.1f}" stroke="{colour}" stroke-dasharray="{dash}"/>'
            )
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x(d):.1f},{y(v):.1f}" for i, (d, v) in enumerate(points)
    )
    parts.append(f'<path d="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    # Every point carries its value as a title, as a screen reader hears it: a long series
    # gets smaller dots, never none (the line alone gives only approximate values, and the
    # disclosure audit reads what each point says).
    radius = 2.5 if len(points) <= 40 else 1.2
    for d, v in points:
        parts.append(
            f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="{radius}" fill="{LINE}">'
            f"<title>{d.isoformat()[:7]}: {_fmt(v)}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(rows: Sequence[tuple[str, float]], *, title: str, width: int = 480) -> str:
    """Horizontal bars with their values, one row per label."""
    if not rows:
        return ""
    row_height, left, right = 22, 150, 48
    height = row_height * len(rows) + 8
    high = max((v for _, v in rows), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = 4 + index * row_height
        length = (width - left - right) * value / high
        parts.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" fill="{INK}">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row_height - 8}" '
            f'fill="{LINE}"/>'
        )
        parts.append(
            f'<text x="{left + length + 4:.1f}" y="{y + 14}" fill="{INK}">{_fmt(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
