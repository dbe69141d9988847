"""The lifecycle drawn on the server as SVG, from the workflow file itself."""

from __future__ import annotations

import re

import pytest

STATES_VI = [
    "Đã đăng ký",
    "Đang rà soát",
    "Đã phân loại",
    "Đang niêm yết",
    "Đã công nhận",
    "Đang được hỗ trợ",
    "Theo dõi sau thoát nghèo",
    "Hoàn thành theo dõi",
]
TRIGGERS_VI = [
    "Bắt đầu rà soát",
    "Phân loại",
    "Họp thôn thống nhất",
    "Họp thôn không thống nhất",
    "Khiếu nại",
    "Công nhận hộ nghèo/cận nghèo",
    "Không công nhận",
    "Công nhận thoát nghèo",
    "Phê duyệt kế hoạch hỗ trợ",
    "Tái nghèo",
    "Hoàn thành 36 tháng theo dõi",
]


def picture(html: str) -> str:
    return re.search(r"<svg.*?</svg>", html, re.DOTALL).group(0)


def test_the_picture_names_every_state_and_every_step(pages) -> None:
    pages.login("worker")

    svg = picture(pages.get("/workflow").text)

    texts = re.findall(r"<text[^>]*>([^<]+)</text>", svg)
    assert [t for t in texts if t in STATES_VI] == STATES_VI
    assert set(TRIGGERS_VI) <= set(texts)
    assert svg.count("<rect") == len(STATES_VI)


def test_the_picture_speaks_english_after_the_switch(pages) -> None:
    pages.login("worker")
    pages.english()

    svg = picture(pages.get("/workflow").text)

    assert ">Posted<" in svg and ">Recognise as poor/near-poor<" in svg


@pytest.mark.parametrize(("state", "marked"), [("posted", 1), ("nowhere", 0)])
def test_a_state_may_be_marked(pages, state, marked) -> None:
    pages.login("worker")

    svg = picture(pages.get(f"/workflow?state={state}").text)

    assert svg.count('fill="#fde68a"') == marked


def test_steps_needing_approval_and_automatic_ones_are_drawn_apart(pages) -> None:
    pages.login("worker")

    svg = picture(pages.get("/workflow").text)

    assert svg.count('marker-end="url(#arrow-approval)"') == 4  # recognise, decline, exit, plan
    assert 'stroke-dasharray="5 4"' in svg  # classify and graduate, by the system
    assert "<script" not in svg
