"""Folding names for accent-insensitive search: "nguyen thi hoa" finds "Nguyễn Thị Hoa"."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseflow.domain.text import fold, mask


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Thị Hoa", "nguyen thi hoa"),
        ("NGUYỄN THỊ HOA", "nguyen thi hoa"),
        ("Đặng Văn Đức", "dang van duc"),
        ("đặng", "dang"),
        ("Lê Thị Ánh Tuyết", "le thi anh tuyet"),
        ("Phạm  Ngọc\tƯớc ", "pham ngoc uoc"),
        ("Hồ Xuân Hương", "ho xuan huong"),
        ("Trương Mỹ Lan", "truong my lan"),
        ("", ""),
        ("   ", ""),
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold_lowers_case_drops_accents_and_squeezes_spaces(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_fold_does_not_depend_on_how_the_accents_are_encoded(form: str) -> None:
    assert fold(unicodedata.normalize(form, "Nguyễn Đặng")) == "nguyen dang"


def _folded_by_definition(text: str) -> str:
    """The rule fold keeps, written the slow plain way: each character looked up."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(bare.lower().split())


@given(st.text())
def test_fold_is_the_definition_for_any_text(text: str) -> None:
    # the stored search texts were folded by the definition: the quick way must agree
    assert fold(text) == _folded_by_definition(text)


def test_folding_twice_changes_nothing() -> None:
    once = fold("Võ Thị Sáu")

    assert fold(once) == once


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("036090001234", "*********234"),
        ("0912", "*912"),
        ("12", "12"),
        (None, None),
        ("", ""),
    ],
)
def test_mask_keeps_only_the_last_three_characters(value, masked):
    assert mask(value) == masked
