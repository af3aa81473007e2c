"""Condition rules changed from the form: parameters saved, stale saves refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.domain.condition import Direction, RuleKind, RuleSpec
from desktop.domain.enums import Priority
from desktop.domain.errors import ConflictError, PermissionDenied, ValidationFailed
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft

pytestmark = pytest.mark.both_engines


def test_updates_a_rule_and_refuses_a_stale_or_bad_save(db, clock, actors):
    tags = PlantTagService(db, clock)
    tags.import_tags(actors["paula"], [TagDraft("P-101.Temp", "P-101", "urn:x", "s=T", "°C")])
    spec = RuleSpec(RuleKind.THRESHOLD, 80.0, Direction.ABOVE, hysteresis=2.0)
    rule = tags.add_rule(actors["paula"], RuleDraft("Bearing hot", "P-101.Temp", spec))
    revision = tags.rule_revisions()["Bearing hot"]
    forecast = RuleSpec(RuleKind.FORECAST, 95.0, Direction.ABOVE, window_s=3600, horizon_s=7200)

    saved = tags.update_rule(
        actors["paula"],
        rule.id,
        revision,
        RuleDraft("Bearing hot", "P-101.Temp", forecast, Priority.EMERGENCY, verify_minutes=60),
    )

    assert (saved.spec, saved.priority, saved.verify_minutes) == (
        forecast,
        Priority.EMERGENCY,
        60,
    )
    with pytest.raises(ConflictError):
        tags.update_rule(actors["paula"], rule.id, revision, RuleDraft("x", "y", spec))
    bad = replace(forecast, horizon_s=0)
    with pytest.raises(ValidationFailed, match="horizon_s"):
        tags.update_rule(
            actors["paula"], rule.id, tags.rule_revisions()["Bearing hot"], RuleDraft("x", "y", bad)
        )
    with pytest.raises(PermissionDenied):
        tags.update_rule(actors["tom"], rule.id, 0, RuleDraft("x", "y", spec))
