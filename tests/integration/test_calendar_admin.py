"""The site calendar's form on the engine: stale saves refused, shutdowns taken back."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.errors import ConflictError, NotFound
from desktop.services.assets.site_calendar import CalendarSettings, SiteCalendarService

pytestmark = pytest.mark.both_engines


def test_configure_refuses_a_stale_form_and_shutdowns_come_and_go(db, clock, actors):
    service = SiteCalendarService(db, clock)
    opened = service.record()
    service.configure(actors["sam"], CalendarSettings("mon-sat"), opened.revision)
    with pytest.raises(ConflictError) as stale:
        service.configure(actors["paula"], CalendarSettings("mon-fri"), opened.revision)
    assert stale.value.changed_by == "sam"
    assert service.record().settings.working_days == "mon,tue,wed,thu,fri,sat"

    service.add_closure(actors["paula"], date(2026, 8, 3), date(2026, 8, 14), "Summer")
    assert [c.name for c in service.record().closures] == ["Summer"]
    service.remove_closure(actors["paula"], date(2026, 8, 3), "Summer")
    assert service.record().closures == ()
    with pytest.raises(NotFound):
        service.remove_closure(actors["paula"], date(2026, 8, 3), "Summer")
