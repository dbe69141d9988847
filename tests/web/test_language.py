"""Vietnamese by default, English on a switch; dates, money and the workflow's own names."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import session

from caseflow import i18n
from caseflow.domain.calendar import parse_duration
from caseflow.domain.errors import DomainError, Msg

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "caseflow" / "translations"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "counted": (1, 2),
    "lazy_gettext": None,
    "N_": None,
}
UPDATE = "make messages, then translate the new entries of the Vietnamese catalog"


@pytest.fixture
def speaking(app):
    """A page request in a language, for the helpers that format what pages show."""

    @contextmanager
    def in_language(lang: str):
        with app.test_request_context("/"):
            session["lang"] = lang
            yield

    return in_language


@pytest.mark.parametrize(("lang", "shown"), [("vi", "05/03/2025"), ("en", "5 Mar 2025")])
def test_dates_are_day_month_year(speaking, lang, shown) -> None:
    with speaking(lang):
        assert i18n.show_date(date(2025, 3, 5)) == shown
        assert i18n.show_date("2025-03-05") == shown


@pytest.mark.parametrize(
    ("lang", "shown"), [("vi", "1.500.000\u00a0đ"), ("en", "1,500,000\u00a0VND")]
)
def test_money_is_grouped_the_local_way(speaking, lang, shown) -> None:
    with speaking(lang):
        assert i18n.money(1_500_000) == shown


def test_a_moment_is_shown_in_business_time(speaking) -> None:
    with speaking("vi"):
        assert i18n.show_datetime(datetime(2025, 3, 4, 18, 30, tzinfo=UTC)) == "05/03/2025 01:30"


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "vi",
            "Kết quả được niêm yết ngày 03/03/2025; thời gian niêm yết 3 ngày làm việc kết thúc "
            "ngày 06/03/2025, nên quyết định chỉ được ghi từ ngày đó.",
        ),
        (
            "en",
            "The results were posted on 3 Mar 2025; the posting period of 3 working days ends "
            "on 6 Mar 2025, so the decision can be dated from then.",
        ),
    ],
)
def test_a_refusal_is_translated_with_its_dates_and_durations_shown_the_local_way(
    speaking, lang, message
) -> None:
    error = DomainError(
        "The results were posted on %(posted)s; the posting period of "
        "%(period)s ends on %(ends)s, so the decision can be dated from then.",
        params={
            "posted": date(2025, 3, 3),
            "period": parse_duration("3 working days"),
            "ends": date(2025, 3, 6),
        },
    )
    with speaking(lang):
        assert i18n.error_message(error) == message


@pytest.mark.parametrize(
    ("message", "vietnamese"),
    [
        (Msg("Must be at least %(minimum)s.", minimum=0), "Phải từ 0 trở lên."),
        (
            Msg(
                "%(field)s (%(day)s) cannot be before %(other)s (%(after)s).",
                field="posted_on",
                day=date(2026, 9, 1),
                other="meeting_on",
                after=date(2026, 9, 5),
            ),
            "Ngày niêm yết (01/09/2026) không được trước Ngày họp (05/09/2026).",
        ),
        ("Missing data for required field.", "Mục này bắt buộc phải nhập."),
        ("A message the catalog does not know.", "A message the catalog does not know."),
    ],
)
def test_field_messages_are_translated_by_their_id_with_their_parameters(
    speaking, message, vietnamese
) -> None:
    with speaking("vi"):
        assert i18n.render(message) == vietnamese


def test_the_switch_turns_the_pages_to_english_and_back(pages, api_as) -> None:
    household = api_as.register()["id"]
    pages.login("worker")
    assert "Đã đăng ký" in pages.get(f"/households/{household}").text

    pages.post("/language", {"lang": "en", "next": f"/households/{household}"})
    english = pages.get(f"/households/{household}").text
    pages.post("/language", {"lang": "vi", "next": "/"})

    assert '<html lang="en">' in english
    assert "Registered" in english and "What you can do now" in english
    assert "Việc bạn có thể làm bây giờ" in pages.get(f"/households/{household}").text


def test_the_switch_goes_back_only_to_a_page_of_this_site(pages) -> None:
    response = pages.post("/language", {"lang": "en", "next": "https://evil.example/"})

    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "path",
    ["/", "/households", "/households/new", "/approvals", "/alerts", "/workflow", "/dashboard"],
)
def test_every_page_opens_in_english_too(pages, path) -> None:
    pages.login("worker")
    pages.english()

    page = pages.get(path)

    assert page.status_code == 200
    assert '<html lang="en">' in page.text


def _key(text: str | list | tuple) -> str | tuple:
    return text if isinstance(text, str) else tuple(text)


def _extracted() -> set[str]:
    found = set()
    method_map = [("caseflow/**.py", "python"), ("templates/**.html", "jinja2")]
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_the_vietnamese_catalog_translates_every_message_of_the_code() -> None:
    with (CATALOGS / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])
    }

    missing = sorted(_extracted() - translated)

    assert not missing, f"translate these in messages.po ({UPDATE}): {missing}"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_compiled_catalogs_match_their_sources(lang) -> None:
    folder = CATALOGS / lang / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as handle:
        source = {_key(m.id): _key(m.string) for m in read_po(handle) if m.id and m.string}
    with (folder / "messages.mo").open("rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}

    assert compiled == source, "run: pybabel compile -d caseflow/translations"


def test_a_survey_is_explained_in_the_language_of_the_page(pages, api_as) -> None:
    household = api_as.register()["id"]
    api_as.fire(household, "start_review")
    api_as.survey(household)
    pages.login("worker")

    in_vietnamese = pages.get(f"/households/{household}").text
    pages.english()
    in_english = pages.get(f"/households/{household}").text

    assert "Bảo hiểm y tế" in in_vietnamese and "Health insurance" not in in_vietnamese
    assert "Health insurance" in in_english
