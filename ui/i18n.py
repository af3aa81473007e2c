"""The app's language and how dates, times and numbers look on screen (issue 18, item 3).

Texts are translated with Qt's own machinery: `tr("…")` here (one translation context for the
whole app, so `pyside6-lupdate` finds every call) and `QT_TR_NOOP` for texts kept in constants
and translated where they are shown. `tools/translations.py` updates `resources/i18n/*.ts` and
compiles them into the `.qm` files loaded at start. The language is the workstation's setting
(`ui/language` in workstation.ini), else Windows' display language, else English.

Times are stored in UTC; the screen shows them in the site's time zone (set at log-in) in the
format of the language: ISO dates in English (the app's format since its first release), the
local convention (05.12.2026 14:30) in the others.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QLibraryInfo,
    QLocale,
    QTime,
    QTranslator,
)

from desktop.domain.errors import ConflictError, TransitionRefused, ValidationFailed
from desktop.domain.failure_codes import RESOURCES_DIR, code_lists
from desktop.domain.phrases import Amount, Listing, Phrase, Sentence, as_sentence, message_of
from desktop.reports.wording import Formats, Wording, wording
from desktop.services.admin.workstation_settings import LANGUAGE_CODES, UI_LANGUAGE

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

TRANSLATIONS_DIR = RESOURCES_DIR / "i18n"
LANGUAGE_KEY = UI_LANGUAGE
"""The workstation's language in workstation.ini; empty or missing: Windows' display language."""
LANGUAGES = dict(zip(LANGUAGE_CODES, ("English", "Deutsch", "Polski", "Türkçe"), strict=True))
"""Languages the app ships, each named in itself; English is the source of every text."""
SOURCE_LANGUAGE = "en"

_installed: list[QTranslator] = []
_state: dict[str, object] = {"language": SOURCE_LANGUAGE, "zone": None}


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`text` in the workstation's language; with `n`, the plural form for n ("%n" in it)."""
    return QCoreApplication.translate("", text, disambiguation, n)


def say(text: str) -> str:
    """A service's English text in the user's language: a `Phrase` has its template translated
    and its figures in the locale's format (nested phrases likewise); a plain text is looked up
    as it is. The templates are listed for lupdate where the screen that shows them lives (the
    engine's messages: ui/engine_texts.py)."""
    if not isinstance(text, Phrase):
        return tr(text)
    values = {name: _said(value) for name, value in text.values.items()}
    said = tr(text.template).format(**values)
    return as_sentence(said) if isinstance(text, Sentence) else said


def _said(value: object) -> str:
    """One value of a Phrase on screen: numbers in the locale's format, a status or role as
    the app's word for it, codes and names as they are."""
    if isinstance(value, Phrase):
        return say(value)
    if isinstance(value, Amount):
        if value.decimals is None:
            return show_amount(value.value)
        return show_number(value.value, value.decimals)
    if isinstance(value, Listing):
        conjunction = tr("and")  # "needs 10 characters and a digit"
        separator = f" {conjunction} " if value.separator == " and " else value.separator
        # The items are messages (password rules) or codes, which no catalogue translates.
        return separator.join(
            _said(item)
            if isinstance(item, Phrase | StrEnum) or not isinstance(item, str)
            else say(item)
            for item in value.items
        )
    if isinstance(value, date) and not isinstance(value, datetime):
        return show_date(value)
    if isinstance(value, StrEnum):
        # English keeps the stored value the CLI prints (on_hold); others say the app's word.
        return word_of(value.value) if current_language() != SOURCE_LANGUAGE else value.value
    if isinstance(value, BaseException):
        return say_error(value)
    return str(value)


def word_of(name: str) -> str:
    """A stored value or a service's field name as a person reads it, in their language where
    the catalogue has the word (`in_progress` → "in Arbeit", `unit_cost` → "Stückkosten")."""
    words = name.replace("_", " ")
    return tr(words)


def say_problems(problems: dict[str, str]) -> str:
    """Field problems that no field of the form shows, on one line: "quantity: …; bin: …"."""
    return "; ".join(f"{word_of(field)}: {say(text)}" for field, text in problems.items())


def say_error(error: BaseException) -> str:
    """What an engine error says, in the user's language: the service's Phrase translated with
    its values, a validation's problems one after another, a lifecycle refusal with what stops
    it, a stale save with who changed the record and when."""
    if isinstance(error, ValidationFailed):
        return say_problems(error.problems)
    if isinstance(error, TransitionRefused):
        return tr("cannot {verb} {number}: {problems}").format(
            verb=say(error.verb),
            number=error.number,
            problems="; ".join(say(problem) for problem in error.problems),
        )
    if isinstance(error, ConflictError):
        return tr(
            "{what} was changed by {who} at {when} after you opened it; "
            "reload it and apply your changes again"
        ).format(
            what=say(error.what),
            who=say(error.changed_by),
            when=show_time(error.changed_at, seconds=True),
        )
    return say(message_of(error))


def language_for(settings: QSettings | None) -> str:
    """The workstation's choice, else the system's display language if shipped, else English."""
    chosen = str(settings.value(LANGUAGE_KEY, "") or "") if settings is not None else ""
    if chosen in LANGUAGES:
        return chosen
    system = QLocale.system().name().split("_")[0]
    return system if system in LANGUAGES else SOURCE_LANGUAGE


def install(language: str) -> str:
    """Load the translations of `language` (ours and Qt's own buttons and dialogs) and make
    its locale the default for formatting. Returns the language in use.

    Call once on the UI thread after the QApplication exists and before windows are built.
    """
    app = QCoreApplication.instance()
    assert app is not None
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = language if language in LANGUAGES else SOURCE_LANGUAGE
    system = QLocale.system()
    # The system's country when it speaks this language (de_AT), else the language's own.
    locale = system if system.name().startswith(language) else QLocale(language)
    QLocale.setDefault(locale)
    _state["language"] = language
    if language == SOURCE_LANGUAGE:
        return language
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (
        (f"wrenchbook_{language}", str(TRANSLATIONS_DIR)),
        (f"qtbase_{language}", qt_dir),
    ):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
    return language


def current_language() -> str:
    return str(_state["language"])


def set_site_zone(name: str | None) -> None:
    """The site's time zone for every time shown (None: the workstation's own zone)."""
    zone: tzinfo | None = None
    if name:
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            zone = None
    _state["zone"] = zone


def site_zone() -> tzinfo | None:
    zone = _state["zone"]
    return zone if isinstance(zone, tzinfo) else None


def site_local(value: datetime) -> datetime:
    """A stored instant (UTC, or naive UTC) on the site's clock; the PC's zone until the
    site's is known."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    zone = site_zone()
    return value.astimezone(zone) if zone is not None else value.astimezone()


def _iso() -> bool:
    return current_language() == SOURCE_LANGUAGE


def show_time(value: datetime | None, *, seconds: bool = False) -> str:
    """A stored UTC instant in the site's zone, to the minute (or the second, for alarms):
    `2026-12-05 14:30` in English, the locale's date (`05.12.2026 14:30`) in the other
    languages; "—" for none."""
    if value is None:
        return "—"
    local = site_local(value)
    if _iso():
        return local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    qt = QDateTime(
        QDate(local.year, local.month, local.day),
        QTime(local.hour, local.minute, local.second if seconds else 0),
    )
    locale = QLocale()
    return locale.toString(qt, f"{_date_format(locale)} {'HH:mm:ss' if seconds else 'HH:mm'}")


def show_date(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = site_local(value).date()
    if _iso():
        return value.isoformat()
    locale = QLocale()
    return locale.toString(QDate(value.year, value.month, value.day), _date_format(locale))


def show_clock(value: datetime, seconds: bool = False) -> str:
    """The time of day on the site's clock: 14:30 (or 14:30:05)."""
    return site_local(value).strftime("%H:%M:%S" if seconds else "%H:%M")


def show_day_and_time(value: datetime) -> str:
    """A recent instant with its day: `5 Dec 14:30`, `5. Dez. 14:30` (the language's month)."""
    local = site_local(value)
    day = QLocale().toString(QDate(local.year, local.month, local.day), "d MMM")
    return f"{day} {local:%H:%M}"


def show_weekday(value: date | datetime, pattern: str = "ddd dd.MM.") -> str:
    """A planning day with the locale's short weekday name (`Tue 01.12.`, `Di. 01.12.`);
    `pattern` is Qt's date format (ddd = weekday, d = day of the month, MMM = month name).
    A stored instant counts by its day in the site's zone."""
    if isinstance(value, datetime):
        value = site_local(value).date()
    return QLocale().toString(QDate(value.year, value.month, value.day), pattern)


def date_format() -> str:
    """Qt's display format of a date edit: as `show_date` writes dates."""
    return "yyyy-MM-dd" if _iso() else _date_format(QLocale())


def date_time_format() -> str:
    """Qt's display format of a date-and-time edit: as `show_time` writes times."""
    return f"{date_format()} HH:mm"


def _date_format(locale: QLocale) -> str:
    """The locale's short date with a four-digit year (dd.MM.yyyy, dd.MM.yyyy, dd.MM.yyyy)."""
    short = locale.dateFormat(QLocale.FormatType.ShortFormat)
    return short if "yyyy" in short else short.replace("yy", "yyyy")


def show_amount(value: float) -> str:
    """A quantity or limit as short as it goes (`2.5`, `12`, `0.125`; German `2,5`), as `:g`."""
    if _iso():
        return f"{value:g}"
    return QLocale().toString(float(value), "g", 6)


def show_number(value: float | None, decimals: int = 2) -> str:
    """A number with the locale's separators (1.234,50 in German); "—" for none."""
    if value is None or not math.isfinite(value):
        return "—"
    if _iso():
        return f"{value:,.{decimals}f}"
    return QLocale().toString(float(value), "f", decimals)


def code_name(field: str, code: str) -> str:
    """An ISO 14224 code's name in the workstation's language (the codes file carries the
    German names; Polish and Turkish show English); an unknown code stands for itself."""
    language = current_language()
    return next((c.name(language) for c in code_lists()[field] if c.code == code), code)


def print_wording() -> Wording:
    """The workstation's language for a printed page, with the separators and date order of
    its locale as the screen shows them (05.12.2026, 1.234,5; 1'234.5 in Switzerland). English
    prints ISO dates, as it shows them."""
    language = current_language()
    if language == SOURCE_LANGUAGE:
        return wording(language)
    locale = QLocale()
    return wording(language, Formats(date_format(), locale.decimalPoint(), locale.groupSeparator()))
