"""What belongs to an asset beyond its name plate: its spare parts and its files."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.store.inventory_models import Part
from desktop.store.models import Asset, Base
from desktop.store.types import UTCDateTime


class AssetPart(Base):
    """A spare part the asset uses, and how many one replacement takes (its bill of spares).

    PM kits and the work-order sheet read it; the part's page shows every asset using it.
    """

    __tablename__ = "asset_parts"
    __table_args__ = (UniqueConstraint("asset_id", "part_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    quantity: Mapped[float] = mapped_column(Float, default=1.0)
    note: Mapped[str] = mapped_column(String(200), default="")

    asset: Mapped[Asset] = relationship()
    part: Mapped[Part] = relationship()


class AssetAttachment(Base):
    """A manual, drawing or photo kept with an asset (checked like work-order attachments)."""

    __tablename__ = "asset_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
