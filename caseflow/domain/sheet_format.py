"""The file format of imports and exports, once (API.md, "Import and export").

The sheets `Hộ`, `Thành viên` and `Khảo sát`, their Vietnamese headers, which are required,
and the words of their choice columns. The template, the import reader and the households
export all read this module, so an exported file imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from caseflow.domain.text import fold

HOUSEHOLDS = "Hộ"
MEMBERS = "Thành viên"
SURVEYS = "Khảo sát"
GUIDE = "Hướng dẫn"
REQUIRED_MARK = "*"
#: the column of every sheet that names the household
CODE = "code"

#: `Tình trạng`: the standing a household enters with, as (state, recognised class)
STANDINGS: dict[str, tuple[str, str | None]] = {
    "Hộ nghèo": ("recognised", "poor"),
    "Hộ cận nghèo": ("recognised", "near_poor"),
    "Hộ mới thoát nghèo": ("follow_up", None),
}
#: the states whose households are exported with a standing (a supported one is recognised)
STANDING_STATES = ("recognised", "supported", "follow_up")
YES_WORDS = ("x", "1", "có", "co", "yes", "true")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, the field it fills, and how its cells read."""

    header: str
    field: str
    #: text, date, birth (a date or a year), amount, flag or choice
    kind: str = "text"
    required: bool = False
    #: a choice column's words and the codes they stand for
    choices: tuple[tuple[str, str], ...] = ()
    #: what the column holds, for the template's guide (Vietnamese)
    help: str = ""
    example: object = None

    @property
    def title(self) -> str:
        """The header as written in row 1: required columns end with `*`."""
        return self.header + (REQUIRED_MARK if self.required else "")

    def word(self, code: object) -> str | None:
        """Return the word a choice column shows for a code (the code itself if none)."""
        if code is None:
            return None
        return next((w for w, c in self.choices if c == code), str(code))

    def code(self, word: str) -> str | None:
        """Return the code of a typed word, ignoring accents and case; None if none fits."""
        return self._codes.get(word) or self._codes.get(fold(word))

    @cached_property
    def _codes(self) -> dict[str, str]:
        return {**{c: c for _, c in self.choices}, **{fold(w): c for w, c in self.choices}}


@dataclass(frozen=True)
class SheetFormat:
    title: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [column.title for column in self.columns]

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


AREAS = (("Nông thôn", "rural"), ("Thành thị", "urban"))
SEXES = (("Nam", "male"), ("Nữ", "female"))
RELATIONS = (
    ("Chủ hộ", "head"),
    ("Vợ/chồng", "spouse"),
    ("Con", "child"),
    ("Bố/mẹ", "parent"),
    ("Cháu", "grandchild"),
    ("Anh/chị/em", "sibling"),
    ("Khác", "other"),
)
STANDING_WORDS = tuple((word, word) for word in STANDINGS)
YES_NO = (("x", "x"),)

HOUSEHOLD_SHEET = SheetFormat(
    HOUSEHOLDS,
    (
        Column(
            "Mã hộ",
            CODE,
            required=True,
            help="Mã của hộ; mã đã có trong đơn vị thì hộ "
            "đó được cập nhật, mã mới thì hộ mới được tạo với mã này.",
            example="HN-0001",
        ),
        Column(
            "Họ và tên chủ hộ",
            "head_name",
            required=True,
            help="Họ và tên đầy đủ, có dấu.",
            example="Nguyễn Văn An",
        ),
        Column(
            "Mã đơn vị",
            "unit_code",
            required=True,
            help="Mã của xã, phường hoặc thôn thuộc đơn vị nhập.",
            example="XA-HAIDONG",
        ),
        Column("Thôn/Tổ", "village", help="Tên thôn, xóm hoặc tổ dân phố.", example="Thôn 1"),
        Column("Địa chỉ", "address", help="Số nhà, đường, nếu có.", example="Xóm Đông"),
        Column(
            "Điện thoại",
            "phone",
            help="Số điện thoại liên hệ (6 đến 30 chữ số).",
            example="0912345678",
        ),
        Column(
            "Số CCCD chủ hộ",
            "national_id",
            help="Số căn cước công dân của chủ hộ (9 đến 12 chữ số); mỗi số chỉ thuộc một hộ.",
            example="036080001234",
        ),
        Column(
            "Khu vực",
            "area",
            "choice",
            choices=AREAS,
            help="Nông thôn hoặc Thành thị; để trống thì lấy khu vực của đơn vị.",
            example="Nông thôn",
        ),
        Column(
            "Tình trạng",
            "standing",
            "choice",
            choices=STANDING_WORDS,
            help="Để trống, hoặc Hộ nghèo, Hộ cận nghèo, Hộ mới thoát nghèo (danh sách năm trước).",
            example="Hộ nghèo",
        ),
        Column(
            "Ngày quyết định",
            "decided_on",
            "date",
            help="Ngày quyết định công nhận (hoặc "
            "thoát nghèo), dd/mm/yyyy; bắt buộc khi có Tình trạng.",
            example=date(2025, 12, 15),
        ),
    ),
)

MEMBER_SHEET = SheetFormat(
    MEMBERS,
    (
        Column("Mã hộ", CODE, required=True, help="Mã hộ như ở trang Hộ.", example="HN-0001"),
        Column(
            "Họ và tên",
            "full_name",
            required=True,
            help="Họ và tên của thành viên.",
            example="Nguyễn Văn An",
        ),
        Column(
            "Ngày sinh",
            "birth_date",
            "birth",
            required=True,
            help="dd/mm/yyyy, hoặc chỉ năm sinh (ghi nhận là ngày 01/01 của năm đó).",
            example=date(1980, 3, 5),
        ),
        Column("Giới tính", "sex", "choice", choices=SEXES, help="Nam hoặc Nữ.", example="Nam"),
        Column(
            "Quan hệ với chủ hộ",
            "relation",
            "choice",
            choices=RELATIONS,
            help="Chủ hộ, Vợ/chồng, Con, Bố/mẹ, Cháu, Anh/chị/em hoặc Khác.",
            example="Chủ hộ",
        ),
        Column("Dân tộc", "ethnicity", help="Tên dân tộc.", example="Kinh"),
        Column(
            "Khuyết tật",
            "disability",
            "flag",
            choices=YES_NO,
            help="Ghi x (hoặc 1, có) nếu là người khuyết tật; để trống nếu không.",
            example="",
        ),
        Column(
            "Số CCCD",
            "member_national_id",
            help="Số căn cước công dân của thành viên (chỉ "
            "để đối chiếu; của chủ hộ thì ghi ở trang Hộ).",
            example="",
        ),
    ),
)

INCOME_HEADER = "Thu nhập bình quân (đồng/người/tháng)"
SCORE_HEADER = "Điểm thu nhập"


def survey_sheet(indicators: Sequence[tuple[str, str]]) -> SheetFormat:
    """Return the survey sheet for a standard's indicators, given as (key, Vietnamese name)."""
    fixed = (
        Column("Mã hộ", CODE, required=True, help="Mã hộ như ở trang Hộ.", example="HN-0001"),
        Column(
            "Ngày khảo sát",
            "surveyed_on",
            "date",
            required=True,
            help="dd/mm/yyyy; hộ được phân loại theo chuẩn nghèo có hiệu lực vào ngày này.",
            example=date(2025, 10, 1),
        ),
        Column(
            INCOME_HEADER,
            "income_per_capita_month",
            "amount",
            help="Số đồng, ví dụ 1.500.000; ghi cột này hoặc cột Điểm thu nhập.",
            example=1200000,
        ),
        Column(
            SCORE_HEADER,
            "income_score",
            "amount",
            help="Điểm thu nhập theo phiếu khảo sát, nếu không ghi thu nhập bằng tiền.",
            example=None,
        ),
    )
    flags = tuple(
        Column(
            name,
            f"deprivation:{key}",
            "flag",
            choices=YES_NO,
            help=f"Chỉ số {name}: ghi x nếu hộ thiếu hụt; để trống nếu không.",
            example="x" if i < 3 else "",
        )
        for i, (key, name) in enumerate(indicators)
    )
    return SheetFormat(SURVEYS, fixed + flags)


def header_key(text: object) -> str:
    """Fold a header for matching: no accents, case, spaces or required mark."""
    return fold(str(text or "").replace(REQUIRED_MARK, " "))


@dataclass(frozen=True)
class HeaderProblem:
    """A header row that does not fit: the column (letter) and what was expected."""

    column: str
    problem: str  # missing or unknown
    header: str
    expected: tuple[str, ...] = ()


def match_headers(
    sheet: SheetFormat, headers: Sequence[object], aliases: Mapping[str, str] | None = None
) -> tuple[dict[int, Column], list[HeaderProblem]]:
    """Map each header cell to its column; report missing required and unknown headers.

    `aliases` maps more folded headers to a column's field (an indicator's key as well as its
    Vietnamese name).
    """
    by_key = {header_key(c.header): c for c in sheet.columns}
    by_field = {c.field: c for c in sheet.columns}
    for alias, field in (aliases or {}).items():
        by_key.setdefault(header_key(alias), by_field[field])
    found: dict[int, Column] = {}
    problems: list[HeaderProblem] = []
    for index, text in enumerate(headers):
        if text is None or not str(text).strip():
            continue
        column = by_key.get(header_key(text))
        if column is None or column in found.values():
            expected = tuple(c.title for c in sheet.columns if c not in found.values())
            problems.append(HeaderProblem(letter(index), "unknown", str(text), expected))
        else:
            found[index] = column
    for column in sheet.columns:
        if column.required and column not in found.values():
            problems.append(HeaderProblem("", "missing", column.title))
    return found, problems


def letter(index: int) -> str:
    """Return a spreadsheet's column letter for a 0-based index: 0 -> A, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def cell_value(value: object) -> object:
    """Return a cell as the typed-input rules read it: text, or a date for a date cell.

    Numbers become their digits (a phone or an ID typed as a number, 1500000.0 as income);
    blank text is None.
    """
    if value is None:
        return None
    if value.__class__ is str:  # most cells: tested first
        return value.strip() or None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "x" if value else None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    text = str(value).strip()
    return text or None


def is_yes(value: object) -> bool:
    """Tell whether a yes/no cell is ticked: x, 1, có."""
    return isinstance(value, str) and value.strip().lower() in YES_WORDS


def blank_row(values: Iterable[object]) -> bool:
    """Tell whether a row holds nothing (trailing rows a spreadsheet keeps)."""
    return all(cell_value(v) is None for v in values)
