"""`kpi` subcommand: the dashboard's figures as a table, CSV or JSON, and as an Excel workbook."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.output import FORMATS, render
from desktop.domain.enums import Criticality
from desktop.domain.errors import ValidationFailed
from desktop.domain.kpis import EARLIEST, LATEST
from desktop.plant.run_time import HistorianRunTime
from desktop.services.analytics.kpi import KpiService, utc_day
from desktop.services.analytics.kpi_records import Dashboard, KpiQuery
from desktop.services.pm.pm_compliance import ScheduledPmCompliance
from desktop.services.shared.clock import utc_now

if TYPE_CHECKING:
    import argparse

    from desktop.cli.context import CliContext
    from desktop.services.analytics.reliability import WeibullFit

DEFAULT_DAYS = 90
FIGURE_HEADERS = ("kpi", "value", "shown", "previous", "change", "unit", "source", "note")


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    kpi = commands.add_parser(
        "kpi", parents=[common], help="maintenance KPIs for a period (what the dashboard shows)"
    )
    kpi.add_argument(
        "--from", dest="start", type=date.fromisoformat, metavar="YYYY-MM-DD",
        help=f"first day (default: {DEFAULT_DAYS} days before --to)",
    )  # fmt: skip
    kpi.add_argument(
        "--to", dest="end", type=date.fromisoformat, metavar="YYYY-MM-DD",
        help="last day, included (default: today, UTC)",
    )  # fmt: skip
    kpi.add_argument("--area", metavar="CODE", help="this asset and everything below it")
    kpi.add_argument("--class", dest="asset_class", action="append", metavar="CLASS")
    kpi.add_argument("--criticality", action="append", choices=[c.value for c in Criticality])
    kpi.add_argument(
        "--weibull",
        choices=("asset_class", "asset"),
        help="also fit Weibull lives of the times between failures per class or asset",
    )
    kpi.add_argument("--failure-mode", metavar="CODE", help="the one failure mode to fit")
    kpi.add_argument("--format", choices=FORMATS, default="table")
    kpi.add_argument("--out", type=Path, metavar="FILE.xlsx", help="also write an Excel workbook")
    kpi.set_defaults(handler=_kpi)


def _kpi(ctx: CliContext) -> int:
    args = ctx.args
    for name, day in (("--from", args.start), ("--to", args.end)):
        if day is not None and not EARLIEST.date() <= day < LATEST.date():
            raise ValidationFailed(
                {name: f"{day}: give a day from {EARLIEST:%Y-%m-%d} to before {LATEST:%Y-%m-%d}"}
            )
    last = args.end or utc_now().date()
    first = args.start or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationFailed({"--from": f"{first} is after --to {last}"})
    if args.out is not None and args.out.suffix.lower() != ".xlsx":
        raise ValidationFailed({"--out": "give a file name ending in .xlsx"})
    query = KpiQuery(
        start=utc_day(first),
        end=utc_day(last + timedelta(days=1)),
        area=args.area,
        asset_classes=tuple(args.asset_class or ()),
        criticalities=tuple(Criticality(c) for c in args.criticality or ()),
    )
    db = ctx.db()
    board = KpiService(
        db, pm_compliance=ScheduledPmCompliance(db), running_hours=HistorianRunTime(db)
    ).dashboard(query)
    tables = _tables(board)
    if args.weibull:
        from desktop.services.analytics.reliability import ReliabilityService

        fits = ReliabilityService(ctx.db()).weibull(query, args.weibull, args.failure_mode)
        tables["weibull"] = _weibull_table(fits)
    if args.format == "json":
        record = _json(board, first, last)
        if "weibull" in tables:
            headers, rows = tables["weibull"]
            record["weibull"] = [dict(zip(headers, row, strict=True)) for row in rows]
        print(json.dumps(record, indent=2, ensure_ascii=False, default=str))
    elif args.format == "csv":
        print(render(FIGURE_HEADERS, tables["kpis"][1], "csv"))
    else:
        print(f"KPIs {first} to {last}" + (f", area {args.area}" if args.area else ""))
        for name, (headers, rows) in tables.items():
            print(f"\n{name.replace('_', ' ')}")
            print(render(headers, rows[:15], "table"))
    if args.out is not None:
        _workbook(args.out, tables)
        print(f"written to {args.out}")
    return 0


def _tables(board: Dashboard) -> dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
    """Every part of the dashboard as a header and rows: the CLI's and the workbook's tables."""

    def num(value: float | None) -> float | None:
        return None if value is None else round(value, 3)

    return {
        "kpis": (
            FIGURE_HEADERS,
            [
                (
                    f.label,
                    num(f.value),
                    f.text,
                    num(f.previous),
                    num(f.change),
                    f.unit,
                    f.source,
                    f.note,
                )
                for f in board.figures
            ],
        ),
        "mttr_stages": (("stage", "hours"), [(s.stage, num(s.hours)) for s in board.mttr_stages]),
        "by_asset_class": (
            ("class", "assets", "failures", "operating hours", "MTBF h", "MTTR h"),
            [
                (
                    c.asset_class,
                    c.assets,
                    c.failures,
                    num(c.operating_hours),
                    num(c.mtbf_hours),
                    num(c.mttr_hours),
                )
                for c in board.by_class
            ],
        ),
        "failure_pareto_by_mode": (
            ("mode", "label", "failures", "downtime h"),
            [(p.key, p.label, p.failures, num(p.downtime_hours)) for p in board.pareto_by_mode],
        ),
        "failure_pareto_by_asset": (
            ("asset", "name", "failures", "downtime h"),
            [(p.key, p.label, p.failures, num(p.downtime_hours)) for p in board.pareto_by_asset],
        ),
        "cost_by_asset": (
            ("asset", "name", "labour", "parts", "own cost", "with subtree", "replacement value"),
            [
                (
                    c.code,
                    c.name,
                    num(c.labour_cost),
                    num(c.parts_cost),
                    num(c.own_cost),
                    num(c.rolled_up_cost),
                    num(c.replacement_value),
                )
                for c in board.cost_by_asset
            ],
        ),
        "backlog_over_time": (
            ("at", "orders", "remaining h", "weeks"),
            [
                (p.at, p.orders, num(p.remaining_hours), num(p.weeks))
                for p in board.backlog_over_time
            ],
        ),
    }


def _weibull_table(fits: list[WeibullFit]) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    def num(value: float | None) -> float | None:
        return None if value is None else round(value, 3)

    headers = (
        "group", "failures", "suspensions", "beta", "beta 95% low", "beta 95% high", "eta h",
        "eta 95% low", "eta 95% high", "rank-regression beta", "rank-regression eta h", "reading",
    )  # fmt: skip
    rows = []
    for fit in fits:
        beta_low, beta_high = fit.beta_bounds or (None, None)
        eta_low, eta_high = fit.eta_bounds or (None, None)
        rank_beta, rank_eta = fit.rank_regression or (None, None)
        rows.append(
            (
                fit.group,
                fit.failures,
                fit.suspensions,
                num(fit.beta),
                num(beta_low),
                num(beta_high),
                num(fit.eta_hours),
                num(eta_low),
                num(eta_high),
                num(rank_beta),
                num(rank_eta),
                fit.reading,
            )
        )
    return headers, rows


def _json(board: Dashboard, first: date, last: date) -> dict[str, Any]:
    figures = []
    for figure in board.figures:
        record = asdict(figure)
        del record["order_ids"]
        record["change"] = figure.change
        record["work_orders"] = len(figure.order_ids)
        figures.append(record)
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "mtbf_basis": board.mtbf_basis,
        "kpis": figures,
        "mttr_stages": [asdict(s) for s in board.mttr_stages],
        "by_asset_class": [asdict(c) for c in board.by_class],
        "failure_pareto_by_mode": [asdict(p) for p in board.pareto_by_mode],
        "failure_pareto_by_asset": [asdict(p) for p in board.pareto_by_asset],
        "cost_by_asset": [asdict(c) for c in board.cost_by_asset],
        "backlog_over_time": [asdict(p) for p in board.backlog_over_time],
        "pm_by_month": None
        if board.pm_by_month is None
        else [asdict(m) for m in board.pm_by_month],
    }


def _workbook(path: Path, tables: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, (headers, rows) in tables.items():
        sheet = book.create_sheet(name[:31])
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_cell(v) for v in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _cell(value: Any) -> Any:
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value
