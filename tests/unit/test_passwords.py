"""Passwords: at least 10 characters, not containing the user name, not a common one."""

from __future__ import annotations

import pytest

from caseflow.domain import passwords
from caseflow.domain.errors import InvalidInput


@pytest.mark.parametrize(
    "password", ["mật-khẩu-thử-1", "caseflow-demo", "đồng lúa chín vàng", "Tr3n-d0i-c4o-v0i-v0i"]
)
def test_a_long_uncommon_password_is_accepted(password) -> None:
    passwords.check(password, "chutich.haidong")


@pytest.mark.parametrize(
    ("password", "because"),
    [
        ("ngan-qua", "at least 10 characters"),
        ("123456789", "at least 10 characters"),
        ("chutich.haidong", "user name"),
        ("CHUTICH.HAIDONG-2026", "user name"),
        ("chutichhaidong!!", "user name"),
        ("matkhau123", "most common"),
        ("Mật khẩu 123", "most common"),
        ("VIETNAM123", "most common"),
        ("1234567890", "most common"),
        ("qwertyuiop", "most common"),
        ("anh-yeu-em-123", "most common"),
    ],
)
def test_a_weak_password_is_refused_saying_why(password, because) -> None:
    with pytest.raises(InvalidInput) as refused:
        passwords.check(password, "chutich.haidong")

    assert because in refused.value.message
    assert set(refused.value.fields) == {"password"}


def test_a_very_short_user_name_may_occur_in_a_password() -> None:
    passwords.check("an-toàn-trước-đã", "an")


def test_the_bundled_list_holds_a_few_thousand_passwords_with_vietnamese_favourites() -> None:
    common = passwords.common()

    assert len(common) > 3000
    assert {"matkhau123", "123456789", "vietnam123", "anhyeuem", "password"} <= common
