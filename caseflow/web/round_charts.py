"""A round's progress drawn on the server as SVG: one bar per village, split by step."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from markupsafe import Markup, escape

WIDTH, LABEL_W, BAR_H, GAP, TOP, COUNT_W = 560, 150, 18, 10, 6, 56
#: a colour per step, from listed (grey) to decided (green)
COLOURS = ("#9ca3af", "#1d4ed8", "#7c3aed", "#b45309", "#be123c", "#047857")


def progress_bars(
    rows: Sequence[tuple[str, Mapping[str, int]]],
    steps: Sequence[str],
    step_label: Callable[[str], str],
    title: str,
    chart_id: str,
    show: Callable[[float], str] = str,
) -> Markup:
    """Return stacked horizontal bars: each row is (label, {step: count}), its bar as long as
    the row's households, split by step; the count is written at its end."""
    top = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    room = WIDTH - LABEL_W - COUNT_W
    legend, legend_h = _legend(steps, step_label, TOP + len(rows) * (BAR_H + GAP))
    height = TOP * 2 + len(rows) * (BAR_H + GAP) + legend_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{chart_id}" '
        f'class="chart" font-family="sans-serif" font-size="12">'
        f'<title id="{chart_id}">{escape(title)}</title>'
    ]
    for k, (label, counts) in enumerate(rows):
        y = TOP + k * (BAR_H + GAP)
        middle = y + BAR_H / 2
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{middle:.0f}" text-anchor="end" '
            f'dominant-baseline="middle" fill="#111827">{escape(_short(label))}</text>'
        )
        x = float(LABEL_W)
        for index, step in enumerate(steps):
            count = counts.get(step, 0)
            if not count:
                continue
            length = room * count / top
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{BAR_H}" '
                f'fill="{COLOURS[index % len(COLOURS)]}"><title>{escape(label)}, '
                f"{escape(step_label(step))}: {escape(show(count))}</title></rect>"
            )
            x += length
        parts.append(
            f'<text x="{x + 6:.1f}" y="{middle:.0f}" dominant-baseline="middle" '
            f'fill="#111827">{escape(show(sum(counts.values())))}</text>'
        )
    parts.append(legend)
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend(steps: Sequence[str], step_label: Callable[[str], str], y: float) -> tuple[str, float]:
    """The colours' key, on as many lines as it needs; and its height."""
    parts, x, line, start = [], 4.0, 18, y
    for index, step in enumerate(steps):
        name = step_label(step)
        width = 20 + 6.6 * len(name)
        if x > 4 and x + width > WIDTH:
            x, y = 4.0, y + line
        parts.append(
            f'<rect x="{x:.0f}" y="{y + 4:.0f}" width="10" height="10" '
            f'fill="{COLOURS[index % len(COLOURS)]}"/>'
            f'<text x="{x + 14:.0f}" y="{y + 9:.0f}" dominant-baseline="middle" '
            f'font-size="11" fill="#111827">{escape(name)}</text>'
        )
        x += width
    return "".join(parts), y - start + line + 4


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
