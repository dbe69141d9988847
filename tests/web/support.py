"""Helpers of the web tests: households put where a test needs them, dates as pages show them,
and a check that every form field has a label."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

from caseflow import clock
from tests import factories
from tests.factories import Api


def posted(api: Api, **fields) -> int:
    """A household surveyed as poor, agreed at its meeting and posted three weeks ago."""
    return factories.posted(api, days=21, **fields)


def requested(api: Api, **fields) -> tuple[int, int]:
    """A posted household whose recognition a case worker asked for: (household, request)."""
    household = posted(api, **fields)
    asked = api.fire(household, "recognise")
    assert asked.status_code == 202, asked.json
    return household, asked.json["approval"]["id"]


class _Fields(HTMLParser):
    """Collect the form fields of a page and the fields its labels name."""

    def __init__(self):
        super().__init__()
        self.fields: list[str] = []
        self.labelled: set[str] = set()
        self.open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.labelled.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            name = attrs.get("id") or attrs.get("name") or "?"
            self.fields.append(name)
            if self.open_labels:
                self.labelled.add(name)

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


def unlabelled(html: str) -> list[str]:
    """Return the fields of a page that no label names."""
    found = _Fields()
    found.feed(html)
    return [name for name in found.fields if name not in found.labelled]


def today() -> str:
    """Today as a Vietnamese user types and reads it: dd/mm/yyyy."""
    return f"{clock.today():%d/%m/%Y}"


def shown_days_ago(days: int) -> str:
    return f"{clock.today() - timedelta(days=days):%d/%m/%Y}"


def form_fields(html: str) -> dict[str, str]:
    """Return the values of a page's text and hidden inputs, by name."""
    found = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag:
            found[name.group(1)] = value.group(1) if value else ""
    for name, options in re.findall(
        r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.DOTALL
    ):
        chosen = re.search(
            r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', options
        )
        found[name] = next((g for g in chosen.groups() if g is not None), "") if chosen else ""
    return found


def opened(pages, household: int) -> dict[str, str]:
    """Open the edit page and return its fields as a browser would send them back."""
    page = pages.get(f"/households/{household}/edit")
    assert page.status_code == 200, page.text
    return form_fields(page.text)
