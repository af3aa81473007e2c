"""`plant discover` and `plant apply`: propose an asset branch from a server, review, apply."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.output import render
from desktop.domain.discovery import DiscoveryProposal, proposal_from_json, proposal_to_json
from desktop.domain.errors import ValidationFailed
from desktop.plant.discovery import discover
from desktop.plant.simulator import quiet_asyncua_logs
from desktop.services.condition.plant_discovery import PlantDiscoveryService

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from desktop.cli.context import CliContext
    from desktop.plant.connection import Connection


def register(
    actions: argparse._SubParsersAction,
    common: argparse.ArgumentParser,
    opc: argparse.ArgumentParser,
    connection: Callable[[CliContext], Connection],
) -> None:
    disc = actions.add_parser(
        "discover",
        parents=[common, opc],
        help="propose assets and tags from a server's address space, for review",
    )
    disc.add_argument("--under", required=True, metavar="CODE", help="parent asset, e.g. an area")
    disc.add_argument("--out", type=Path, metavar="JSON", help="write the proposal here")
    disc.set_defaults(handler=functools.partial(_discover, connection=connection))
    apply = actions.add_parser(
        "apply", parents=[common], help="create the assets and tags of a reviewed proposal"
    )
    apply.add_argument("file", type=Path)
    apply.add_argument(
        "--only",
        nargs="+",
        metavar="CODE",
        help="apply only these assets (with their branch and tags) or tag names",
    )
    apply.set_defaults(handler=_apply)


def _discover(ctx: CliContext, connection: Callable[[CliContext], Connection]) -> int:
    quiet_asyncua_logs()
    existing = PlantDiscoveryService(ctx.db()).existing()
    proposal = asyncio.run(discover(connection(ctx), ctx.args.under, existing))
    _print(proposal)
    if ctx.args.out is not None:
        ctx.args.out.write_text(proposal_to_json(proposal), encoding="utf-8")
        print(f"proposal written to {ctx.args.out}: review it, then `plant apply` it")
    return 0


def _print(proposal: DiscoveryProposal) -> None:
    assets = [
        (a.code, a.name, a.parent_code, a.level, a.maker or "", a.model or "", a.serial or "")
        for a in proposal.assets
    ]
    print(render(("code", "name", "parent", "level", "maker", "model", "serial"), assets, "table"))
    tags = [(t.name, t.asset_code, t.kind, t.unit, t.node_id) for t in proposal.tags]
    print(render(("tag", "asset", "kind", "unit", "node_id"), tags, "table"))
    skipped = [(s.kind, s.key, s.reason) for s in proposal.skipped]
    if skipped:
        print(render(("skipped", "what", "why"), skipped, "table"))
    print(
        f"{len(proposal.assets)} assets and {len(proposal.tags)} tags proposed under "
        f"{proposal.under}, {len(proposal.skipped)} skipped"
    )


def _apply(ctx: CliContext) -> int:
    proposal = proposal_from_json(ctx.args.file.read_text(encoding="utf-8"))
    codes, names = accepted(proposal, ctx.args.only)
    applied = PlantDiscoveryService(ctx.db()).apply_proposal(ctx.actor(), proposal, codes, names)
    print(f"{len(applied.asset_codes)} assets and {len(applied.tag_names)} tags created")
    return 0


def accepted(proposal: DiscoveryProposal, only: list[str] | None) -> tuple[set[str], set[str]]:
    """Everything, or the named assets with the branch below them and their tags, plus the
    named tags; a name the proposal does not hold is refused."""
    if only is None:
        return {a.code for a in proposal.assets}, {t.name for t in proposal.tags}
    tag_names = {t.name for t in proposal.tags}
    unknown = [
        item
        for item in only
        if item not in tag_names
        and item not in {t.asset_code for t in proposal.tags}
        and item not in {a.code for a in proposal.assets}
    ]
    if unknown:
        raise ValidationFailed({"--only": f"not in the proposal: {', '.join(unknown)}"})
    codes: set[str] = set()
    roots = set(only)
    for asset in proposal.assets:  # parents come before their children
        if asset.code in roots or asset.parent_code in codes:
            codes.add(asset.code)
    names = {t.name for t in proposal.tags if t.name in roots or t.asset_code in codes | roots}
    return codes, names
