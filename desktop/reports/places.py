"""Where an asset sits: its path from the site down, and the location a technician walks to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.store.models import Asset, Site

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class AssetPlace:
    code: str
    name: str
    path: tuple[str, ...]
    """Codes from the area down to the asset itself."""
    location: str
    asset_class: str
    criticality: str
    maker_model: str
    serial: str
    level: str = ""
    installed_on: date | None = None
    """Level and install date: what the pack's reliability figures need (KPIS.md)."""


def site_name(session: Session) -> str:
    site = session.execute(select(Site.name, Site.code)).first()
    return f"{site.name} ({site.code})" if site else ""


def asset_places(session: Session) -> dict[str, AssetPlace]:
    """Every asset by code; a site holds hundreds, so one query beats walking up per order."""
    rows = session.execute(
        select(
            Asset.id,
            Asset.parent_id,
            Asset.code,
            Asset.name,
            Asset.location,
            Asset.asset_class,
            Asset.criticality,
            Asset.maker,
            Asset.model,
            Asset.serial,
            Asset.level,
            Asset.install_date,
        )
    ).all()
    by_id = {row.id: row for row in rows}
    places: dict[str, AssetPlace] = {}
    for row in rows:
        path: list[str] = []
        location = ""
        current = row
        # Guarded against a cycle, which the asset service never creates but a hand edit could.
        for _ in range(len(rows)):
            path.append(current.code)
            location = location or (current.location or "")
            if current.parent_id is None or current.parent_id not in by_id:
                break
            current = by_id[current.parent_id]
        maker_model = " ".join(part for part in (row.maker, row.model) if part)
        places[row.code] = AssetPlace(
            row.code,
            row.name,
            tuple(reversed(path)),
            location,
            row.asset_class,
            row.criticality.value,
            maker_model,
            row.serial or "",
            row.level.value,
            row.install_date,
        )
    return places
