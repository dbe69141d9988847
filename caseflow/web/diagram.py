"""The lifecycle drawn as SVG on the server, from the workflow definition itself.

States stand in one column in the file's order. A transition to the next state is an arrow
straight down; the others run in lanes beside the column: forward ones on the right, backward
ones on the left. A lane may serve one trigger from several states (start_review).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from caseflow.domain.workflow import TransitionDef, WorkflowDef

BOX_W, BOX_H, ROW, LANE, MARGIN = 200, 40, 120, 26, 12
COLOURS = {"plain": "#1d4ed8", "approval": "#b45309", "automatic": "#6b7280"}


@dataclass
class Lane:
    transition: TransitionDef
    dest: int
    sources: list[int]
    side: str
    slot: int = 0
    ports: dict[int, float] = field(default_factory=dict)

    @property
    def span(self) -> tuple[int, int]:
        rows = [*self.sources, self.dest]
        return min(rows), max(rows)


def kind_of(transition: TransitionDef) -> str:
    if transition.automatic:
        return "automatic"
    return "approval" if transition.approval else "plain"


def draw(
    definition: WorkflowDef,
    state_name: Callable[[str], str],
    trigger_name: Callable[[str], str],
    title: str,
    highlight: str | None = None,
) -> Markup:
    """Return the SVG of a workflow; `highlight` marks one state (a household's)."""
    names = list(definition.states)
    row = {name: i for i, name in enumerate(names)}
    straight, lanes = _route(definition, row)
    left = _assign(lanes, "left")
    right = _assign(lanes, "right")
    _ports(lanes)
    x0 = MARGIN + (left + 1) * LANE
    width = x0 + BOX_W + (right + 1) * LANE + MARGIN
    height = MARGIN * 2 + len(names) * ROW - (ROW - BOX_H)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="wf-title" '
        f'class="diagram" font-family="sans-serif">',
        f'<title id="wf-title">{escape(title)}</title>',
        _markers(),
    ]
    for i, j, transition in straight:
        parts.append(_straight(x0, i, j, transition, trigger_name(transition.trigger)))
    for lane in lanes:
        parts.append(_lane(x0, lane, trigger_name(lane.transition.trigger)))
    for name in names:
        parts.append(
            _box(
                x0,
                row[name],
                state_name(name),
                definition.states[name].terminal,
                name == definition.initial,
                name == highlight,
            )
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _route(definition: WorkflowDef, row: dict[str, int]):
    straight: list[tuple[int, int, TransitionDef]] = []
    lanes: dict[tuple[str, int, str], Lane] = {}
    for transition in definition.transitions:
        j = row[transition.dest]
        for source in transition.sources:
            i = row[source]
            if j == i + 1 and not any(s[:2] == (i, j) for s in straight):
                straight.append((i, j, transition))
                continue
            side = "right" if j > i else "left"
            key = (transition.trigger, j, side)
            lanes.setdefault(key, Lane(transition, j, [], side)).sources.append(i)
    return straight, list(lanes.values())


def _assign(lanes: list[Lane], side: str) -> int:
    """Give each lane of a side the innermost slot where it crosses no other; return the count."""
    taken: list[list[tuple[int, int]]] = []
    for lane in sorted(
        (x for x in lanes if x.side == side), key=lambda x: (x.span[1] - x.span[0], x.span)
    ):
        low, high = lane.span
        slot = next(
            (k for k, spans in enumerate(taken) if all(high < a or b < low for a, b in spans)),
            len(taken),
        )
        if slot == len(taken):
            taken.append([])
        taken[slot].append((low, high))
        lane.slot = slot
    return len(taken)


def _ports(lanes: list[Lane]) -> None:
    """Spread the lanes' ends along each box's side, inner lanes nearest the box's middle."""
    ends: dict[tuple[int, str], list[Lane]] = {}
    for lane in lanes:
        for box in {*lane.sources, lane.dest}:
            ends.setdefault((box, lane.side), []).append(lane)
    for (box, _side), touching in ends.items():
        touching.sort(key=lambda x: x.slot)
        for k, lane in enumerate(touching):
            lane.ports[box] = box * ROW + MARGIN + BOX_H * (k + 1) / (len(touching) + 1)


def _markers() -> str:
    marks = "".join(
        f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" '
        f'fill="{colour}"/></marker>'
        for kind, colour in COLOURS.items()
    )
    return f"<defs>{marks}</defs>"


def _stroke(transition: TransitionDef) -> str:
    kind = kind_of(transition)
    dash = ' stroke-dasharray="5 4"' if kind == "automatic" else ""
    return f'fill="none" stroke="{COLOURS[kind]}" stroke-width="1.6"{dash}'


def _text(
    x: float,
    y: float,
    words: str,
    *,
    rotate: bool = False,
    size: int = 12,
    weight: str = "normal",
    anchor: str = "middle",
) -> str:
    turn = f' transform="rotate(-90 {x:.0f} {y:.0f})"' if rotate else ""
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" font-weight="{weight}" '
        f'text-anchor="{anchor}" dominant-baseline="middle" fill="#111827" stroke="#fff" '
        f'stroke-width="4" paint-order="stroke"{turn}>{escape(words)}</text>'
    )


def _straight(x0: int, i: int, j: int, transition: TransitionDef, words: str) -> str:
    centre = x0 + BOX_W / 2
    top, bottom = i * ROW + MARGIN + BOX_H, j * ROW + MARGIN
    return (
        f'<path d="M{centre:.0f} {top:.0f}V{bottom - 1:.0f}" {_stroke(transition)} '
        f'marker-end="url(#arrow-{kind_of(transition)})"/>'
        + _text(centre, (top + bottom) / 2, words)
    )


def _lane(x0: int, lane: Lane, words: str) -> str:
    right = lane.side == "right"
    edge = x0 + BOX_W if right else x0
    x = edge + (lane.slot + 1) * LANE * (1 if right else -1)
    kind, stroke = kind_of(lane.transition), _stroke(lane.transition)
    paths = [
        f'<path d="M{edge:.0f} {lane.ports[s]:.0f}H{x:.0f}V{lane.ports[lane.dest]:.0f}'
        f'H{edge + (1 if right else -1):.0f}" {stroke} marker-end="url(#arrow-{kind})"/>'
        for s in sorted(set(lane.sources))
    ]
    ys = [lane.ports[r] for r in (*lane.sources, lane.dest)]
    return "".join(paths) + _text(x, (min(ys) + max(ys)) / 2, words, rotate=True, size=11)


def _box(x0: int, i: int, words: str, terminal: bool, initial: bool, current: bool) -> str:
    y = i * ROW + MARGIN
    fill, stroke = ("#fde68a", "#b45309") if current else ("#eef2ff", "#4338ca")
    width = 3 if current or terminal else 1.5
    return (
        f'<rect x="{x0}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="{width}"/>'
        + _text(
            x0 + BOX_W / 2,
            y + BOX_H / 2,
            words,
            size=13,
            weight="bold" if initial or current else "normal",
        )
    )
