"""The display's live OPC UA feed: subscribe to the mapped tags and draw, never write.

The control room watches; the monitoring service (``main.py monitor`` or an office
workstation's plant link) stores history and raises alarms. So the display runs only the
OPC UA client thread with the UI buffer as its sink, and the `SampleBridge` of the Trends page
brings the batches to the UI thread. The tag list comes from the display's snapshot, so the
feed starts once the database has answered and restarts when the mapping changes. The client
thread reconnects by itself with backoff; the bridge reports its state for the outage banner.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.services.admin.workstation_settings import PlantChoice, PlantMode
from ui.i18n import say_error
from ui.plant_link import free_port

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.plant.buffer import SampleBlock, SampleBuffer
    from desktop.plant.client import ClientStatus, OpcUaClientThread
    from desktop.plant.simulator import SimulatorThread
    from desktop.services.analytics.control_room import TagInfo
    from ui.trends.bridge import SampleBridge

log = logging.getLogger(__name__)


class LiveFeed(QObject):
    """UI thread only, except `_connect`, which runs on its own thread.

    `sig_samples_arrived` and `sig_status_changed` are the bridge's, re-emitted so pages can
    connect before the feed has started. `latest` holds each tag's newest good value.
    """

    sig_samples_arrived = Signal(object)
    sig_status_changed = Signal(object)
    sig_failed = Signal(str)
    _sig_connected = Signal(object, object)

    def __init__(
        self,
        endpoint: str | None,
        simulate: bool,
        data_dir: Path,
        choice: PlantChoice | None = None,
    ) -> None:
        """`choice` carries the security and login of the workstation settings."""
        super().__init__()
        self._endpoint = endpoint
        self._choice = choice or PlantChoice(PlantMode.SERVER, endpoint or "")
        self._simulate = simulate
        self._data_dir = data_dir
        self._tags: tuple[TagInfo, ...] | None = None
        self._client: OpcUaClientThread | None = None
        self._bridge: SampleBridge | None = None
        self._starting = False
        self._stopped = False
        self.simulator: SimulatorThread | None = None
        self.latest: dict[int, float] = {}
        self._sig_connected.connect(self._on_connected)

    @property
    def endpoint(self) -> str:
        if self.simulator is not None:
            return self.simulator.endpoint
        return self._endpoint or ""

    def set_tags(self, tags: tuple[TagInfo, ...]) -> None:
        """Subscribe to `tags`: the first call starts the feed, a changed list restarts it."""
        if tags == self._tags or self._starting:
            return
        self._tags = tags
        self._stop_client()
        if not tags:
            return
        self._starting = True
        threading.Thread(
            target=self._connect, args=(tags,), name="display-feed", daemon=True
        ).start()

    def _connect(self, tags: tuple[TagInfo, ...]) -> None:
        """Runs on the feed thread, which also pays for importing asyncua (~0.5 s)."""
        from desktop.plant.buffer import SampleBuffer
        from desktop.plant.client import OpcUaClientThread, TagNode
        from desktop.plant.configured import connection_for
        from desktop.plant.simulator import SimulatorOptions, SimulatorThread

        try:
            if self._simulate and self.simulator is None:
                options = SimulatorOptions(
                    port=free_port(), pki_dir=self._data_dir / "pki-simulator"
                )
                self.simulator = SimulatorThread(options).start()
            connection = connection_for(self._choice, self._data_dir / "pki", self.endpoint)
            buffer = SampleBuffer()
            nodes = [TagNode(t.id, t.namespace_uri, t.node_id) for t in tags]
            client = OpcUaClientThread(connection, nodes, [buffer]).start()
        # Any failure (a bad endpoint, a busy port) is shown; the display stays up.
        except Exception as exc:
            log.exception("display feed failed")
            self._starting = False
            self.sig_failed.emit(say_error(exc))
            return
        self._sig_connected.emit(client, buffer)

    def _on_connected(self, client: OpcUaClientThread, buffer: SampleBuffer) -> None:
        from ui.trends.bridge import SampleBridge

        self._starting = False
        if self._stopped:  # closed while the thread was still connecting
            client.stop()
            return
        self._client = client
        self._bridge = SampleBridge(buffer, client, self)
        self._bridge.sig_samples_arrived.connect(self._on_bridge_samples_arrived)
        self._bridge.sig_status_changed.connect(self.sig_status_changed)
        self._bridge.start()

    def _on_bridge_samples_arrived(self, block: SampleBlock) -> None:
        self.latest.update(block.latest())
        self.sig_samples_arrived.emit(block)

    @property
    def status(self) -> ClientStatus | None:
        return None if self._client is None else self._client.status

    def _stop_client(self) -> None:
        if self._bridge is not None:
            self._bridge.stop()
            self._bridge.deleteLater()
            self._bridge = None
        if self._client is not None:
            self._client.stop()
            self._client = None

    def stop(self) -> None:
        self._stopped = True
        self._stop_client()
        if self.simulator is not None:
            self.simulator.stop()
