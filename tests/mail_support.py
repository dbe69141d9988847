"""Servers on loopback that the outbox delivers to: SMTP (aiosmtpd) and an HTTP webhook."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


class HoldingInbox(Inbox):
    """Receives the first message, then holds its connection open without answering (the
    sender cannot tell whether it went out) until released; the next ones are answered."""

    def __init__(self):
        super().__init__()
        self.holding = threading.Event()
        self.released = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        answer = await super().handle_DATA(server, session, envelope)
        if not self.holding.is_set():
            self.holding.set()
            while not self.released:
                await asyncio.sleep(0.05)
        return answer


def sent_to(inbox: Inbox) -> list[str]:
    return sorted(address for recipients, _ in inbox.messages for address in recipients)


class Listener(ThreadingHTTPServer):
    """A webhook receiver on loopback answering each POST with the next status of `answers`."""

    def __init__(self, answers=(200,)):
        self.received, self.answers = [], list(answers)
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/caseflow"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers), json.loads(body)))
        status = (
            self.server.answers.pop(0) if len(self.server.answers) > 1 else self.server.answers[0]
        )
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass
