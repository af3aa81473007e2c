"""Import assets and users from CSV or Excel files: every row is checked, then all or nothing."""

from __future__ import annotations

import codecs
import difflib
import io
import re
import secrets
import zipfile
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import partial
from math import isfinite
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from desktop.domain.enums import AssetLevel, AssetStatus, Criticality, Role
from desktop.domain.errors import ValidationFailed, WrenchbookError
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Amount, Listing, Phrase
from desktop.services.admin.users import NewUser, UserService, password_problems, validate_new_user
from desktop.services.assets.assets import AssetService, NewAsset, asset_problems
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.models import Asset, User

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from pathlib import Path

    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.attributes import InstrumentedAttribute

    from desktop.store.database import Database

E = TypeVar("E", bound=Enum)

CSV_ENCODINGS = ("utf-8-sig", "cp1252")
"""Tried in this order: Excel's "CSV UTF-8" writes a BOM, its plain "CSV" writes Windows-1252."""
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_SHOWN_PROBLEMS = 100
"""A terminal or dialog stops being useful beyond this; the error still carries them all."""
NON_TEXT_MAX_CHARS = 40
"""Longest sensible number, date or choice cell; anything longer is pasted by mistake."""
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?: 00:00:00)?")  # Excel date cells end in 00:00:00
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the file; row as the spreadsheet shows it (header = 1)."""

    row: int | None
    column: str | None
    text: str

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        where += [f"column {self.column}"] if self.column is not None else []
        return f"{', '.join(where)}: {self.text}" if where else self.text


class ImportRefused(WrenchbookError):
    """The file has problems, so nothing was written; `problems` lists every one of them."""

    def __init__(self, source: Path, problems: Sequence[ImportProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        lines = [
            f"cannot import {source}: {count} problem{'s' * (count != 1)}, nothing was imported"
        ]
        lines += [f"  {problem}" for problem in self.problems[:MAX_SHOWN_PROBLEMS]]
        if count > MAX_SHOWN_PROBLEMS:
            lines.append(f"  … and {count - MAX_SHOWN_PROBLEMS} more")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class ImportResult:
    """What an import created; `passwords` holds (username, generated password) to hand out once."""

    created: tuple[str, ...]
    passwords: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Column:
    name: str
    required: bool
    max_chars: int


def _text_column(name: str, model_column: InstrumentedAttribute[Any], required: bool) -> _Column:
    """A text column limited to what its database column holds."""
    return _Column(name, required, model_column.type.length)


ASSET_COLUMNS = (
    _text_column("code", Asset.code, True),
    _text_column("name", Asset.name, True),
    _text_column("parent", Asset.code, False),
    _Column("level", True, NON_TEXT_MAX_CHARS),
    _text_column("class", Asset.asset_class, True),
    _Column("criticality", True, NON_TEXT_MAX_CHARS),
    _Column("status", False, NON_TEXT_MAX_CHARS),
    _text_column("maker", Asset.maker, False),
    _text_column("model", Asset.model, False),
    _text_column("serial", Asset.serial, False),
    _text_column("location", Asset.location, False),
    _Column("install_date", False, NON_TEXT_MAX_CHARS),
    _Column("replacement_value", False, NON_TEXT_MAX_CHARS),
)
USER_COLUMNS = (
    _text_column("username", User.username, True),
    _text_column("full_name", User.full_name, True),
    _Column("role", True, NON_TEXT_MAX_CHARS),
    _text_column("craft", User.craft, False),
    _Column("hourly_rate", False, NON_TEXT_MAX_CHARS),
    _Column("weekly_hours", False, NON_TEXT_MAX_CHARS),
)
# Service field names that differ from the file's column names.
_ASSET_FIELD_COLUMNS = {"asset_class": "class", "parent_code": "parent"}


@dataclass
class _Row:
    """One data row's cells by column, collecting at most one problem per column."""

    spreadsheet_row: int
    cells: dict[str, str]
    problems: dict[str, str] = field(default_factory=dict)

    def text(self, column: str) -> str:
        return "" if column in self.problems else self.cells.get(column, "").strip()

    def optional_text(self, column: str) -> str | None:
        return self.text(column) or None

    def number(self, column: str, default: float) -> float:
        raw = self.text(column).replace(" ", "")
        if not raw:
            return default
        if not _PLAIN_NUMBER.fullmatch(raw) or not isfinite(float(raw)):
            self.problems[column] = Phrase(
                "{raw} is not a plain number (e.g. 1234.5)", raw=_shown(raw)
            )
            return default
        return float(raw)

    def date(self, column: str) -> date | None:
        raw = self.text(column)
        if not raw:
            return None
        match = _ISO_DATE.fullmatch(raw)
        try:
            if match:
                return date.fromisoformat(match.group(1))
        except ValueError:
            pass  # shaped like a date but not one, e.g. 2026-02-30
        self.problems[column] = Phrase("{raw} is not a date (YYYY-MM-DD)", raw=_shown(raw))
        return None

    def choice(self, column: str, choices: type[E], default: E | None = None) -> E | None:
        """An enum member by its value, ignoring case and spaces-for-underscores."""
        raw = self.text(column)
        if not raw and default is not None:
            return default
        wanted = raw.lower().replace(" ", "_").replace("-", "_")
        for member in choices:
            if str(member.value).lower() == wanted:
                return member
        allowed = ", ".join(str(m.value) for m in choices)
        self.problems[column] = (
            Phrase("required: one of {allowed}", allowed=allowed)
            if not raw
            else Phrase("{raw} is not one of {allowed}", raw=_shown(raw), allowed=allowed)
        )
        return None

    def add(self, column: str, text: str) -> None:
        """Record a problem unless the cell already has one (the first is the useful one)."""
        self.problems.setdefault(column, text)


def _shown(raw: str) -> str:
    """A cell value quoted for a message, shortened so a pasted essay stays one line."""
    return repr(raw if len(raw) <= 40 else raw[:37] + "...")


# -- reading the file ---------------------------------------------------------------------


def read_cells(path: Path, sheet: str) -> list[list[str]]:
    """Every row of the file as text cells, the header first; ImportRefused when unreadable.

    For a workbook the sheet named `sheet` is read when there is one, else the first sheet.
    """
    suffix = path.suffix.lower()
    if suffix == ".xls":
        _refuse(path, "old Excel format (.xls): save it as .xlsx or CSV")
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        _refuse(path, "not a CSV or Excel (.xlsx) file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            _refuse(
                path,
                Phrase(
                    "{size} bytes; at most {max_file_bytes} can be imported at once",
                    size=Amount(size),
                    max_file_bytes=Amount(MAX_FILE_BYTES),
                ),
            )
        frame = _read_csv(path) if suffix == ".csv" else _read_xlsx(path, sheet)
    except FileNotFoundError:
        _refuse(path, "no such file")
    except IsADirectoryError:
        _refuse(path, "a folder, not a file")
    except PermissionError:
        _refuse(path, "no permission to read it")
    rows = [[str(cell) for cell in row] for row in frame.itertuples(index=False, name=None)]
    if not rows:
        _refuse(path, "the file is empty")
    return rows


def _read_csv(path: Path) -> pd.DataFrame:
    content = path.read_bytes()
    # Excel's "Unicode text" is UTF-16 with a byte-order mark (and tabs between the cells).
    utf16 = content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    tried = ("utf-16",) if utf16 else CSV_ENCODINGS
    for encoding in tried:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        _refuse(path, Phrase("cannot decode the text (tried {tried})", tried=", ".join(tried)))
    if "\x00" in text:
        _refuse(
            path,
            "not a text file: it holds NUL bytes (binary data, or UTF-16 text without its "
            "byte-order mark): save it from Excel as CSV UTF-8",
        )
    try:
        # skip_blank_lines=False keeps the data frame's index equal to the line number - 1.
        return pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            sep=_separator(text),
        )
    except pd.errors.EmptyDataError:
        _refuse(path, "the file is empty")
    except pd.errors.ParserError as exc:
        _refuse(path, Phrase("not a well-formed CSV file ({problem})", problem=exc))


def _separator(text: str) -> str:
    """The cell separator: a comma, unless the header has none but tabs (Excel's Unicode text)
    or semicolons (Excel's CSV where the decimal separator is a comma)."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    if "," in header:
        return ","
    if "\t" in header:
        return "\t"
    return ";" if ";" in header else ","


XLSX_MAX_UNCOMPRESSED = 100 * 1024 * 1024
"""Bytes a workbook may unpack to: a 100 kB "zip bomb" can otherwise unpack to gigabytes."""
XLSX_MAX_ROWS = 200_000
XLSX_MAX_CELLS = 5_000_000


def _check_xlsx_size(path: Path) -> None:
    """Refuse a workbook too big to parse, from its zip directory and sheet dimensions only."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        _refuse(
            path,
            Phrase(
                "not a readable Excel workbook: the file is damaged or not .xlsx ({problem})",
                problem=exc,
            ),
        )
    if unpacked > XLSX_MAX_UNCOMPRESSED:
        _refuse(
            path,
            Phrase(
                "the workbook unpacks to {size} MB, more than the {limit} MB an "
                "import reads: split it, or save as CSV",
                size=Amount(unpacked / 1e6, 0),
                limit=Amount(XLSX_MAX_UNCOMPRESSED / 1e6, 0),
            ),
        )
    try:
        workbook = load_workbook(path, read_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        _refuse(path, Phrase("not a readable Excel workbook ({problem})", problem=exc))
    try:
        for sheet in workbook.worksheets:
            rows, columns = sheet.max_row or 0, sheet.max_column or 0
            if rows > XLSX_MAX_ROWS or rows * columns > XLSX_MAX_CELLS:
                _refuse(
                    path,
                    Phrase(
                        "sheet {title} has {rows} rows × {columns} columns, more than an import "
                        "reads ({xlsx_max_rows} rows, {xlsx_max_cells} cells): split it",
                        title=repr(sheet.title),
                        rows=Amount(rows),
                        columns=Amount(columns),
                        xlsx_max_rows=Amount(XLSX_MAX_ROWS),
                        xlsx_max_cells=Amount(XLSX_MAX_CELLS),
                    ),
                )
    finally:
        workbook.close()


def _read_xlsx(path: Path, sheet: str) -> pd.DataFrame:
    _check_xlsx_size(path)
    try:
        with pd.ExcelFile(path, engine="openpyxl") as workbook:
            names = [str(name) for name in workbook.sheet_names]
            chosen = next((n for n in names if n.strip().lower() == sheet), names[0])
            return pd.read_excel(
                workbook, sheet_name=chosen, header=None, dtype=str, keep_default_na=False
            )
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        _refuse(path, Phrase("not a readable Excel workbook ({problem})", problem=exc))


def _refuse(path: Path, text: str) -> NoReturn:
    raise ImportRefused(path, [ImportProblem(None, None, text)])


def parse_rows(
    cells: list[list[str]], columns: Sequence[_Column]
) -> tuple[list[_Row], list[ImportProblem]]:
    """Data rows keyed by column name, and the header's problems.

    Rows are only returned when every required column is present: otherwise each row
    would repeat the same complaint.
    """
    header = [_column_name(cell) for cell in cells[0]]
    body = cells[1:]
    problems = _header_problems(header, body, columns)
    if not any(any(c.strip() for c in row) for row in body):
        problems.append(ImportProblem(None, None, "no data rows below the header"))
    found = set(header)
    if any(c.required and c.name not in found for c in columns):
        return [], problems
    known = {c.name: c for c in columns}
    positions = {name: header.index(name) for name in known if name in found}
    rows = []
    for offset, row in enumerate(body):
        if not any(cell.strip() for cell in row):
            continue  # spreadsheets carry empty formatted rows; they hold nothing to import
        parsed = _Row(offset + 2, {name: row[i] for name, i in positions.items()})
        for name, cell in parsed.cells.items():
            if len(cell) > known[name].max_chars:
                parsed.add(name, f"{len(cell):,} characters; at most {known[name].max_chars}")
        rows.append(parsed)
    return rows, problems


def _column_name(cell: str) -> str:
    """Header cells compare ignoring case and surrounding spaces; inner spaces mean '_'."""
    return "_".join(cell.strip().lower().split())


def _header_problems(
    header: list[str], body: list[list[str]], columns: Sequence[_Column]
) -> list[ImportProblem]:
    expected = [c.name for c in columns]
    problems = []
    for i, name in enumerate(header):
        letter = get_column_letter(i + 1)
        if not name:
            if any(len(row) > i and row[i].strip() for row in body):
                problems.append(ImportProblem(1, letter, "holds data but has no name"))
        elif header.index(name) != i:
            first = get_column_letter(header.index(name) + 1)
            problems.append(
                ImportProblem(
                    1,
                    name,
                    Phrase(
                        "appears twice (columns {first} and {letter})", first=first, letter=letter
                    ),
                )
            )
        elif name == "password":
            problems.append(
                ImportProblem(
                    1,
                    name,
                    "passwords do not belong in spreadsheets: remove the column; "
                    "every new user gets a generated password",
                )
            )
        elif name not in expected:
            problems.append(ImportProblem(1, name, _unknown_column(name, expected)))
    missing = [c.name for c in columns if c.required and c.name not in header]
    if missing:
        found = ", ".join(n for n in header if n) or "none"
        problems.append(
            ImportProblem(
                1,
                None,
                Phrase(
                    "missing required column(s) {missing} (found: {found})",
                    missing=", ".join(missing),
                    found=found,
                ),
            )
        )
    return problems


def _unknown_column(name: str, expected: list[str]) -> str:
    close = difflib.get_close_matches(name, expected, n=1)
    hint = f"did you mean {close[0]}?" if close else f"expected {', '.join(expected)}"
    return f"unknown column: {hint}"


def _row_problems(rows: Iterable[_Row], columns: Sequence[_Column]) -> list[ImportProblem]:
    """Each row's problems, left to right as the columns stand in the spreadsheet."""
    return [
        ImportProblem(row.spreadsheet_row, c.name, row.problems[c.name])
        for row in rows
        for c in columns
        if c.name in row.problems
    ]


def _existing(
    session: Session, column: ColumnElement[str], values: Iterable[str], *extra: Any
) -> list[Any]:
    """Rows whose `column` is among `values`, queried in chunks to stay under bind limits."""
    wanted = sorted(set(values))
    found: list[Any] = []
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        found += session.execute(select(column, *extra).where(column.in_(chunk))).all()
    return found


# -- assets -------------------------------------------------------------------------------


@dataclass
class _AssetLine:
    row: _Row
    new: NewAsset
    level_known: bool


class ImportService:
    """Bulk creation through the same checks and audit entries as creating one by one."""

    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def assets(self, actor: Actor, path: Path) -> ImportResult:
        """Create every asset in the file, parents before children, or none of them."""
        require(actor, Action.MANAGE_ASSETS)
        cells = read_cells(path, "assets")
        rows, problems = parse_rows(cells, ASSET_COLUMNS)
        lines = [_asset_line(row) for row in rows]
        service = AssetService(self._db, self._clock)
        with self._db.unit_of_work() as session:
            mentioned = [ln.new.code for ln in lines] + [ln.new.parent_code or "" for ln in lines]
            in_db = dict(_existing(session, Asset.code, mentioned, Asset.level))
            _check_assets(lines, in_db)
            order, cycles = _parents_first(lines)
            problems += _row_problems((ln.row for ln in lines), ASSET_COLUMNS) + cycles
            if problems:
                raise ImportRefused(path, sorted(problems, key=_row_order))
            for line in order:
                _insert(path, line.row, partial(service.insert, session, actor, line.new))
            return ImportResult(tuple(line.new.code for line in order))

    def users(self, actor: Actor, path: Path) -> ImportResult:
        """Create every user in the file with a generated password, or none of them."""
        require(actor, Action.MANAGE_USERS)
        cells = read_cells(path, "users")
        rows, problems = parse_rows(cells, USER_COLUMNS)
        users = [_user(row) for row in rows]
        service = UserService(self._db, self._clock)
        with self._db.unit_of_work() as session:
            lowered = [new.username.lower() for _, new in users]
            taken = {name for (name,) in _existing(session, func.lower(User.username), lowered)}
            _check_users(users, taken)
            problems += _row_problems((row for row, _ in users), USER_COLUMNS)
            if problems:
                raise ImportRefused(path, sorted(problems, key=_row_order))
            for row, new in users:
                _insert(path, row, partial(service.insert, session, actor, new))
            return ImportResult(
                tuple(new.username for _, new in users),
                tuple((new.username, new.password) for _, new in users),
            )


def _row_order(problem: ImportProblem) -> int:
    return problem.row or 0


def _insert(path: Path, row: _Row, insert: Callable[[], object]) -> None:
    """Run one service insert; a refusal the checks above missed still names its row."""
    try:
        insert()
    except ValidationFailed as exc:
        problems = [
            ImportProblem(row.spreadsheet_row, _ASSET_FIELD_COLUMNS.get(name, name), text)
            for name, text in exc.problems.items()
        ]
        raise ImportRefused(path, problems) from exc


def _asset_line(row: _Row) -> _AssetLine:
    level = row.choice("level", AssetLevel)
    new = NewAsset(
        code=row.text("code"),
        name=row.text("name"),
        # A stand-in level keeps the other checks running; its own problem is recorded.
        level=level or AssetLevel.AREA,
        asset_class=row.text("class"),
        criticality=row.choice("criticality", Criticality) or Criticality.C,
        parent_code=row.optional_text("parent"),
        status=row.choice("status", AssetStatus, AssetStatus.IN_SERVICE) or AssetStatus.IN_SERVICE,
        maker=row.optional_text("maker"),
        model=row.optional_text("model"),
        serial=row.optional_text("serial"),
        location=row.optional_text("location"),
        install_date=row.date("install_date"),
        replacement_value=row.number("replacement_value", 0.0),
    )
    return _AssetLine(row, new, level is not None)


def _check_assets(lines: list[_AssetLine], in_db: dict[str, AssetLevel]) -> None:
    """Duplicates and the service's field and parent rules, with parents from file or database."""
    first_row: dict[str, int] = {}
    in_file: dict[str, _AssetLine] = {}
    for line in lines:
        code = line.new.code
        if code in first_row:
            line.row.add("code", f"{code} is also on row {first_row[code]}")
        elif code in in_db:
            line.row.add("code", f"{code} exists already")
        else:
            first_row[code] = line.row.spreadsheet_row
            in_file[code] = line
    for line in lines:
        parent_code = line.new.parent_code
        parent = in_file.get(parent_code) if parent_code else None
        parent_level = parent.new.level if parent else in_db.get(parent_code or "")
        found = asset_problems(line.new, parent_level)
        if not (line.level_known and (parent is None or parent.level_known)):
            # A level that did not parse stood in as "area": its relation checks mean nothing.
            found.pop("parent", None)
            found.pop("level", None)
        if parent_code and parent is None and parent_code not in in_db:
            found["parent"] = f"no asset {parent_code} in the database or in this file"
        for name, text in found.items():
            line.row.add(_ASSET_FIELD_COLUMNS.get(name, name), text)


def _parents_first(lines: list[_AssetLine]) -> tuple[list[_AssetLine], list[ImportProblem]]:
    """The lines ordered so each parent from the file comes before its children.

    Lines on a parent cycle cannot be ordered; each cycle is reported once, at its first row.
    """
    by_code = {ln.new.code: ln for ln in lines}
    children: dict[str, list[_AssetLine]] = {}
    for line in lines:
        if line.new.parent_code in by_code:
            children.setdefault(line.new.parent_code, []).append(line)
    ready = deque(ln for ln in lines if ln.new.parent_code not in by_code)
    order: list[_AssetLine] = []
    while ready:
        line = ready.popleft()
        order.append(line)
        ready.extend(children.get(line.new.code, ()))
    placed = {id(ln) for ln in order}
    return order, _cycles([ln for ln in lines if id(ln) not in placed], by_code)


def _cycles(stuck: list[_AssetLine], by_code: dict[str, _AssetLine]) -> list[ImportProblem]:
    problems: list[ImportProblem] = []
    reported: set[str] = set()
    for line in stuck:
        path = [line.new.code]
        while (parent := _parent_in_file(path[-1], by_code)) not in path:
            path.append(parent)
        loop = path[path.index(parent) :]
        if reported.isdisjoint(loop):
            reported.update(loop)
            first = min(loop, key=lambda code: by_code[code].row.spreadsheet_row)
            start = loop.index(first)
            ring = [*loop[start:], *loop[:start], first]
            problems.append(
                ImportProblem(
                    by_code[first].row.spreadsheet_row,
                    "parent",
                    Phrase("cycle {codes}", codes=Listing(tuple(ring), " → ")),
                )
            )
    return problems


def _parent_in_file(code: str, by_code: dict[str, _AssetLine]) -> str:
    """The parent code of a line that could not be placed: always one from the file."""
    parent = by_code[code].new.parent_code
    assert parent is not None
    return parent


# -- users --------------------------------------------------------------------------------


def new_password(username: str = "") -> str:
    """A random password that passes the password rules, to be handed to its user once."""
    while password_problems(candidate := secrets.token_urlsafe(12), username):
        pass
    return candidate


def _user(row: _Row) -> tuple[_Row, NewUser]:
    username = row.text("username")
    new = NewUser(
        username=username,
        full_name=row.text("full_name"),
        role=row.choice("role", Role) or Role.VIEWER,
        password=new_password(username),
        craft=row.optional_text("craft"),
        hourly_rate=row.number("hourly_rate", 0.0),
        weekly_hours=row.number("weekly_hours", 0.0),
    )
    for name, text in validate_new_user(new).items():
        row.add(name, text)
    return row, new


def _check_users(users: list[tuple[_Row, NewUser]], taken: set[str]) -> None:
    """User names are unique ignoring case, in the file and against the database."""
    first_row: dict[str, int] = {}
    for row, new in users:
        key = new.username.lower()
        if key in first_row:
            row.add("username", f"{new.username} is also on row {first_row[key]}")
        elif key in taken:
            row.add("username", f"{new.username} is taken")
        else:
            first_row[key] = row.spreadsheet_row
