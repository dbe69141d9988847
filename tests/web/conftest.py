"""Web fixtures: a client that logs in and posts forms as a person would, CSRF token included."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD, Api

TOKEN = re.compile(r'name="([\w-]*csrf_token)" type="hidden" value="([^"]+)"')


class Pages:
    """The test client speaking HTML: log in, open pages, send their forms back."""

    def __init__(self, client):
        self.client = client

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def token(self, url: str = "/login") -> str:
        """Return the CSRF token a page's forms carry (one per session)."""
        found = TOKEN.search(self.get(url).text)
        assert found, f"no CSRF token on {url}"
        return found.group(2)

    def post(
        self,
        url: str,
        data: dict | None = None,
        *,
        page: str | None = None,
        prefix: str = "",
        **kwargs,
    ):
        """Post a form as a browser would: with the token of the page it was on."""
        field = f"{prefix}-csrf_token" if prefix else "csrf_token"
        body = {field: self.token(page or url), **(data or {})}
        return self.client.post(url, data=body, **kwargs)

    def login(self, who: str, password: str = PASSWORD):
        response = self.post("/login", {"username": who, "password": password})
        assert response.status_code == 302, response.text
        return response

    def logout(self):
        return self.post("/logout", page="/")

    def english(self):
        return self.post("/language", {"lang": "en", "next": "/"}, page="/workflow")


@pytest.fixture
def pages(client, world) -> Pages:
    return Pages(client)


@pytest.fixture
def api_as(client, world) -> Api:
    """The JSON API on the same database, to put households where a test needs them."""
    return Api(client, world)
