"""A Gantt chart of planned events as an SVG string (pure; no JavaScript, prints well)."""

from __future__ import annotations

from datetime import date
from html import escape

from amparo.rollout.planner import PlanResult

# Colour-blind-safe palette (Okabe-Ito), dark enough for white labels and grey printers.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000"]


def _months(first: date, last: date) -> list[date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def gantt_svg(
    result: PlanResult,
    *,
    stage_labels: dict[str, str],
    region_labels: dict[str, str],
    title: str,
    width: int = 960,
) -> str:
    """One row per region (ordered by its first event), one bar per event, labelled with
    its team, coloured by stage in the plan's stage order; month ticks along the top and a
    legend of stages underneath."""
    if not result.events:
        return ""
    first = min(e.start for e in result.events)
    last = max(e.end for e in result.events)
    span = max((last - first).days, 1)
    left, top, row, right = 130, 46, 24, 12
    rows = result.region_rows
    stage_order = result.stage_order
    legend_width = sum(24 + 6 * len(stage_labels.get(c, c)) for c in stage_order)
    legend_lines = 1 + legend_width // max(width - left - right, 1)
    height = top + row * len(rows) + 30 + 16 * legend_lines
    x = lambda d: left + (width - left - right) * (d - first).days / span  # noqa: E731
    colour = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(stage_order)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="gantt" font-family="sans-serif" '
        'font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    parts.append(f'<text x="{left}" y="{top - 22}" fill="#333">{first.isoformat()}</text>')
    for month in _months(first, last):
        if month <= first:
            continue
        mx = x(month)
        parts.append(f'<line x1="{mx:.1f}" y1="{top - 6}" x2="{mx:.1f}" '
                     f'y2="{top + row * len(rows)}" stroke="#ccc"/>')  # fmt: skip
        parts.append(f'<text x="{mx + 2:.1f}" y="{top - 10}" fill="#333">'
                     f"{month:%Y-%m}</text>")  # fmt: skip
    for index, region_row in enumerate(rows):
        region, y = region_row.region, top + index * row
        label = escape(region_labels.get(region, region))
        parts.append(f'<text x="4" y="{y + 16}" fill="#111">{label}</text>')
        for e in region_row.events:
            x0, x1 = x(e.start), x(e.end)
            tip = escape(
                f"{region_labels.get(region, region)} · {stage_labels.get(e.stage, e.stage)} · "
                f"{e.team} · {e.start.isoformat()} → {e.end.isoformat()}"
            )
            parts.append(
                f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 2):.1f}" height="{row - 8}" '
                f'fill="{colour.get(e.stage, "#555")}" stroke="#000" stroke-width="0.5">'
                f"<title>{tip}</title></rect>"
            )
            if x1 - x0 > 14:
                parts.append(f'<text x="{x0 + 2:.1f}" y="{y + 16}" fill="#fff">'
                             f"{escape(e.team)}</text>")  # fmt: skip
    legend_y = top + row * len(rows) + 22
    lx = left
    for code in stage_order:
        text = escape(stage_labels.get(code, code))
        needed = 24 + 6 * len(text)
        if lx + needed > width and lx > left:  # wrap the legend onto another line
            lx, legend_y = left, legend_y + 16
        parts.append(f'<rect x="{lx}" y="{legend_y - 9}" width="10" height="10" '
                     f'fill="{colour[code]}"/>')  # fmt: skip
        parts.append(f'<text x="{lx + 14}" y="{legend_y}" fill="#111">{text}</text>')
        lx += needed
    parts.append("</svg>")
    return "".join(parts)
