"""The OPC UA client thread: its own asyncio loop, a subscription, reconnects with backoff.

Samples reach the sinks (UI buffer, historian, monitor) in batches every `batch_interval_s`,
never one by one. When the server is lost every tag gets a CONNECTION_LOST gap sample, then
the thread reconnects with exponential backoff; its `status` says what it is doing, for a
status bar.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import threading
import time
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from asyncua import ua

from desktop.domain.condition import Quality, Sample
from desktop.domain.errors import WrenchbookError
from desktop.domain.phrases import Phrase, message_of
from desktop.plant.connection import (
    QUEUE_SIZE,
    Connection,
    as_float,
    open_client,
    resolve_nodes,
    to_sample,
)
from desktop.plant.failures import FAILURES, explain
from desktop.plant.pki import Pki, UntrustedServer
from desktop.plant.sampling import (
    DeliveryWatch,
    SamplingGrant,
    Shortfall,
    confirm,
    describe_grants,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from asyncua import Client, Node
    from asyncua.common.subscription import DataChangeNotif, Subscription

INITIAL_BACKOFF_S = 0.5
MAX_BACKOFF_S = 30.0
BATCH_INTERVAL_S = 0.1
DELIVERY_CHECK_S = 1.0
READ_TIMEOUT_S = 5.0
# Second-generation collections between full ones (Python's default: 10); about every 20 s at
# plant scale (10,000 samples/s).
FULL_COLLECTION_EVERY = 100

_log = logging.getLogger(__name__)


class SampleSink(Protocol):
    def put_batch(self, samples: list[Sample]) -> None: ...


class LinkState(StrEnum):
    STOPPED = "stopped"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "waiting to reconnect"
    UNTRUSTED = "server certificate not trusted"


@dataclass(frozen=True)
class ClientStatus:
    state: LinkState
    message: str = ""
    """The endpoint, or what failed and how to fix it: a Phrase the app says in its language."""
    attempt: int = 0
    retry_in_s: float | None = None
    unresolved_tags: tuple[int, ...] = ()
    untrusted_thumbprint: str | None = None
    # Once connected: what the server granted for sampling, and warnings (sampling.py).
    sampling: tuple[str, ...] = ()
    grants: tuple[SamplingGrant, ...] = ()
    delivery: tuple[Shortfall, ...] = ()
    """Tags that delivered far fewer values than asked over the last window (sampling.py)."""


@dataclass(frozen=True)
class TagNode:
    """What the client needs of a mapped tag (TagView has it: id, namespace_uri, node_id)."""

    tag_id: int
    namespace_uri: str
    node_id: str
    # Asked of the server per tag (sampling.sampling_ms); None: the publish interval.
    sampling_ms: int | None = None
    name: str = ""
    steady: bool = False
    """Its value changes all the time (analog): a server should deliver about one value per
    interval, so far fewer is worth a warning (states and counters change only now and then)."""


class _Handler:
    """asyncua subscription handler. Runs on the OPC UA thread: no I/O, no locks."""

    def __init__(self, nodes: dict[ua.NodeId, int], pending: list[Sample]) -> None:
        self._nodes = nodes
        self._pending = pending

    def datachange_notification(self, node: Node, val: object, data: DataChangeNotif) -> None:
        tag_id = self._nodes.get(node.nodeid)
        if tag_id is not None:
            self._pending.append(to_sample(tag_id, data.monitored_item.Value, time.time()))

    def status_change_notification(self, status: object) -> None:
        """Subscription status changes end in a connection loss, handled by the thread."""


@dataclass
class _Counters:
    connects: int = 0
    notifications: int = 0
    gaps_recorded: int = 0
    batches: int = 0
    delivery_checks: int = 0
    """Counting windows weighed (sampling.DeliveryWatch), warning or not."""


class OpcUaClientThread:
    """Owns a thread with its own event loop; start(), stop(), read `status` from anywhere."""

    def __init__(
        self,
        connection: Connection,
        tags: list[TagNode],
        sinks: list[SampleSink],
        on_status: Callable[[ClientStatus], None] | None = None,
        batch_interval_s: float = BATCH_INTERVAL_S,
        delivery_window_s: float | None = None,
    ) -> None:
        """`delivery_window_s` is how long arrivals are counted before they are weighed
        (sampling.WINDOW_S unless a test shortens it)."""
        self.connection = connection
        self._tags = tags
        self._sinks = sinks
        self._on_status = on_status
        self._batch_interval = batch_interval_s
        self._pending: list[Sample] = []
        # Tag ids this server resolved and accepted at the last subscription.
        self._served: list[int] = []
        self._status = ClientStatus(LinkState.STOPPED)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._retry: asyncio.Event | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name="opcua-client", daemon=True)
        self.counters = _Counters()
        # What the server granted per tag id at the last subscription (sampling, queue).
        self.grants: dict[int, SamplingGrant] = {}
        self._delivery_window_s = delivery_window_s
        self._watch = DeliveryWatch({})
        # The session while subscribed, and each served tag's node: a suspect tag is read.
        self._live: Client | None = None
        self._node_of: dict[int, ua.NodeId] = {}

    @property
    def status(self) -> ClientStatus:
        return self._status

    def start(self) -> OpcUaClientThread:
        self._thread.start()
        self._started.wait()
        return self

    def stop(self, timeout_s: float = 15.0) -> None:
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout_s)

    def trust_server(self, thumbprint: str) -> None:
        """Accept the certificate the server offered and connect again at once."""
        if self.connection.pki_dir is None:
            raise WrenchbookError("this connection has no certificate folder")
        Pki(self.connection.pki_dir).trust(thumbprint)
        self.retry_now()

    def retry_now(self) -> None:
        if self._loop is not None and self._retry is not None:
            self._loop.call_soon_threadsafe(self._retry.set)

    # -- the thread ----------------------------------------------------------------------

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        finally:
            loop.close()

    def _set(self, status: ClientStatus) -> None:
        self._status = status
        if self._on_status is not None:
            self._on_status(status)

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        self._retry = asyncio.Event()
        self._started.set()
        flusher = asyncio.create_task(self._flush_loop())
        weigher = asyncio.create_task(self._delivery_loop())
        delay = INITIAL_BACKOFF_S
        attempt = 0
        while not self._stop.is_set():
            attempt += 1
            self._set(ClientStatus(LinkState.CONNECTING, self.connection.endpoint, attempt))
            client: Client | None = None
            subscribed = False
            try:
                client = await open_client(self.connection)
                lost = asyncio.Event()

                async def on_lost(exc: Exception, lost: asyncio.Event = lost) -> None:
                    lost.set()

                client.connection_lost_callback = on_lost
                unresolved = await self._subscribe(client)
                subscribed = True
                self._live = client
                # What the session built stays for its lifetime: move it (and everything
                # older) out of the cyclic collector's scans. A full collection over it
                # stalled the Qt event loop for 200-600 ms in the OPC UA bench; frozen,
                # under 50 ms.
                gc.freeze()
                # Streaming keeps tens of thousands of samples in flight (buffers, the
                # historian's commit), so the young collections promote a stream of them and
                # the full collection ran one to two times a second, each a pause of every
                # thread. It now waits for FULL_COLLECTION_EVERY young-generation passes.
                young, middle, _ = gc.get_threshold()
                gc.set_threshold(young, middle, max(FULL_COLLECTION_EVERY, _))
                self.counters.connects += 1
                attempt, delay = 0, INITIAL_BACKOFF_S
                message = Phrase(
                    "{endpoint}, {count} tags",
                    endpoint=self.connection.endpoint,
                    count=len(self._tags) - len(unresolved),
                )
                sampling = tuple(describe_grants(list(self.grants.values())))
                self._set(
                    ClientStatus(
                        LinkState.CONNECTED,
                        message,
                        0,
                        None,
                        tuple(unresolved),
                        None,
                        sampling,
                        tuple(self.grants.values()),
                    )
                )
                await _first(lost.wait(), self._stop.wait())
                reason: str = Phrase("server connection lost")
            except UntrustedServer as exc:
                # Retried on the backoff too: `plant trust` in another shell, or a colleague
                # trusting it on another workstation sharing the folder, must be picked up.
                await self._close(client)
                self._set(
                    ClientStatus(
                        LinkState.UNTRUSTED, message_of(exc), attempt, delay, (), exc.thumbprint
                    )
                )
                await _first(asyncio.sleep(delay), self._stop.wait(), self._retry.wait())
                self._retry.clear()
                delay = min(delay * 2, MAX_BACKOFF_S)
                continue
            except (*FAILURES, WrenchbookError) as exc:
                # Any failure, a certificate the server refused included, is retried: the
                # fix (trusting our certificate there) happens on the server, unseen.
                reason = explain(exc, self.connection)
            self._live = None
            if subscribed and not self._stop.is_set():
                self._record_gap()
            await self._close(client)
            if self._stop.is_set():
                break
            self._set(ClientStatus(LinkState.RECONNECTING, reason, attempt, delay))
            await _first(asyncio.sleep(delay), self._stop.wait(), self._retry.wait())
            self._retry.clear()
            delay = min(delay * 2, MAX_BACKOFF_S)
        self._live = None
        for task in (flusher, weigher):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._deliver()
        self._set(ClientStatus(LinkState.STOPPED))

    async def _subscribe(self, client: Client) -> list[int]:
        triples = [(t.tag_id, t.namespace_uri, t.node_id) for t in self._tags]
        nodes, unresolved = await resolve_nodes(client, triples)
        self.grants = {}
        if nodes:
            handler = _Handler(nodes, self._pending)
            period = self.connection.publish_ms
            subscription = await client.create_subscription(period, handler)
            asked = {t.tag_id: max(1, t.sampling_ms or period) for t in self._tags}
            groups: dict[int, list[ua.NodeId]] = {}
            for node_id, tag_id in nodes.items():
                groups.setdefault(asked[tag_id], []).append(node_id)
            handles: dict[int, int] = {}
            # One call per sampling interval (PITFALLS.md: never one per node). Never 0: some
            # servers (node-opcua-samples 2.14) take 0 as "changes only" and send one value
            # per connection; values are queued on the server until the next publish.
            for interval, group in groups.items():
                results = await subscription.subscribe_data_change(
                    [client.get_node(n) for n in group],
                    queuesize=QUEUE_SIZE,
                    sampling_interval=interval,
                )
                for node_id, result in zip(group, results, strict=True):
                    if isinstance(result, ua.StatusCode):
                        unresolved.append(nodes[node_id])
                    else:
                        handles[nodes[node_id]] = result
            names = {t.tag_id: t.name for t in self._tags if t.name}
            self.grants = await revised(subscription, handles, asked, names)
            self._node_of = {tag_id: node_id for node_id, tag_id in nodes.items()}
        missing = set(unresolved)
        self._served = [t.tag_id for t in self._tags if t.tag_id not in missing]
        self._watch = self._delivery_watch(asked if nodes else {}, missing)
        return unresolved

    def _delivery_watch(self, asked: dict[int, int], missing: set[int]) -> DeliveryWatch:
        """Watch the steady tags this server serves, at the interval it granted (or the one
        asked, where it granted faster or changes only)."""
        intervals: dict[int, float] = {}
        for tag in self._tags:
            if tag.steady and tag.tag_id not in missing and tag.tag_id in asked:
                grant = self.grants.get(tag.tag_id)
                revised = grant.revised_ms if grant is not None else 0.0
                intervals[tag.tag_id] = max(float(asked[tag.tag_id]), revised)
        names = {t.tag_id: t.name for t in self._tags if t.name}
        watch = DeliveryWatch(intervals, names)
        if self._delivery_window_s is not None:
            watch.window_s = self._delivery_window_s
        watch.start(time.monotonic())
        return watch

    def _record_gap(self) -> None:
        """The tags this server served get a gap at the moment it was found lost; tags of
        other servers (unresolved here) keep their history intact."""
        now = time.time()
        self._pending.extend(
            Sample(tag_id, now, None, Quality.CONNECTION_LOST) for tag_id in self._served
        )
        self.counters.gaps_recorded += 1
        self._deliver()

    @staticmethod
    async def _close(client: Client | None) -> None:
        if client is None:
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.disconnect(), 5.0)

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(self._batch_interval)
            self._deliver()

    async def _delivery_loop(self) -> None:
        """Once a second, see whether a counting window ended; apart from the flush loop, so
        the Read that confirms a suspect never holds up the batches."""
        while True:
            await asyncio.sleep(DELIVERY_CHECK_S)
            await self._weigh_delivery()

    async def _weigh_delivery(self) -> None:
        """At the end of each counting window, say which tags are short of values (and when
        that changes), on the status the CLI prints and the app's status bar shows. A suspect
        is read: only a value that changed unsent is a server sending less than asked."""
        suspects = self._watch.check(time.monotonic())
        if suspects is None or self._status.state is not LinkState.CONNECTED:
            return
        found = confirm(suspects, await self._read_now([s.tag_id for s in suspects]))
        self.counters.delivery_checks += 1
        if tuple(found) != self._status.delivery and self._status.state is LinkState.CONNECTED:
            for shortfall in found:
                _log.warning("%s", shortfall.text)
            self._set(replace(self._status, delivery=tuple(found)))

    async def _read_now(self, tag_ids: list[int]) -> dict[int, float | None]:
        """The tags' values read now in one request; nothing where the read fails."""
        client = self._live
        known = [t for t in tag_ids if t in self._node_of]
        if client is None or not known:
            return {}
        try:
            values = await asyncio.wait_for(
                client.read_values([client.get_node(self._node_of[t]) for t in known]),
                READ_TIMEOUT_S,
            )
        except FAILURES:
            return {}
        return {t: as_float(v) for t, v in zip(known, values, strict=True)}

    def _deliver(self) -> None:
        if not self._pending:
            return
        batch = self._pending[:]
        self._pending.clear()
        self.counters.notifications += len(batch)
        self.counters.batches += 1
        self._watch.count(batch)
        for sink in self._sinks:
            sink.put_batch(batch)


async def revised(
    subscription: Subscription,
    handles: dict[int, int],
    asked: dict[int, int],
    names: dict[int, str] | None = None,
) -> dict[int, SamplingGrant]:
    """The sampling interval and queue size the server granted, per tag id.

    asyncua does not return CreateMonitoredItems' revised values, so the same parameters are
    sent again in one ModifyMonitoredItems request, whose results carry them (Part 4, 5.12.3).
    """
    if not handles:
        return {}
    # The modification must keep each item's client handle, by which asyncua routes the
    # notifications; asyncua keeps them only in its private registry.
    client_handles = {
        data.server_handle: handle for handle, data in subscription._monitored_items.items()
    }
    if not set(handles.values()) <= set(client_handles):
        return {}  # asyncua's registry changed shape: better no record than a wrong handle
    params = ua.ModifyMonitoredItemsParameters()
    params.SubscriptionId = subscription.subscription_id
    order = list(handles)
    for tag_id in order:
        item = ua.MonitoredItemModifyRequest()
        item.MonitoredItemId = handles[tag_id]
        item.RequestedParameters = ua.MonitoringParameters(
            ClientHandle=client_handles[handles[tag_id]],
            SamplingInterval=asked[tag_id],
            QueueSize=QUEUE_SIZE,
            DiscardOldest=True,
        )
        params.ItemsToModify.append(item)
    try:
        results = await subscription.server.modify_monitored_items(params)
    except ua.UaStatusCodeError:
        return {}  # a server without ModifyMonitoredItems: nothing to show, still sampling
    return {
        tag_id: SamplingGrant(
            tag_id,
            asked[tag_id],
            QUEUE_SIZE,
            result.RevisedSamplingInterval,
            result.RevisedQueueSize,
            (names or {}).get(tag_id, ""),
        )
        # A server answering fewer results than asked leaves those tags without a record.
        for tag_id, result in zip(order, results, strict=False)
        if result.StatusCode.is_good()
    }


async def _first(*waits: object) -> None:
    """Wait until the first of several awaitables finishes; cancel the rest."""
    tasks = [asyncio.ensure_future(w) for w in waits]  # type: ignore[call-overload]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
