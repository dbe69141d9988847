"""A survey's explanation is rendered from its numbers in the reader's language when shown."""

from __future__ import annotations

from datetime import date

import pytest
from flask import session

from caseflow import i18n
from caseflow.domain.classification import classify, explain
from caseflow.domain.standards import INDICATOR_KEYS, standard_in_force
from caseflow.services.definitions import standards

THREE = ("employment", "health_insurance", "water")
TWO = ("employment", "water")


@pytest.fixture
def vietnamese(app):
    with app.test_request_context("/"):
        session["lang"] = "vi"
        yield standard_in_force(standards(), date(2024, 6, 1))


def explained(standard, deprived, **income) -> str:
    given = {key: key in deprived for key in INDICATOR_KEYS}
    return i18n.render(explain(classify(standard, "rural", given, **income), standard))


def test_the_explanation_states_line_deprivations_and_class_in_vietnamese(vietnamese) -> None:
    assert explained(vietnamese, THREE, income_vnd=1_200_000) == (
        "Thu nhập bình quân 1.200.000 đ/người/tháng, không vượt chuẩn 1.500.000 đ (nông thôn); "
        "thiếu hụt 3/12 chỉ số (Việc làm, Bảo hiểm y tế, Nguồn nước sinh hoạt) ≥ 3: "
        "hộ nghèo theo chuẩn 07/2021."
    )


@pytest.mark.parametrize(
    ("income", "fragments"),
    [
        ({"income_vnd": 1_500_000}, ("1.500.000 đ", "2/12", "< 3", "hộ cận nghèo")),
        ({"income_vnd": 2_000_000}, ("vượt chuẩn 1.500.000 đ", "2.250.000 đ", "trung bình")),
        ({"income_vnd": 2_250_001}, ("2.250.000 đ", "hộ không nghèo", "trên mức sống")),
        ({"income_score": 141}, ("141 điểm", "140 điểm", "Việc làm, Nguồn nước sinh hoạt")),
    ],
)
def test_the_explanation_uses_the_line_and_class_of_the_result(vietnamese, income, fragments):
    text = explained(vietnamese, TWO, **income)
    for fragment in fragments:
        assert fragment in text
