"""Bar charts drawn as SVG on the server: no script, no library, readable on a phone."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

WIDTH, LABEL_W, BAR_H, GAP, TOP = 480, 170, 18, 8, 8
PALETTE = ("#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f", "#6b7280")


def bar_chart(
    rows: Sequence[tuple[str, float]], title: str, chart_id: str, show: Callable[[float], str] = str
) -> Markup:
    """Return a horizontal bar chart of (label, value) rows, each value written at its bar."""
    top = max((value for _, value in rows), default=0) or 1
    room = WIDTH - LABEL_W - 70
    height = TOP * 2 + len(rows) * (BAR_H + GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{chart_id}" '
        f'class="chart" font-family="sans-serif" font-size="12">'
        f'<title id="{chart_id}">{escape(title)}</title>'
    ]
    for k, (label, value) in enumerate(rows):
        y = TOP + k * (BAR_H + GAP)
        length = max(room * value / top, 1 if value else 0)
        middle = y + BAR_H / 2
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{middle:.0f}" text-anchor="end" '
            f'dominant-baseline="middle" fill="#111827">{escape(_short(label))}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{length:.1f}" height="{BAR_H}" rx="2" '
            f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(label)}: '
            f"{escape(show(value))}</title></rect>"
            f'<text x="{LABEL_W + length + 6:.1f}" y="{middle:.0f}" dominant-baseline="middle" '
            f'fill="#111827">{escape(show(value))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
