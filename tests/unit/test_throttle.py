"""How long a login must wait: per (user name, address) pair, and per address trying names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from caseflow.domain import throttle

S = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("failures", "wait"),
    [
        (0, 0 * S),
        (1, 0 * S),
        (2, 0 * S),
        (3, 1 * S),
        (4, 2 * S),
        (5, 4 * S),
        (6, 8 * S),
        (12, 512 * S),
        (13, throttle.PAIR_MAX_WAIT),
        (1000, throttle.PAIR_MAX_WAIT),
    ],
)
def test_a_pair_waits_twice_as_long_after_each_failure_past_the_third(failures, wait) -> None:
    assert throttle.pair_wait(failures) == wait


@pytest.mark.parametrize(
    ("names", "wait"),
    [
        (0, 0 * S),
        (throttle.SPRAY_NAMES - 1, 0 * S),
        (throttle.SPRAY_NAMES, 1 * S),
        (throttle.SPRAY_NAMES + 3, 8 * S),
        (throttle.SPRAY_NAMES + 40, throttle.ADDRESS_MAX_WAIT),
    ],
)
def test_an_address_trying_many_names_waits_longer_with_each_name(names, wait) -> None:
    assert throttle.address_wait(names) == wait


NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("last", "wait", "left"),
    [
        (None, 4 * S, 0 * S),
        (NOW - 10 * S, 4 * S, 0 * S),
        (NOW - 3 * S, 4 * S, 1 * S),
        (NOW, 4 * S, 4 * S),
        (NOW - 2 * S, 0 * S, 0 * S),
    ],
)
def test_the_wait_left_counts_from_the_last_failure(last, wait, left) -> None:
    assert throttle.left(last, wait, NOW) == left


@pytest.mark.parametrize(
    ("left", "seconds"),
    [(timedelta(milliseconds=1), 1), (S, 1), (timedelta(seconds=1.2), 2), (900 * S, 900)],
)
def test_a_wait_is_told_in_whole_seconds_rounded_up(left, seconds) -> None:
    assert throttle.seconds(left) == seconds
