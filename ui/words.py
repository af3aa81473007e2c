"""The domain's words (statuses, work types, priorities, hold reasons, asset levels and states)
as shown on screen, in the workstation's language.

The database and the exports keep the English values; only the screen translates them. The
literals below exist for `pyside6-lupdate`, which reads texts only where QT_TR_NOOP names them.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP

from ui.i18n import say, tr

WORDS = (
    QT_TR_NOOP("requested"),
    QT_TR_NOOP("approved"),
    QT_TR_NOOP("scheduled"),
    QT_TR_NOOP("in progress"),
    QT_TR_NOOP("on hold"),
    QT_TR_NOOP("completed"),
    QT_TR_NOOP("closed"),
    QT_TR_NOOP("cancelled"),
    QT_TR_NOOP("preventive"),
    QT_TR_NOOP("corrective"),
    QT_TR_NOOP("emergency"),
    QT_TR_NOOP("predictive"),
    QT_TR_NOOP("inspection"),
    QT_TR_NOOP("high"),
    QT_TR_NOOP("medium"),
    QT_TR_NOOP("low"),
    QT_TR_NOOP("parts"),
    QT_TR_NOOP("access"),
    QT_TR_NOOP("shutdown"),
    QT_TR_NOOP("other"),
    QT_TR_NOOP("area"),
    QT_TR_NOOP("system"),
    QT_TR_NOOP("equipment"),
    QT_TR_NOOP("component"),
    QT_TR_NOOP("in service"),
    QT_TR_NOOP("standby"),
    QT_TR_NOOP("out of service"),
    QT_TR_NOOP("decommissioned"),
    QT_TR_NOOP("days"),
    QT_TR_NOOP("weeks"),
    QT_TR_NOOP("months"),
    QT_TR_NOOP("years"),
    QT_TR_NOOP("receipt"),
    QT_TR_NOOP("issue"),
    QT_TR_NOOP("return"),
    QT_TR_NOOP("adjustment"),
    QT_TR_NOOP("transfer"),
    QT_TR_NOOP("open"),
    QT_TR_NOOP("ordered"),
    QT_TR_NOOP("draft"),
    QT_TR_NOOP("sent"),
    QT_TR_NOOP("partly received"),
    QT_TR_NOOP("received"),
    QT_TR_NOOP("request"),
    QT_TR_NOOP("breakdown report"),
    QT_TR_NOOP("pm schedule"),
    QT_TR_NOOP("condition rule"),
    QT_TR_NOOP("inspection finding"),
    QT_TR_NOOP("pass"),
    QT_TR_NOOP("fail"),
    QT_TR_NOOP("n/a"),
    QT_TR_NOOP("viewer"),
    QT_TR_NOOP("technician"),
    QT_TR_NOOP("planner"),
    QT_TR_NOOP("supervisor"),
    QT_TR_NOOP("admin"),
    QT_TR_NOOP("acknowledged"),
    QT_TR_NOOP("started"),
    QT_TR_NOOP("asset back up"),
    QT_TR_NOOP("above"),
    QT_TR_NOOP("below"),
    QT_TR_NOOP("threshold"),
    QT_TR_NOOP("rate of change"),
    QT_TR_NOOP("forecast"),
)

STOP_REASON_LABELS = (
    QT_TR_NOOP("Breakdown"),
    QT_TR_NOOP("Jam / blockage"),
    QT_TR_NOOP("No material"),
    QT_TR_NOOP("No operator"),
    QT_TR_NOOP("Quality problem"),
    QT_TR_NOOP("Changeover"),
    QT_TR_NOOP("Cleaning"),
    QT_TR_NOOP("Planned maintenance"),
    QT_TR_NOOP("Other"),
)
"""desktop.domain.stop_reasons' labels, for the display's reason buttons."""


def move_verb(verb: str) -> str:
    """A lifecycle move's verb (desktop.domain.lifecycle) on its button: "put on hold" → "Put
    on hold" ("Zurückstellen"); a verb of its own, as "Schedule" is also a noun elsewhere."""
    moves = {
        "approve": tr("Approve", "lifecycle move"),
        "schedule": tr("Schedule", "lifecycle move"),
        "unschedule": tr("Unschedule", "lifecycle move"),
        "start": tr("Start", "lifecycle move"),
        "put on hold": tr("Put on hold", "lifecycle move"),
        "resume": tr("Resume", "lifecycle move"),
        "complete": tr("Complete", "lifecycle move"),
        "close": tr("Close", "lifecycle move"),
        "reopen": tr("Reopen", "lifecycle move"),
        "cancel": tr("Cancel", "lifecycle move"),
    }
    if verb in moves:
        return moves[verb]
    said = say(verb)  # a Phrase: "move to {status}"
    return said[:1].upper() + said[1:]


def word(value: str) -> str:
    """A stored enum value as a person reads it: `in_progress` → "in progress" (German:
    "in Arbeit")."""
    text = value.replace("_", " ")
    return tr(text)
