"""The desktop's live plant link: the demo's simulator when asked, monitoring, and the bridge.

Starting an OPC UA server and client takes seconds, so it happens on a helper thread after
the window is up; the trends panel attaches when the link is ready, whenever it is built.
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
    from desktop.plant.runtime import MonitoringRuntime
    from desktop.plant.simulator import SimulatorThread
    from ui.context import AppContext
    from ui.trends.bridge import SampleBridge
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
    """UI thread only, except `_connect`, which runs on its own thread."""

    sig_ready = Signal()
    sig_failed = Signal(str)
    sig_status_changed = Signal(str)

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
        self.simulator: SimulatorThread | None = None
        self.runtime: MonitoringRuntime | None = None
        self.bridge: SampleBridge | None = None
        self._panels: list[TrendsPanel] = []
        self.sig_ready.connect(self._on_ready)

    def start(self) -> None:
        self.sig_status_changed.emit(tr("OPC UA: starting"))
        threading.Thread(target=self._connect, name="plant-link", daemon=True).start()

    @property
    def endpoint(self) -> str:
        """The server monitored: the simulator's once it runs, else the one configured."""
        if self.simulator is not None:
            return self.simulator.endpoint
        return self._endpoint or ""

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

    def _connect(self) -> None:
        """Runs on the plant-link thread, which also pays for importing asyncua (~0.5 s)."""
        from desktop.plant.configured import connection_for
        from desktop.plant.meter_feed import MeterFeed
        from desktop.plant.runtime import MonitoringRuntime
        from desktop.plant.simulator import SimulatorOptions, SimulatorThread, quiet_asyncua_logs

        quiet_asyncua_logs()

        data_dir = self._context.data_dir
        try:
            endpoint = self._endpoint
            if self._simulate:
                options = SimulatorOptions(port=free_port(), pki_dir=data_dir / "pki-simulator")
                self.simulator = SimulatorThread(options).start()
                endpoint = self.simulator.endpoint
            assert endpoint is not None
            connection = connection_for(self._choice, data_dir / "pki", endpoint)
            db, actor = self._context.db, self._context.actor
            self.runtime = MonitoringRuntime(db, actor, connection, on_counter=MeterFeed(db, actor))
            self.runtime.start()
        except Exception as exc:
            log.exception("plant link failed")
            self.sig_failed.emit(tr("OPC UA: {error}").format(error=say_error(exc)))
            return
        self.sig_ready.emit()

    def _on_ready(self) -> None:
        from ui.trends.bridge import SampleBridge

        assert self.runtime is not None
        self.bridge = SampleBridge(self.runtime.ui_buffer, self.runtime.client, self)
        self.bridge.sig_status_changed.connect(self._on_bridge_status_changed)
        for panel in self._panels:
            panel.attach(self.bridge)
        self.bridge.start()

    def _on_bridge_status_changed(self, status: ClientStatus) -> None:
        self.sig_status_changed.emit(status_text(status))

    @property
    def sampling(self) -> tuple[str, ...]:
        """What the server granted at this link's connection, with a line per tag short of
        values (the settings dialog says them); empty before the first connection."""
        from desktop.domain.phrases import Phrase

        if self.runtime is None:
            return ()
        status = self.runtime.client.status
        return (
            *status.sampling,
            *(Phrase("warning: {warning}", warning=d.text) for d in status.delivery),
        )

    def stop(self) -> None:
        if self.bridge is not None:
            self.bridge.stop()
        if self.runtime is not None:
            self.runtime.stop()
        if self.simulator is not None:
            self.simulator.stop()
