"""The dashboard's texts that the KPI service writes in English (desktop.domain.kpis and
desktop.services.analytics.kpi), listed here so that `pyside6-lupdate` puts them into the
catalogues; the dashboard shows them through `ui.i18n.say` and `tr`.

Keep in step with the service: the German test fails on a text missing here.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP

KPI_LABELS = (
    QT_TR_NOOP("MTTR"),
    QT_TR_NOOP("MTBF"),
    QT_TR_NOOP("Availability"),
    QT_TR_NOOP("Backlog"),
    QT_TR_NOOP("Overdue"),
    QT_TR_NOOP("PM compliance"),
    QT_TR_NOOP("Schedule compliance"),
    QT_TR_NOOP("Planned work"),
    QT_TR_NOOP("Reactive work"),
    QT_TR_NOOP("Proactive work"),
    QT_TR_NOOP("Emergency share"),
    QT_TR_NOOP("Booked-time utilisation"),
    QT_TR_NOOP("Maintenance cost"),
    QT_TR_NOOP("Cost / RAV"),
)
"""KpiDefinition.label of each figure."""
KPI_SOURCES = (
    QT_TR_NOOP("derived"),
    QT_TR_NOOP("derived (not wrench time, SMRP 5.6.1)"),
)
"""KpiDefinition.source in words; a standard's bare number reads the same in every language."""
KPI_FORMULAS = (
    QT_TR_NOOP("mean of (restored - failed) over failure orders completed in the period"),
    QT_TR_NOOP("operating hours of the assets / failure orders completed in the period"),
    QT_TR_NOOP("(period - idle - downtime hours) / (period - idle hours) x 100"),
    QT_TR_NOOP(
        "sum of max(estimate - labour logged, 0) of approved..on_hold orders / weekly crew capacity"
    ),
    QT_TR_NOOP("open orders whose due time has passed"),
    QT_TR_NOOP("PM orders due in the period done by due + grace / PM orders due x 100"),
    QT_TR_NOOP("orders on a week's schedule completed that week / orders on the schedule x 100"),
    QT_TR_NOOP(
        "labour hours on orders scheduled with an estimate before start / all labour hours x 100"
    ),
    QT_TR_NOOP(
        "labour hours on orders that broke into the week's schedule / all labour hours x 100"
    ),
    QT_TR_NOOP(
        "labour hours on PM, PdM and inspection orders and on work raised by a PM schedule, "
        "a condition rule or an inspection finding / all labour hours x 100"
    ),
    QT_TR_NOOP("labour hours on emergency orders / all labour hours x 100"),
    QT_TR_NOOP("labour hours logged by technicians / their available straight-time hours x 100"),
    QT_TR_NOOP(
        "labour hours x rate + parts issued - parts returned + external cost, "
        "of orders completed in the period"
    ),
    QT_TR_NOOP("annualised maintenance cost / replacement asset value x 100"),
)
"""KpiDefinition.formula: the tile's tooltip."""
PHRASES = (
    QT_TR_NOOP("{value} h"),
    QT_TR_NOOP("n/a"),
    QT_TR_NOOP("{value} %"),
    QT_TR_NOOP("{value}"),
    QT_TR_NOOP("{value} weeks"),
    QT_TR_NOOP(
        "running hours from tags for {tagged} of {assets} "
        "assets, calendar hours less downtime for the rest"
    ),
    QT_TR_NOOP("calendar hours less downtime (no running-hours tags)"),
    QT_TR_NOOP("from the failure"),
    QT_TR_NOOP("from technician start"),
    QT_TR_NOOP("{failures} failures; {variant}"),
    QT_TR_NOOP("no failures in {hours} operating hours"),
    QT_TR_NOOP("{assets} assets; {basis}"),
    QT_TR_NOOP("{assets} assets; planned and unplanned downtime"),
    QT_TR_NOOP("{orders} PM orders due"),
    QT_TR_NOOP("{orders} orders on weekly schedules that have ended"),
    QT_TR_NOOP(
        "{booked} h booked of {available} h; "
        "{technicians} active technicians, site-wide, absences not recorded"
    ),
    QT_TR_NOOP("{orders} orders completed; labour, parts issued (no external cost field)"),
    QT_TR_NOOP("annualised; replacement value {value}"),
    QT_TR_NOOP("{orders} orders, {hours} h remaining; crew {crew} h/week"),
    QT_TR_NOOP("open orders past their due time"),
    QT_TR_NOOP("not available"),
    QT_TR_NOOP("needs the PM schedules (their intervals set the grace); not connected"),
    QT_TR_NOOP("of {hours} labour hours (by entry date)"),
)
"""The templates of the service's Phrases: tile values, notes, the MTBF basis."""
