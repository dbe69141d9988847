"""An import's reading, beside its writing: the file read and checked in a child process.

Reading a row and checking it by the API's schemas costs more than writing it. Where the
machine forks and has a second core, a child process reads and checks the file's chunks while
the import's own process writes those already checked, so the two overlap. The child opens
no connection and writes nothing to the database: it appends each checked chunk, pickled, to
a temporary file, and says through a pipe how long it is; the writer reads them there in
turn. So the reader never waits for the writer (with a pipe holding one chunk, each waited
for the other in turn: the writer on the members sheet, the reader on the households' and
the surveys'), and each side holds a chunk or two, whatever the file's size: the rest is on
disk, until the import ends. An import reads its surveys in a second child, from the file
opened anew (caseflow.services.imports): the surveys are checked while the households and
members are, and written as soon as they are. Elsewhere (one core, no fork, or
CASEFLOW_IMPORT_READ_ASIDE=0) the same reading runs in the import's process, each chunk read
just before it is written.

A refusal in the child (a sheet damaged past its first rows) is raised in the import's process
as it was raised; anything else the child meets fails the import with the child's traceback.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import current_app

from caseflow.domain.errors import DomainError


class ReadingFailed(RuntimeError):
    """The child reading the file failed on something that is not a refusal of the file."""


def aside() -> bool:
    """Tell whether imports read their files in a child process here."""
    return (
        current_app.config["CASEFLOW_IMPORT_READ_ASIDE"]  # config.py: 1
        and "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) > 1
    )


@contextmanager
def read_aside(produce: Callable[[], Iterator]) -> Iterator[Iterator]:
    """Yield the items `produce()` yields, made in a child process when `aside()`; leaving
    the block stops the child, whether or not every item was taken."""
    if not aside():
        yield produce()
        return
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    with tempfile.TemporaryFile() as spool:
        child = context.Process(target=_send, args=(produce, sending, spool), daemon=True)
        child.start()
        sending.close()
        try:
            yield _received(receiving, child, spool.fileno())
        finally:
            receiving.close()
            if child.is_alive():
                child.kill()
            child.join()


def _send(produce: Callable[[], Iterator], sending, spool) -> None:
    """The child: append each item to the spool and send its length, then the end; or what
    stopped it. (It leaves by os._exit, as multiprocessing's fork does: none of the parent's
    connections is closed from here.)"""
    try:
        for item in produce():
            data = pickle.dumps(item, pickle.HIGHEST_PROTOCOL)
            spool.write(data)
            spool.flush()
            sending.send(("item", len(data)))
        sending.send(("end", None))
    except DomainError as refusal:
        sending.send(("refused", refusal))
    except BaseException:
        sending.send(("failed", traceback.format_exc()))
    finally:
        sending.close()


def _received(receiving, child, spool: int) -> Iterator:
    """The items as the child sends them, read from the spool where it appended them (read
    at their offsets: the file's own position is the child's)."""
    offset = 0
    while True:
        try:
            kind, item = receiving.recv()
        except EOFError:  # killed (out of memory, a signal) before it said why
            child.join()
            raise ReadingFailed(
                f"the import's reader stopped (exit code {child.exitcode})"
            ) from None
        if kind == "item":
            data = os.pread(spool, item, offset)
            offset += item
            yield pickle.loads(data)
        elif kind == "end":
            return
        elif kind == "refused":
            raise item
        else:
            raise ReadingFailed(f"the import's reader failed:\n{item}")
