"""The ticker: APScheduler calls the sweep every N seconds. It keeps no business state: the
deadlines are rows, its job store is memory, and several tickers at once are harmless."""

from __future__ import annotations

import atexit
import logging
import threading
from datetime import UTC, datetime

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from flask.helpers import get_debug_flag
from werkzeug.serving import is_running_from_reloader

logger = logging.getLogger(__name__)

_in_process: BackgroundScheduler | None = None
_starting = threading.Lock()


def tick(app: Flask) -> None:
    """Sweep once, then bring the reports' summary up to yesterday (once a day: one read on
    the other ticks), in an app context of its own."""
    from caseflow.extensions import db
    from caseflow.services import deadlines, report_summary

    with app.app_context():
        try:
            deadlines.sweep()
            db.session.remove()
            try:
                report_summary.extend()
            except Exception:  # the reports read the history meanwhile; the next tick tries again
                logger.exception("The reports' summary was not extended")
        finally:
            db.session.remove()


def _add_sweep(scheduler: BaseScheduler, app: Flask, seconds: int | None) -> None:
    seconds = seconds or app.config["CASEFLOW_SWEEP_SECONDS"]
    scheduler.add_job(
        tick,
        "interval",
        seconds=seconds,
        args=(app,),
        id="sweep",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    logger.info("Sweeping deadlines every %s s", seconds)


def run_forever(app: Flask, seconds: int | None = None) -> None:
    """Tick in the foreground until interrupted (`caseflow scheduler`)."""
    scheduler = BlockingScheduler(timezone=UTC)
    _add_sweep(scheduler, app, seconds)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        logger.info("Scheduler stopped")


def start_in_process(app: Flask) -> BackgroundScheduler:
    """Tick in a background thread of this process; a second call starts nothing more."""
    global _in_process
    with _starting:
        if _in_process is None:
            _in_process = BackgroundScheduler(timezone=UTC, daemon=True)
            _add_sweep(_in_process, app, None)
            _in_process.start()
            atexit.register(_stop, _in_process)
    return _in_process


def _stop(ticker: BackgroundScheduler) -> None:
    if ticker.running:
        ticker.shutdown(wait=False)


def start_with_dev_server(app: Flask) -> bool:
    """Tick inside `caseflow run` (the serving child when reloading); never elsewhere.

    Web workers (gunicorn) and other commands do not load the app from the `run` command,
    so they never start a ticker; production runs `caseflow scheduler` processes instead.
    """
    context = click.get_current_context(silent=True)
    if context is None or context.info_name != "run":
        return False
    reload = context.params.get("reload")
    if reload is None:
        reload = get_debug_flag()
    if reload and not is_running_from_reloader():
        return False  # the reloader's watching parent serves nothing
    start_in_process(app)
    return True
