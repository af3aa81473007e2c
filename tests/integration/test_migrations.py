"""Alembic migrations: the newest revision matches the models on both engines; data survives."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desktop.services import audit
from desktop.store.migrate import current_revision, head_revision, upgrade
from desktop.store.models import Base


def test_migrated_schema_matches_the_models(db):
    with db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []
    assert current_revision(db) == head_revision()


def test_upgrade_at_head_changes_nothing_and_keeps_data(db):
    before = audit.verify(db)
    assert upgrade(db) is None
    after = audit.verify(db)
    assert after.ok
    assert after.final_hash == before.final_hash
