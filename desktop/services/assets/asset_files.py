"""Manuals, drawings and photos kept with an asset, checked like work-order attachments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.errors import NotFound
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Phrase
from desktop.services.shared import attachments
from desktop.services.shared.attachments import AttachmentView
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.asset_models import AssetAttachment
from desktop.store.models import Asset, User

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session

    from desktop.store.database import Database


class AssetFileService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def files(self, asset_code: str) -> list[AttachmentView]:
        with self._db.unit_of_work(write=False) as session:
            asset = _asset(session, asset_code)
            rows = session.execute(
                select(
                    AssetAttachment.id,
                    AssetAttachment.filename,
                    AssetAttachment.mime_type,
                    AssetAttachment.size,
                    AssetAttachment.sha256,
                    AssetAttachment.created_at,
                    User.username,
                )
                .join(User, User.id == AssetAttachment.created_by_id)
                .where(AssetAttachment.asset_id == asset.id)
                .order_by(AssetAttachment.id)
            ).all()
            return [AttachmentView(*row) for row in rows]

    def add(self, actor: Actor, asset_code: str, filename: str, content: bytes) -> AttachmentView:
        """Keep a file with the asset; its type is decided from the content, not the name."""
        require(actor, Action.MANAGE_ASSETS)
        now = self._clock()
        with self._db.unit_of_work() as session:
            asset = _asset(session, asset_code)
            return attachments.keep(
                session,
                actor,
                AssetAttachment,
                {"asset_id": asset.id},
                ("asset", asset.code),
                filename,
                content,
                now,
            )

    def add_file(self, actor: Actor, asset_code: str, path: Path) -> AttachmentView:
        """Attach a file from disk, refused by size and type before it is read whole."""
        require(actor, Action.MANAGE_ASSETS)
        return self.add(actor, asset_code, path.name, attachments.read_file(path))

    def content(self, attachment_id: int) -> tuple[str, bytes]:
        """A kept file's name and bytes, to open it."""
        with self._db.unit_of_work(write=False) as session:
            row = session.get(AssetAttachment, attachment_id)
            if row is None:
                raise NotFound(Phrase("no asset file {attachment_id}", attachment_id=attachment_id))
            return row.filename, row.content


def _asset(session: Session, code: str) -> Asset:
    found = session.execute(select(Asset).where(Asset.code == code)).scalar_one_or_none()
    if found is None:
        raise NotFound(Phrase("no asset {code}", code=code))
    return found
