"""The subcommands of main.py, for scripts, servers and the office without the GUI."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError

from desktop.cli import (
    admin,
    data,
    demo,
    handover,
    kpi,
    lockout,
    notify,
    plant,
    pm,
    report,
    settings,
    stock,
    wo,
)
from desktop.cli.context import CliContext, add_global_options
from desktop.domain.errors import WrenchbookError
from desktop.store.database import scrub, timeout_hint, tls_hint

if TYPE_CHECKING:
    from collections.abc import Sequence

EXIT_USAGE = 2
EXIT_REFUSED = 1


class _Parser(argparse.ArgumentParser):
    """argparse that ends with the usage and a plain message, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wrenchbook", description="Wrenchbook maintenance management")
    add_global_options(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    add_global_options(common, suppress=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in (
        admin,
        demo,
        wo,
        data,
        kpi,
        lockout,
        handover,
        notify,
        plant,
        pm,
        report,
        stock,
        settings,
    ):
        module.register(commands, common)
    return parser


def command_names() -> set[str]:
    """The subcommands; anything else on main.py's command line starts the desktop app."""
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(commands.choices)


def _undecodable(argv: Sequence[str]) -> str | None:
    """An argument holding bytes the terminal's encoding could not decode, if any.

    Python hands such bytes over as lone surrogates, which no database can store.
    """
    return next((arg for arg in argv if any("\ud800" <= c <= "\udfff" for c in arg)), None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    bad = _undecodable(sys.argv[1:] if argv is None else argv)
    if bad is not None:
        shown = bad.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
        print(f"error: the argument {shown!r} is not valid text: retype it", file=sys.stderr)
        return EXIT_USAGE
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    ctx = CliContext(args)
    try:
        return int(args.handler(ctx) or 0)
    except WrenchbookError as exc:
        print(f"error: {scrub(str(exc), ctx.url)}", file=sys.stderr)
        return EXIT_REFUSED
    except OperationalError as exc:
        reason = scrub(str(exc.orig), ctx.url)
        hint = tls_hint(reason, ctx.url) + timeout_hint(reason, ctx.url)
        print(f"error: cannot use the database {ctx.url}: {reason}{hint}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        ctx.close()
