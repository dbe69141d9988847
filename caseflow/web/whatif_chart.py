"""The what-if's chart: per class, the households now beside the range under another standard
(solid to the fewest, lighter to the most), as SVG made on the server."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

WIDTH, LABEL_W, BAR_H, PAIR_GAP, TOP = 480, 170, 14, 10, 8
NOW, UNDER, RANGE = "#1d4ed8", "#b45309", "#f59e0b"


def range_chart(
    rows: Sequence[tuple[str, int, int, int]],
    names: tuple[str, str, str],
    title: str,
    chart_id: str,
    show: Callable[[int], str] = str,
) -> Markup:
    """Draw (label, now, fewest, most) rows: a bar for now, a bar and its range for the other;
    ``names``: of now, of the other standard, and of its range's uncertain part."""
    top = max((max(now, most) for _, now, _, most in rows), default=0) or 1
    room = WIDTH - LABEL_W - 90
    height = TOP * 2 + len(rows) * (2 * BAR_H + PAIR_GAP) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{chart_id}" '
        f'class="chart" font-family="sans-serif" font-size="12">'
        f'<title id="{chart_id}">{escape(title)}</title>'
    ]
    for k, (label, now, fewest, most) in enumerate(rows):
        y = TOP + k * (2 * BAR_H + PAIR_GAP)
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR_H:.0f}" text-anchor="end" '
            f'dominant-baseline="middle" fill="#111827">{escape(label)}</text>'
        )
        parts.append(_bar(y, room * now / top, NOW, f"{names[0]}: {show(now)}", show(now)))
        span = show(fewest) if fewest == most else f"{show(fewest)}–{show(most)}"
        y2 = y + BAR_H
        parts.append(
            _bar(y2, room * most / top, RANGE, f"{names[1]}: {span}", span, room * fewest / top)
        )
    legend_y = height - 12
    for x, colour, name in zip((10, 100, 270), (NOW, UNDER, RANGE), names, strict=True):
        parts.append(_legend(x, legend_y, colour, name))
    parts.append("</svg>")
    return Markup("".join(parts))


def _bar(y: float, length: float, colour: str, hint: str, text: str, solid: float | None = None):
    """A bar `length` long; with `solid`, the part up to it darker (the sure part of a range)."""
    bar = f'<rect x="{LABEL_W}" y="{y}" width="{length:.1f}" height="{BAR_H - 2}" fill="{colour}">'
    bar += f"<title>{escape(hint)}</title></rect>"
    if solid is not None:
        bar += (
            f'<rect x="{LABEL_W}" y="{y}" width="{solid:.1f}" height="{BAR_H - 2}" fill="{UNDER}">'
            f"<title>{escape(hint)}</title></rect>"
        )
    return bar + (
        f'<text x="{LABEL_W + length + 6:.1f}" y="{y + BAR_H / 2:.0f}" '
        f'dominant-baseline="middle" fill="#111827">{escape(text)}</text>'
    )


def _legend(x: int, y: int, colour: str, name: str) -> str:
    return (
        f'<rect x="{x}" y="{y - 8}" width="10" height="10" fill="{colour}"/>'
        f'<text x="{x + 14}" y="{y}" fill="#111827">{escape(name)}</text>'
    )
