"""Every page form, sent what a careless person (or a fuzzer) types: never a 5xx, and nothing
written when the page refuses it."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rows import rows_written
from tests.web.conftest import TOKEN

EXAMPLES = 30
#: what people type, paste or a broken client sends into a text box (a browser cannot send a
#: lone surrogate: it sends U+FFFD instead)
TYPED = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=2001, max_size=2100),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "31/02/2026",
            "29/02/2025",
            "01/01/1899",
            "2999-12-31",
            "0001-01-01",
            "1.500.000",
            "1,5",
            "-5",
            "9" * 30,
            "1e309",
            "nan",
            "x",
            "có",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "../../etc/passwd",
            "05/09/2026",
            "2147483648",
            "-2147483649",
        ]
    ),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
#: rows that answering a page may write whatever it says (a login remembered, a failure kept)
WRITTEN_ANYWAY = {"user_session", "login_attempt"}


def fields(*names: str):
    return st.fixed_dictionaries({}, optional={name: TYPED for name in names})


def posted(pages, url: str, data: dict, page: str | None = None, prefix: str = ""):
    """Post as a browser would, with the page's token; check the page's promises."""
    form_page = pages.get(page or url).text
    field = f"{prefix}-csrf_token" if prefix else "csrf_token"
    token = re.search(rf'name="{field}" type="hidden" value="([^"]+)"', form_page)
    token = token or TOKEN.search(form_page)
    with rows_written(pages.client.application) as written:
        response = pages.client.post(
            url, data={**data, field: token.group(2 if token.re is TOKEN else 1)}
        )
        changed = {k: v for k, v in written().items() if k not in WRITTEN_ANYWAY}
    assert response.status_code < 500, (url, data, response.text[:300])
    if response.status_code != 302:
        assert changed == {}, (url, data, response.status_code)
    return response


@pytest.fixture
def worker(pages, api_as):
    """A case worker logged in, and households to act on: registered and classified."""
    pages.login("worker")
    registered = api_as.register()["id"]
    classified = api_as.register(head_name="Lò Văn Pá")["id"]
    api_as.fire(classified, "start_review")
    api_as.survey(classified)
    return pages, registered, classified


HOUSEHOLD = (
    "head_name",
    "unit_code",
    "village",
    "address",
    "phone",
    "national_id",
    "area",
    "members-0-full_name",
    "members-0-birth_date",
    "members-0-sex",
    "members-0-relation",
    "members-0-ethnicity",
    "members-0-disability",
    "confirm_duplicate",
    "submission_key",
    "add_member",
)


@SETTINGS
@given(data=fields(*HOUSEHOLD))
def test_the_registration_form(worker, data):
    pages, _, _ = worker
    posted(pages, "/households/new", data)


@SETTINGS
@given(data=fields(*HOUSEHOLD, "version_seen", "members-0-member_id", "members-0-remove"))
def test_the_edit_form(worker, data):
    pages, household, _ = worker
    posted(pages, f"/households/{household}/edit", data)


SURVEY = (
    "surveyed_on",
    "income_basis",
    "income",
    "standard_code",
    "refresh",
    "employment",
    "water",
    "health_insurance",
    "domestic_waste",
    "information_access",
)


@SETTINGS
@given(data=fields(*SURVEY))
def test_the_survey_form(worker, data):
    pages, household, _ = worker
    posted(pages, f"/households/{household}/survey", data)


ACTIONS = [
    ("start_review", ("review_kind", "form", "started_on", "note", "version_seen")),
    ("agree", ("meeting_on", "agreement_pct", "posted_on", "note", "version_seen")),
    ("disagree", ("meeting_on", "agreement_pct", "note", "version_seen")),
]


@pytest.mark.parametrize(("trigger", "names"), ACTIONS)
@SETTINGS
@given(data=st.data())
def test_the_action_forms(worker, trigger, names, data):
    pages, registered, classified = worker
    household = registered if trigger == "start_review" else classified
    typed = data.draw(fields(*names))
    url = f"/households/{household}"
    posted(
        pages,
        f"{url}/actions/{trigger}",
        {f"{trigger}-{k}": v for k, v in typed.items()},
        page=url,
        prefix=trigger,
    )


@SETTINGS
@given(support=fields("program", "note"), visit=fields("visited_on", "notes", "hardship"))
def test_the_support_and_visit_forms(worker, support, visit):
    pages, household, _ = worker
    page = f"/households/{household}"
    posted(pages, f"{page}/supports", support, page=page)
    posted(pages, f"{page}/visits", visit, page=page)


@SETTINGS
@given(data=fields("ids", "decision", "comment", "next"))
def test_the_decision_form(worker, data):
    pages, _, _ = worker
    posted(pages, "/approvals/decide", data, page="/approvals")


@SETTINGS
@given(query=fields("q", "unit", "state", "classification", "overdue", "page"), page=TYPED)
def test_the_lists_and_their_page_numbers(worker, query, page):
    pages, _, _ = worker
    for url in ("/households", "/approvals", "/alerts"):
        response = pages.client.get(url, query_string={**query, "page": page})
        assert response.status_code < 500, (url, query, page, response.text[:300])


@SETTINGS
@given(data=fields("username", "password", "next"))
def test_the_login_form(client, data):
    from tests.web.conftest import Pages

    posted(Pages(client), "/login", data)
