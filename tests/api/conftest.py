"""API tests read messages in English; the API answers in the language a client asks for."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english(client) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
