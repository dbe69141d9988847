"""Line charts drawn as SVG on the server (rates by year): no script, no library."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from caseflow.web.charts import PALETTE

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 480, 240, 48, 16, 16, 44


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    title: str,
    chart_id: str,
    show: Callable[[float], str] = str,
) -> Markup:
    """Return a chart of named series over the same x labels, each point's value in its title."""
    top = max((v for _, values in series for v in values), default=0) or 1
    room_x, room_y = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = room_x / max(len(labels) - 1, 1)

    def point(k: int, value: float) -> tuple[float, float]:
        return LEFT + k * step, TOP + room_y * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{chart_id}" '
        f'class="chart" font-family="sans-serif" font-size="12">'
        f'<title id="{chart_id}">{escape(title)}</title>'
        f'<line x1="{LEFT}" y1="{TOP + room_y}" x2="{WIDTH - RIGHT}" y2="{TOP + room_y}" '
        f'stroke="#6b7280"/>'
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" fill="#111827">'
        f"{escape(show(top))}</text>"
    ]
    for k, label in enumerate(labels):
        x, _ = point(k, 0)
        parts.append(
            f'<text x="{x:.1f}" y="{TOP + room_y + 16}" text-anchor="middle" '
            f'fill="#111827">{escape(label)}</text>'
        )
    for n, (name, values) in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        points = [point(k, v) for k, v in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for (x, y), label, value in zip(points, labels, values, strict=False):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)} {escape(label)}: {escape(show(value))}</title></circle>"
            )
        parts.append(
            f'<rect x="{LEFT + n * 160}" y="{HEIGHT - 14}" width="10" height="10" '
            f'fill="{colour}"/><text x="{LEFT + n * 160 + 14}" y="{HEIGHT - 5}" '
            f'fill="#111827">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
