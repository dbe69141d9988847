"""End to end in a real headless Chromium: a case worker takes a village of 10 households through
a periodic round (list, start, survey grid, meeting, request), the chair decides the list in one
batch, and the five documents are printed to PDF by Chromium and read back with pdftotext.

Last year's round, so that every date typed is in the past whatever day the test runs. Shots of
each page and the PDFs (and their first pages as PNG) go to tests/web/screenshots/rounds-*.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from caseflow import clock
from tests.factories import POOR_SURVEY
from tests.web.test_browser import NARROW, SHOTS, Visit, browser, server  # noqa: F401

NAMES = [
    "Nguyễn Thị Hoa",
    "Trần Văn Nam",
    "Lê Thị Lan",
    "Phạm Văn Bình",
    "Hoàng Thị Mai",
    "Vũ Văn Hùng",
    "Đặng Thị Yến",
    "Bùi Văn Sơn",
    "Đỗ Thị Thảo",
    "Ngô Văn Dũng",
]
#: the three already on the poor list, recognised in the spring
LISTED = NAMES[:3]
#: (income typed as people type it, indicators ticked): what each row of the grid gets
SURVEYS = {
    "Nguyễn Thị Hoa": ("2.600.000", ()),  # now above the line: leaves the list
    "Trần Văn Nam": ("1.200.000", ("employment", "health_insurance", "water")),
    "Lê Thị Lan": ("1.300.000", ("water",)),  # poor to near-poor
    "Phạm Văn Bình": ("1.100.000", ("employment", "housing_quality", "sanitation", "water")),
    "Hoàng Thị Mai": ("1.400.000", ("dependants",)),
    "Vũ Văn Hùng": ("1.900.000", ("water", "telecom", "employment")),  # middle: not listed
    "Đặng Thị Yến": ("1.000.000", ("nutrition", "child_schooling", "housing_area")),
    "Bùi Văn Sơn": ("1 450 000 đ", ()),
    "Đỗ Thị Thảo": ("1.250.000", ("health_insurance", "adult_education", "water")),
    "Ngô Văn Dũng": ("abc", ("water",)),  # a slip: refused on its row, typed again
}
#: the households the decision recognises as poor or near-poor (certificates)
CERTIFIED = [n for n in NAMES if n not in ("Nguyễn Thị Hoa", "Vũ Văn Hùng")]


def typed(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _seed(api, year: int) -> dict[str, str]:
    """Ten households of Thôn Đông Hải; three recognised as poor last spring. Return codes."""
    codes = {}
    for name in NAMES:
        made = api.register(head_name=name, village="Đông Hải", unit_code="C1-V1")
        codes[name] = made["code"]
        if name not in LISTED:
            continue
        spring = f"{year}-03-02"
        assert api.fire(made["id"], "start_review", started_on=spring).status_code == 200
        assert api.survey(made["id"], surveyed_on=spring, **POOR_SURVEY).status_code == 201
        agreed = api.fire(
            made["id"],
            "agree",
            meeting_on=f"{year}-03-05",
            posted_on=f"{year}-03-05",
            agreement_pct=90,
        )
        assert agreed.status_code == 200, agreed.json
        asked = api.fire(made["id"], "recognise", decided_on=f"{year}-03-20")
        approval = asked.json["approval"]["id"]
        assert api.post(f"/approvals/{approval}/approve", {}, "chair").status_code == 200
    return codes


def _pdf(visit: Visit, name: str) -> tuple[int, str]:
    """Print the open document to PDF as Chromium does; return its pages and its text."""
    path = SHOTS / f"{name}.pdf"
    visit.page.emulate_media(media="print")
    visit.page.pdf(path=str(path), format="A4", prefer_css_page_size=True, print_background=True)
    visit.page.emulate_media(media="screen")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(SHOTS / f"{name}-page1"),
        ],
        check=True,
    )
    return pages, text


def _row(visit: Visit, name: str) -> str:
    """The household id of a grid or meeting row, by the name it shows."""
    return visit.page.locator(f"tr:has(th:has-text('{name}')) input[name=row]").get_attribute(
        "value"
    )


@pytest.mark.browser
def test_a_village_goes_from_listed_to_decided_and_its_papers_print(server, browser, api):  # noqa: F811
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdftoppm")):
        pytest.skip("poppler-utils (pdftotext, pdfinfo, pdftoppm) is not installed")
    year = clock.today().year - 1
    codes = _seed(api, year)
    sizes: dict[str, int] = {}
    worker = Visit(browser, server, sizes)
    worker.login("worker")

    worker.page.click("nav >> text=Rà soát")
    worker.page.select_option("#unit_code", "C1")
    worker.page.check("input[name=kind][value=periodic]")
    worker.page.fill("#year", str(year))
    worker.shoot("rounds-01-list")
    worker.submit("button:has-text('Lập kỳ rà soát')")
    assert f"Rà soát định kỳ năm {year}" in worker.page.inner_text("h1")
    round_url = worker.page.url

    worker.submit("button:has-text('Thêm tất cả hộ nghèo')")
    assert "Đã thêm 3 hộ" in worker.page.inner_text(".flashes")
    others = "\n".join(codes[n] for n in NAMES if n not in LISTED)
    worker.page.fill("#codes", f"{others}\n{codes['Nguyễn Thị Hoa']}")  # one twice, by mistake
    worker.submit("button:has-text('Thêm các hộ này')")
    assert "Đã thêm 7 hộ" in worker.page.inner_text(".flashes")
    assert "Đã có trong danh sách của kỳ rà soát này" in worker.page.inner_text("main")
    worker.shoot("rounds-02-round-listed")

    worker.go(round_url.removeprefix(server))
    worker.page.click("table.progress >> text=Thôn Đông Hải")
    worker.page.fill("#started_on", typed(date(year, 9, 3)))
    worker.shoot("rounds-03-village-listed")
    worker.submit("button:has-text('Bắt đầu rà soát')")
    assert "Đã bắt đầu rà soát 10 hộ" in worker.page.inner_text(".flashes")
    village_url = worker.page.url

    worker.page.click("#open-survey")
    worker.page.fill("#surveyed_on", typed(date(year, 9, 5)))
    first = _row(worker, NAMES[0])
    worker.page.focus(f"#income-{first}")
    worker.page.keyboard.press("Tab")
    assert worker.page.evaluate("document.activeElement.type") == "checkbox"  # Tab moves across
    for name, (income, ticks) in SURVEYS.items():
        household = _row(worker, name)
        worker.page.fill(f"#income-{household}", income)
        for key in ticks:
            worker.page.check(f"#{key}-{household}")
    worker.shoot("rounds-04-survey-grid")
    worker.submit("button:has-text('Lưu các dòng đã nhập')")
    assert "Đã ghi 9 phiếu khảo sát" in worker.page.inner_text(".flashes")
    refused = worker.page.inner_text("tr.refused")
    assert "Ngô Văn Dũng" in refused and "1.500.000" in refused  # says how to type it
    worker.shoot("rounds-05-survey-refused-row")
    slip = _row(worker, "Ngô Văn Dũng")
    assert worker.page.is_checked(f"#water-{slip}")  # what was typed is kept
    worker.page.fill(f"#income-{slip}", "1.350.000")
    worker.submit("button:has-text('Lưu các dòng đã nhập')")
    assert "Đã ghi 1 phiếu khảo sát" in worker.page.inner_text(".flashes")

    worker.go(village_url.removeprefix(server))
    worker.page.click("#open-meeting")
    worker.page.fill("#meeting_on", typed(date(year, 9, 8)))
    worker.page.fill("#posted_on", typed(date(year, 9, 8)))
    worker.page.fill("#chaired_by", "Nguyễn Văn Trưởng (Trưởng thôn)")
    worker.page.fill("#secretary", "Lê Thị Thư")
    worker.page.fill("#present", "45")
    worker.page.fill("#attendees", "Bí thư chi bộ; Trưởng ban công tác Mặt trận; Hội Phụ nữ")
    worker.page.fill("#agreement_pct", "80")
    worker.page.fill(f"#pct-{_row(worker, 'Bùi Văn Sơn')}", "40")  # the meeting disagrees
    worker.shoot("rounds-06-meeting")
    worker.submit("button:has-text('Ghi kết quả cuộc họp')")
    assert "9 hộ thống nhất và niêm yết, 1 hộ phải khảo sát lại" in worker.page.inner_text(
        ".flashes"
    )

    worker.page.click("#open-survey")  # surveyed again, and a second meeting
    worker.page.fill("#surveyed_on", typed(date(year, 9, 9)))
    son = _row(worker, "Bùi Văn Sơn")
    worker.page.fill(f"#income-{son}", "1.450.000")
    worker.page.check(f"#water-{son}")
    worker.submit("button:has-text('Lưu các dòng đã nhập')")
    worker.go(village_url.removeprefix(server))
    worker.page.click("#open-meeting")
    worker.page.fill("#meeting_on", typed(date(year, 9, 11)))
    worker.page.fill("#posted_on", typed(date(year, 9, 11)))
    worker.page.fill("#chaired_by", "Nguyễn Văn Trưởng (Trưởng thôn)")
    worker.page.fill("#agreement_pct", "70")
    worker.submit("button:has-text('Ghi kết quả cuộc họp')")

    worker.page.fill("#decided_on", typed(date(year, 9, 25)))
    worker.shoot("rounds-07-village-posted")
    worker.submit("button:has-text('Đề nghị quyết định')")
    assert "Đã đề nghị quyết định cho 10 hộ" in worker.page.inner_text(".flashes")
    worker.submit("text=Đăng xuất")

    chair = Visit(browser, server, sizes)
    chair.login("chair")
    chair.go(round_url.removeprefix(server))
    chair.page.click("#open-decisions")
    assert chair.page.locator("input.pick").count() == 10
    chair.page.click("#select-all")
    chair.page.fill("#comment", f"Quyết định số 15/QĐ-UBND ngày 25/09/{year}")
    chair.shoot("rounds-08-chairs-queue")
    chair.submit("button:has-text('Phê duyệt các đề nghị đã chọn')")
    assert "Đã phê duyệt 10 đề nghị." in chair.page.inner_text(".flashes")
    chair.go(round_url.removeprefix(server))
    assert "Đã kết thúc" in chair.page.inner_text("p.status")  # every household decided
    progress = chair.page.inner_text("table.progress tfoot")
    assert progress.split()[-2:] == ["10", "0"]  # 10 decided, none late
    chair.shoot("rounds-09-round-decided")

    village = "C1-V1"
    expected = {
        "survey_list": NAMES,
        "meeting_minutes": NAMES,
        "posting_list": NAMES,
        "decision": CERTIFIED + ["Nguyễn Thị Hoa"],
        "certificates": CERTIFIED,
    }
    printed = {}
    for kind, names in expected.items():
        chair.go(f"/rounds/{round_url.rsplit('/', 1)[1]}/documents/{kind}?village={village}")
        chair.shoot(f"rounds-10-{kind}")
        pages, text = _pdf(chair, f"rounds-{kind}")
        printed[kind] = (pages, text)
        for name in names:
            assert name in text, (kind, name)
        assert (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
        )
    pages, minutes = printed["meeting_minutes"]
    assert minutes.count("BIÊN BẢN HỌP BÌNH XÉT") == 2 and pages >= 2  # a sheet per meeting
    assert printed["certificates"][0] == len(CERTIFIED)  # one certificate a page
    assert printed["decision"][0] == 5  # the decision, then its four annexed lists
    assert printed["survey_list"][0] >= 1 and printed["posting_list"][0] >= 1

    chair.page.set_viewport_size(NARROW)
    for name, path in (
        ("rounds-11-narrow-round", round_url.removeprefix(server)),
        ("rounds-12-narrow-village", village_url.removeprefix(server)),
        ("rounds-13-narrow-list", "/rounds"),
    ):
        chair.go(path)
        assert chair.page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
        chair.shoot(name)
