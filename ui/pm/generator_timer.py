"""Runs the PM generator in the app every so often, off the UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from desktop.domain.errors import WrenchbookError
from desktop.domain.permissions import ALLOWED_ROLES, Action
from desktop.services.pm_generator import PMGenerator

if TYPE_CHECKING:
    from ui.context import AppContext

DEFAULT_INTERVAL_MS = 15 * 60 * 1000


class Pool(Protocol):
    def start(self, runnable: QRunnable) -> None: ...


class _Signals(QObject):
    sig_finished = Signal(int, int)
    sig_failed = Signal(str)


class _Run(QRunnable):
    """Runs on a pool thread; the database handle makes its own session per unit of work."""

    def __init__(self, context: AppContext, signals: _Signals) -> None:
        super().__init__()
        self._context = context
        self._signals = signals

    def run(self) -> None:
        try:
            result = PMGenerator(self._context.db, self._context.clock).run(self._context.actor)
        except WrenchbookError as exc:
            self._signals.sig_failed.emit(str(exc))
            return
        self._signals.sig_finished.emit(len(result.created), len(result.skipped))


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
        self._pool: Pool = pool or QThreadPool.globalInstance()
        self._signals = _Signals(self)
        self._signals.sig_finished.connect(self.sig_generated)
        self._signals.sig_failed.connect(self.sig_failed)
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
            self._pool.start(_Run(self._context, self._signals))
