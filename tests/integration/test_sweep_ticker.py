"""The ticker (caseflow/scheduler.py): it only calls the sweep, and starts only where it should."""

from __future__ import annotations

from datetime import timedelta

import click
import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from caseflow import clock, scheduler
from tests.timers_support import posted_case


def test_tick_sweeps_what_is_due_now(world, ctx):
    case = posted_case(world, clock.today() - timedelta(days=20))
    scheduler.tick(ctx)
    assert [a.kind for a in case.alerts()] == ["reminder"]
    assert case.deadlines("fired").keys() == {"posting_end"}


def test_ticker_job_sweeps_every_configured_interval_one_at_a_time(ctx, monkeypatch):
    monkeypatch.setitem(ctx.config, "CASEFLOW_SWEEP_SECONDS", 7)
    ticker = BackgroundScheduler()
    scheduler._add_sweep(ticker, ctx, None)
    [job] = ticker.get_jobs()
    assert (job.id, job.func, job.trigger.interval, job.max_instances, job.coalesce) == (
        "sweep",
        scheduler.tick,
        timedelta(seconds=7),
        1,
        True,
    )


@pytest.mark.parametrize(
    ("command", "params", "reloader_child", "starts"),
    [
        (None, {}, False, False),  # gunicorn workers, tests, scripts: no click command at all
        ("sweep", {}, False, False),
        ("db", {}, False, False),
        ("run", {"reload": True}, False, False),  # the reloader's parent only watches files
        ("run", {"reload": True}, True, True),
        ("run", {"reload": False}, False, True),
    ],
)
def test_in_process_ticker_starts_only_in_the_serving_dev_server(
    ctx, monkeypatch, command, params, reloader_child, starts
):
    started = []
    monkeypatch.setattr(scheduler, "start_in_process", started.append)
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true" if reloader_child else "false")
    if command is None:
        assert scheduler.start_with_dev_server(ctx) is False
    else:
        with click.Context(click.Command(command), info_name=command) as context:
            context.params.update(params)
            assert scheduler.start_with_dev_server(ctx) is starts
    assert started == ([ctx] if starts else [])


def test_in_process_ticker_starts_once_per_process(ctx, monkeypatch):
    monkeypatch.setattr(scheduler, "_in_process", None)
    monkeypatch.setitem(ctx.config, "CASEFLOW_SWEEP_SECONDS", 3600)
    first = scheduler.start_in_process(ctx)
    try:
        assert scheduler.start_in_process(ctx) is first
        assert first.running and len(first.get_jobs()) == 1
    finally:
        first.shutdown(wait=True)
