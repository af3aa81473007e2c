"""`data` subcommands (being written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    del commands, common
