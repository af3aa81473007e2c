"""Random sequences of user actions never break the lifecycle's invariants (hypothesis)."""

from __future__ import annotations

import contextlib
import itertools
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from desktop.domain.enums import HoldReason, Status, WorkOrderType
from desktop.domain.errors import (
    PermissionDenied,
    ReadOnlyRecord,
    TransitionRefused,
    ValidationFailed,
)
from desktop.services.admin.users import UserService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from desktop.store.database import Database
from tests.conftest import SEEDED_USERS, FakeClock
from tests.integration.workflow import prepare, raise_order
from tests.unit.test_lifecycle import LEGAL

FINAL = (Status.CLOSED, Status.CANCELLED)


class LifecycleMachine(RuleBasedStateMachine):
    """Users with every role poke at a few work orders in any order."""

    template: Path

    orders = Bundle("orders")

    @initialize()
    def open_database(self) -> None:
        self.folder = Path(tempfile.mkdtemp())
        shutil.copyfile(self.template, self.folder / "db.sqlite3")
        self.db = Database(f"sqlite:///{self.folder / 'db.sqlite3'}")
        self.clock = FakeClock()
        self.service = WorkOrderService(self.db, self.clock)
        users = UserService(self.db)
        self.actors = {name: users.actor_for(name) for name in SEEDED_USERS}
        self.final: dict[str, Status] = {}

    def teardown(self) -> None:
        if hasattr(self, "db"):
            result = audit.verify(self.db)
            self.db.dispose()
            shutil.rmtree(self.folder, ignore_errors=True)
            assert result.ok, result.describe()

    @rule(target=orders, wo_type=st.sampled_from(WorkOrderType), down=st.booleans())
    def raise_one(self, wo_type: WorkOrderType, down: bool) -> str:
        return raise_order(
            self.service, self.actors["paula"], wo_type=wo_type, asset_down=down
        ).number

    @rule(
        number=orders,
        goal=st.sampled_from(Status),
        user=st.sampled_from(sorted(SEEDED_USERS)),
        get_ready=st.booleans(),
        note=st.sampled_from(["", "reason"]),
        minutes=st.integers(0, 600),
    )
    def move(
        self, number: str, goal: Status, user: str, get_ready: bool, note: str, minutes: int
    ) -> None:
        self.clock.advance(minutes=minutes)
        before = self.service.get(number).row.status
        if get_ready and before not in FINAL:
            with contextlib.suppress(ValidationFailed, ReadOnlyRecord):
                prepare(self.service, self.actors["admin"], number, goal, self.clock)
        try:
            row = self.service.transition(
                self.actors[user], number, goal, note=note, hold_reason=HoldReason.ACCESS
            )
        except (TransitionRefused, PermissionDenied):
            assert self.service.get(number).row.status is before
            return
        assert (before, goal) in LEGAL
        assert before not in FINAL
        assert self.actors[user].role.value != "viewer"
        if row.status in FINAL:
            self.final[number] = row.status

    @invariant()
    def history_is_consistent(self) -> None:
        if not hasattr(self, "service"):
            return
        for row in self.service.search(limit=100):
            detail = self.service.get(row.number)
            steps = [(h.from_status, h.to_status) for h in detail.history]
            assert steps[0] == (None, Status.REQUESTED)
            for (_, previous), (source, target) in itertools.pairwise(steps):
                assert source is previous
                assert (source, target) in LEGAL
            assert steps[-1][1] is row.status
            assert self.final.get(row.number, row.status) is row.status  # final stays final
            stamps = [h.at for h in detail.history]
            assert stamps == sorted(stamps)


def test_random_action_sequences_keep_the_invariants(sqlite_template: Path) -> None:
    LifecycleMachine.template = sqlite_template
    run_state_machine_as_test(
        LifecycleMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


@pytest.mark.parametrize("wo_type", list(WorkOrderType))
def test_every_type_can_complete_its_whole_lifecycle(db, actors, clock, wo_type):
    from tests.integration.workflow import drive_to

    wo = raise_order(WorkOrderService(db, clock), actors["admin"], wo_type=wo_type, asset_down=True)
    row = drive_to(WorkOrderService(db, clock), actors["admin"], wo.number, Status.CLOSED, clock)
    assert row.status is Status.CLOSED
