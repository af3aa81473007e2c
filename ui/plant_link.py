"""The desktop's live plant link: the demo's simulator when asked, monitoring, and the bridge.

Both run in a child process (desktop.plant.pipeline_process), started from a helper thread
after the window is up; the trends panel attaches when the link is ready, whenever it is
built.
"""

from __future__ import annotations

import logging
import socket
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QObject, Signal

from desktop.services.admin.workstation_settings import PlantChoice, PlantMode
from ui.i18n import say, say_error, show_number, tr

if TYPE_CHECKING:
    from desktop.plant.client import ClientStatus
    from desktop.plant.pipeline_process import PipelineProcess
    from desktop.plant.simulator import SimulatorOptions
    from ui.context import AppContext
    from ui.trends.bridge import ProcessBridge
    from ui.trends.panel import TrendsPanel

log = logging.getLogger(__name__)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


LINK_STATES = {
    "stopped": QT_TR_NOOP("stopped"),
    "connecting": QT_TR_NOOP("connecting"),
    "connected": QT_TR_NOOP("connected"),
    "waiting to reconnect": QT_TR_NOOP("waiting to reconnect"),
    "server certificate not trusted": QT_TR_NOOP("server certificate not trusted"),
}
"""desktop.plant.client.LinkState's values, as the status bar says them."""


def status_text(status: ClientStatus) -> str:
    """The status bar's one line: the state, the failure with its fix, when it retries, all in
    the user's language (the client's messages are Phrases)."""
    # Loaded by now: a status only arrives from a running client.
    from desktop.plant.client import LinkState
    from desktop.plant.sampling import short_of_values

    state = LINK_STATES.get(status.state.value, status.state.value)
    text = tr("OPC UA: {state}").format(state=tr(state))
    if status.state is not LinkState.CONNECTED and status.message:
        text += f": {say(status.message)}"
    if status.retry_in_s:
        seconds = status.retry_in_s
        shown = show_number(seconds, 0 if seconds == int(seconds) else 1)
        text += tr(" (next try in {seconds} s)").format(seconds=shown)
    short = short_of_values(status.grants, status.delivery)
    if status.state is LinkState.CONNECTED and short:
        text += " · ⚠ " + tr("{short} (Trends: the tag list says what the server granted)").format(
            short=say(short)
        )
    return text


class PlantLink(QObject):
    """UI thread only, except `_spawn`, which runs on its own thread.

    The pipeline (client, historian, rules, plant writer, and the demo's simulator) runs in
    a child process (desktop.plant.pipeline_process): at plant scale its threads kept the
    interpreter lock from the Qt thread for over 100 ms at a time.
    """

    sig_ready = Signal()
    sig_failed = Signal(str)
    sig_status_changed = Signal(str)
    _sig_spawned = Signal(object)

    def __init__(
        self,
        context: AppContext,
        endpoint: str | None,
        simulate: bool,
        choice: PlantChoice | None = None,
    ) -> None:
        """`choice` carries the security and login of the workstation settings."""
        super().__init__()
        self._context = context
        self._endpoint = endpoint
        self._simulate = simulate
        self._choice = choice or PlantChoice(PlantMode.SERVER, endpoint or "")
        self._simulator: SimulatorOptions | None = None
        self.bridge: ProcessBridge | None = None
        self._panels: list[TrendsPanel] = []
        self._stopped = False
        self._sig_spawned.connect(self._on_spawned)

    def start(self) -> None:
        self.sig_status_changed.emit(tr("OPC UA: starting"))
        if self._simulate:
            from desktop.plant.simulator import SimulatorOptions

            data_dir = self._context.data_dir
            self._simulator = SimulatorOptions(port=free_port(), pki_dir=data_dir / "pki-simulator")
        threading.Thread(target=self._spawn, name="plant-link", daemon=True).start()

    @property
    def endpoint(self) -> str:
        """The server monitored: the demo's simulator (run by the pipeline process) when it is
        asked for, else the one configured."""
        if self._simulator is not None:
            return self._simulator.endpoint
        return self._endpoint or ""

    @property
    def pid(self) -> int | None:
        """The pipeline process's id while it runs."""
        return self.bridge.process.pid if self.bridge is not None else None

    def read_tag(self, namespace_uri: str, identifier: str) -> float:
        """One node's value read now over a connection of its own, with this workstation's
        security and login (lock-out verification). Blocks: call it off the GUI thread."""
        from desktop.plant.configured import connection_for
        from desktop.plant.live_read import tag_reader

        connection = connection_for(self._choice, self._context.data_dir / "pki", self.endpoint)
        return tag_reader(connection)(namespace_uri, identifier)

    def attach(self, panel: TrendsPanel) -> None:
        """Feed `panel` from the link now, or as soon as it is ready."""
        self._panels.append(panel)
        if self.bridge is not None:
            panel.attach(self.bridge)
            self.bridge.resend_status()

    def _spawn(self) -> None:
        """Runs on the plant-link thread, which also pays for starting the child and for the
        imports that unpickling a status needs (asyncua, ~0.5 s), so the first status does not
        import them on the UI thread."""
        import desktop.plant.client  # noqa: F401
        from desktop.plant.configured import connection_for
        from desktop.plant.pipeline_process import PipelineProcess, PipelineSpec

        try:
            connection = connection_for(self._choice, self._context.data_dir / "pki", self.endpoint)
            spec = PipelineSpec(
                self._context.db.url, self._context.actor, connection, self._simulator
            )
            process = PipelineProcess(spec).start()
        except Exception as exc:
            log.exception("plant link failed")
            self.sig_failed.emit(tr("OPC UA: {error}").format(error=say_error(exc)))
            return
        self._sig_spawned.emit(process)

    def _on_spawned(self, process: PipelineProcess) -> None:
        from ui.trends.bridge import ProcessBridge

        if self._stopped:
            process.stop()
            return
        self.bridge = ProcessBridge(process, self._shown_tags, self)
        self.bridge.sig_status_changed.connect(self._on_bridge_status_changed)
        self.bridge.sig_ready.connect(self.sig_ready)
        self.bridge.sig_failed.connect(self._on_bridge_failed)
        for panel in self._panels:
            panel.attach(self.bridge)
        self.bridge.start()

    def _shown_tags(self) -> frozenset[int]:
        return frozenset(tag for panel in self._panels for tag in panel.shown_tags())

    def _on_bridge_status_changed(self, status: ClientStatus) -> None:
        self.sig_status_changed.emit(status_text(status))

    def _on_bridge_failed(self, message: str) -> None:
        self.sig_failed.emit(tr("OPC UA: {error}").format(error=message))

    @property
    def sampling(self) -> tuple[str, ...]:
        """What the server granted at this link's connection, with a line per tag short of
        values (the settings dialog says them); empty before the first connection."""
        from desktop.domain.phrases import Phrase

        status = self.bridge.status if self.bridge is not None else None
        if status is None:
            return ()
        return (
            *status.sampling,
            *(Phrase("warning: {warning}", warning=d.text) for d in status.delivery),
        )

    def stop(self) -> None:
        """Blocks until the pipeline process has written what it holds and exited."""
        self._stopped = True
        if self.bridge is not None:
            self.bridge.stop()
