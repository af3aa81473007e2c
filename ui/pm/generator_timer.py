"""Runs the PM generator in the app every so often, off the UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.domain.permissions import ALLOWED_ROLES, Action
from desktop.services.pm.pm_generator import PMGenerator
from ui.background import Background, Failure

if TYPE_CHECKING:
    from desktop.services.pm.pm_generator import RunResult
    from ui.background import Pool
    from ui.context import AppContext

DEFAULT_INTERVAL_MS = 15 * 60 * 1000


class GeneratorTimer(QObject):
    """Generates due PM orders at start and then every interval, for users allowed to.

    Several workstations may run it at once: the generator makes each order once.
    """

    sig_generated = Signal(int, int)
    sig_failed = Signal(str)

    def __init__(
        self,
        context: AppContext,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        pool: Pool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._background = Background(self, pool)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.run_now)

    @property
    def allowed(self) -> bool:
        return self._context.actor.role in ALLOWED_ROLES[Action.RUN_PM]

    def start(self) -> None:
        if self.allowed:
            self.run_now()
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def run_now(self) -> None:
        if self.allowed:
            generator = PMGenerator(self._context.db, self._context.clock)
            self._background.run(
                lambda: generator.run(self._context.actor), self._on_generated, self._on_failed
            )

    def _on_generated(self, result: RunResult) -> None:
        self.sig_generated.emit(len(result.created), len(result.skipped))

    def _on_failed(self, failure: Failure) -> None:
        self.sig_failed.emit(failure.message)
