"""The control-room display window: header, banners and the rotating pages.

Nothing here writes on its own: the pages draw snapshots that a worker thread reads, and the
only writes are what a person confirms with their own log-in on the overlay (acknowledging an
alarm, raising a breakdown request), done by the services that check their roles.

Set ``WRENCHBOOK_DISPLAY_SNAPSHOT`` to a file path and the window writes what it shows there as
JSON after every refresh (atomically replaced): the page on screen, the audit sequence of the
data, each page's content, the attention banner's items and the outages. Tests of the display
process and a site's own monitoring read it.
"""

from __future__ import annotations

import json
import logging
import os
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget
from sqlalchemy.exc import SQLAlchemyError

from desktop.domain.enums import Status
from desktop.domain.errors import WrenchbookError
from desktop.domain.stop_reasons import BY_CODE, STOP_REASONS
from desktop.plant.client import LinkState
from desktop.plant.run_time import HistorianRunTime
from desktop.services.admin.users import UserService
from desktop.services.admin.workstation_settings import (
    DISPLAY_PAGE_IDS,
    DISPLAY_PAGES,
    DISPLAY_ROTATE_SECONDS,
    WorkstationSettings,
)
from desktop.services.analytics.control_room import ControlRoomService
from desktop.services.condition.alarms import AlarmService
from desktop.services.orders.breakdown_requests import BreakdownRequest, BreakdownRequestService
from desktop.services.orders.lockout import LockoutService
from desktop.services.orders.machine_downtime import MachineDowntimeService
from desktop.services.orders.shift_handover import ShiftHandoverService
from desktop.services.pm.pm_compliance import ScheduledPmCompliance
from desktop.services.shared.clock import Clock, utc_now
from ui.change_watcher import ChangeWatcher
from ui.display.banners import (
    Attention,
    AttentionBanner,
    OutageBanner,
    alarm_attention,
    emergency_attention,
    handover_attention,
    safety_attention,
    stop_attention,
)
from ui.display.overlay import LoginOverlay
from ui.display.pages import (
    BoardPage,
    DisplayPage,
    KpiPage,
    WorkListPage,
    label,
)
from ui.display.style import style_sheet
from ui.display.trends_page import TrendsPage
from ui.display.worker import SnapshotWorker
from ui.i18n import show_clock, tr
from ui.plant_link import LINK_STATES
from ui.widgets.elided_label import ElidedLabel
from ui.words import word

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from desktop.domain.permissions import Actor
    from desktop.plant.client import ClientStatus
    from desktop.services.analytics.control_room import ActiveAlarm, KpiTileView, Snapshot
    from desktop.store.database import Database
    from ui.display.feed import LiveFeed

log = logging.getLogger(__name__)

PAGE_IDS = DISPLAY_PAGE_IDS
SNAPSHOT_ENV = "WRENCHBOOK_DISPLAY_SNAPSHOT"
NOTICE_MS = 15_000
DATABASE = QT_TR_NOOP("Database")
OPC_UA = QT_TR_NOOP("OPC UA server")


def rotation_settings(settings: QSettings) -> tuple[int, tuple[str, ...]]:
    """Seconds per page and the pages shown, read as the settings dialog and CLI read them."""
    keys = (DISPLAY_ROTATE_SECONDS, DISPLAY_PAGES)
    read = WorkstationSettings.from_values({key: settings.value(key) for key in keys})
    pages = tuple(p for p in read.pages if p in PAGE_IDS)
    return max(3, read.rotate_seconds), pages or PAGE_IDS


class DisplayWindow(QWidget):
    """UI thread only. `watch=False` leaves the threads and timers to the test."""

    sig_snapshot_shown = Signal(object)

    def __init__(
        self,
        db: Database,
        settings: QSettings,
        feed: LiveFeed | None = None,
        clock: Clock = utc_now,
        watch: bool = True,
        height: int | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("display")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowTitle(tr("Wrenchbook — control room"))
        # An explicit minimum keeps a long text from widening the window past the screen
        # (the layout's own minimum would win otherwise); labels elide or wrap instead.
        self.setMinimumSize(640, 360)
        self._db = db
        self._clock = clock
        self._feed = feed
        self._watching = watch
        screen = QGuiApplication.primaryScreen()
        self.screen_height = height or (screen.geometry().height() if screen else 1080)
        self.setStyleSheet(style_sheet(self.screen_height))
        self.rotate_seconds, page_ids = rotation_settings(settings)
        self.snapshot: Snapshot | None = None
        self._acknowledged: set[str] = set()
        self._pending_orders: dict[str, Attention] = {}
        self._known_emergencies: set[str] | None = None
        self.attention: list[Attention] = []
        self.overlay: LoginOverlay | None = None
        self._snapshot_path = os.environ.get(SNAPSHOT_ENV) or None

        self.brand = label(tr("Wrenchbook · Control room"), "brand")
        self.page_title = ElidedLabel("", "pageTitle")
        self.page_dots = label("", "pageDots")
        self.notice = ElidedLabel("", "updated")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.notice.hide()
        self.updated = label(tr("waiting for the database…"), "updated")
        self.clock_label = label("", "clock")
        header = QFrame()
        header.setObjectName("header")
        top = QHBoxLayout(header)
        top.addWidget(self.brand)
        top.addSpacing(40)
        top.addWidget(self.page_title, 2)
        top.addWidget(self.notice, 1)
        top.addWidget(self.page_dots)
        top.addWidget(self.updated)
        top.addWidget(self.clock_label)
        self.outage = OutageBanner()
        self.banner = AttentionBanner()
        self.trends = TrendsPage(self.screen_height)
        available: dict[str, DisplayPage] = {
            "board": BoardPage(),
            "kpis": KpiPage(),
            "trends": self.trends,
            "work": WorkListPage(),
        }
        self.pages = [available[p] for p in page_ids]
        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.outage)
        layout.addWidget(self.banner)
        body = QVBoxLayout()
        margin = round(self.screen_height / 60)
        body.setContentsMargins(margin, margin, margin, margin)
        body.addWidget(self.stack, 1)
        layout.addLayout(body, 1)
        self.show_page(0)

        self.worker = SnapshotWorker(
            ControlRoomService(
                db,
                clock,
                running_hours=HistorianRunTime(db),
                pm_compliance=ScheduledPmCompliance(db),
            ),
            clock,
        )
        self.worker.sig_snapshot_read.connect(self.show_snapshot)
        self.worker.sig_kpis_read.connect(self._on_worker_kpis_read)
        self.worker.sig_failed.connect(self._on_worker_failed)
        self.watcher = ChangeWatcher(db)
        self.watcher.sig_changed.connect(lambda _sequence, _kinds: self.worker.wake())
        self.watcher.sig_connection_changed.connect(lambda *_: self.worker.wake())
        self.rotation = QTimer(self)
        self.rotation.setInterval(self.rotate_seconds * 1000)
        self.rotation.timeout.connect(self.next_page)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick_timeout)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)
        self.banner.sig_acknowledge_requested.connect(self.acknowledge)
        self.banner.sig_breakdown_requested.connect(self.report_breakdown)
        self.trends.sig_breakdown_requested.connect(self.report_breakdown)
        if feed is not None:
            feed.sig_samples_arrived.connect(self.trends.on_samples)
            feed.sig_status_changed.connect(self._on_feed_status_changed)
            feed.sig_failed.connect(self._on_feed_failed)
        QShortcut(QKeySequence("Ctrl+Q"), self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Right), self, self.next_page)
        QShortcut(QKeySequence(Qt.Key.Key_Left), self, lambda: self.next_page(-1))
        self._on_tick_timeout()
        if watch:
            self.worker.start()
            self.watcher.start()
            self.rotation.start()
            self._tick.start()

    # -- pages ---------------------------------------------------------------------------

    @property
    def current_page(self) -> DisplayPage:
        return self.pages[self.stack.currentIndex()]

    def page(self, page_id: str) -> DisplayPage | None:
        return next((p for p in self.pages if p.page_id == page_id), None)

    def next_page(self, step: int = 1) -> None:
        """The rotation's step; an open attention item holds the page (the banner says why)."""
        if self.attention:
            return
        self.show_page((self.stack.currentIndex() + step) % len(self.pages))

    def show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        page = self.pages[index]
        self.page_title.setText(tr(page.title))
        self.page_dots.setText(" ".join("●" if i == index else "○" for i in range(len(self.pages))))
        self._write_state()

    def _hold_for_attention(self) -> None:
        """A new alarm shows its trend; a new emergency order shows the work list."""
        if not self.attention:
            if self._watching and not self.rotation.isActive():
                self.rotation.start()
            return
        self.rotation.stop()
        wanted = "trends" if self.attention[0].alarm is not None else "work"
        page = self.page(wanted)
        if page is not None and page is not self.current_page:
            self.show_page(self.pages.index(page))

    # -- data ----------------------------------------------------------------------------

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.outage.set_up(DATABASE)
        for page in self.pages:
            page.show_snapshot(snapshot)
        if self._feed is not None:
            self._feed.set_tags(self.trends.feed_tags)
        self.updated.setText(
            tr("data of {at}").format(at=show_clock(snapshot.taken_at, seconds=True))
        )
        self._on_tick_timeout()
        self._update_attention(snapshot)
        self._write_state()
        self.sig_snapshot_shown.emit(snapshot)

    def _update_attention(self, snapshot: Snapshot) -> None:
        emergencies = {item.number: item for item in snapshot.work_list if item.emergency}
        if self._known_emergencies is None:
            # At start, an emergency nobody has approved or started yet still needs eyes.
            new = {n for n, item in emergencies.items() if item.status is Status.REQUESTED}
        else:
            new = set(emergencies) - self._known_emergencies
        self._known_emergencies = set(emergencies)
        for number in new:
            item = emergencies[number]
            self._pending_orders[number] = emergency_attention(
                number, item.asset_code, item.title, item.requested_at
            )
        for number in list(self._pending_orders):
            if number not in emergencies:
                del self._pending_orders[number]
        safety = [safety_attention(a) for a in snapshot.safety_alarms if not a.acknowledged]
        alarms = [alarm_attention(a) for a in snapshot.alarms if not a.acknowledged]
        stops = [stop_attention(s, s.id in snapshot.offered) for s in snapshot.stops]
        handovers = [handover_attention(h) for h in snapshot.handovers]
        orders = sorted(self._pending_orders.values(), key=lambda a: a.key, reverse=True)
        items = safety + alarms + orders + stops + handovers
        self.attention = [a for a in items if a.key not in self._acknowledged]
        self.banner.show_items(self.attention)
        self._hold_for_attention()

    def _on_worker_kpis_read(self, tiles: tuple[KpiTileView, ...]) -> None:
        page = self.page("kpis")
        if isinstance(page, KpiPage):
            page.show_kpis(tiles)
            self._write_state()

    def _on_worker_failed(self, reason: str, since: Any) -> None:
        self.outage.set_down(DATABASE, since, reason.splitlines()[0][:90] if reason else "")
        self._write_state()

    def _on_feed_status_changed(self, status: ClientStatus) -> None:
        if status.state is LinkState.CONNECTED:
            self.outage.set_up(OPC_UA)
        elif status.state in (LinkState.RECONNECTING, LinkState.UNTRUSTED):
            state = LINK_STATES.get(status.state.value, status.state.value)
            self.outage.set_down(OPC_UA, self._clock(), tr(state))
        self._write_state()

    def _on_feed_failed(self, reason: str) -> None:
        self.outage.set_down(OPC_UA, self._clock(), reason[:90])
        self._write_state()

    def _on_tick_timeout(self) -> None:
        self.clock_label.setText(show_clock(self._clock()))

    # -- actions with a log-in -----------------------------------------------------------

    def _authenticate(self, username: str, secret: str) -> Actor:
        """A PIN is digits only; anything else is a password."""
        users = UserService(self._db, self._clock)
        if secret.isdigit():
            return users.authenticate_pin(username, secret)
        return users.authenticate(username, secret)

    def acknowledge(self, item: Attention) -> LoginOverlay:
        """Ask who acknowledges `item`; an alarm's or a safety alarm's acknowledgement is
        stored and audited (who, when, PIN or password), a stop is coded, a handover is
        taken over by the incoming shift."""
        if item.stop is not None:
            return self.code_stop(item)
        if item.handover is not None:
            return self.acknowledge_handover(item)

        def submit(username: str, secret: str, _stopped: bool) -> str | None:
            try:
                actor = self._authenticate(username, secret)
                if item.alarm is not None:
                    AlarmService(self._db, self._clock).acknowledge(actor, item.alarm.id)
                elif item.safety is not None:
                    LockoutService(self._db, self._clock).acknowledge_safety_alarm(
                        actor,
                        item.safety.work_order_number,
                        item.safety.position,
                        with_pin=secret.isdigit(),
                    )
                else:
                    log.info("%s acknowledged %s on the display", actor.username, item.key)
            except (WrenchbookError, SQLAlchemyError) as exc:
                return str(exc).capitalize()
            self._acknowledged.add(item.key)
            self.attention = [a for a in self.attention if a.key != item.key]
            self.banner.show_items(self.attention)
            self._hold_for_attention()
            self._say(tr("acknowledged by {user}").format(user=actor.username))
            self.worker.wake()
            return None

        return self._open_overlay(
            LoginOverlay(
                self,
                tr("Acknowledge"),
                f"{item.headline}\n{item.detail}",
                tr("PIN or password"),
                tr("Acknowledge"),
                submit,
            )
        )

    def code_stop(self, item: Attention) -> LoginOverlay:
        """The stop's reason in one touch, confirmed with the operator's PIN."""
        stop = item.stop
        assert stop is not None

        def submit(username: str, pin: str, _stopped: bool) -> str | None:
            reason = overlay.choice or ""
            try:
                MachineDowntimeService(self._db, self._clock).code_stop(
                    username, pin, stop.id, reason
                )
            except (WrenchbookError, SQLAlchemyError) as exc:
                return str(exc).capitalize()
            said = tr("{asset} stop coded: {reason}").format(
                asset=stop.asset_code, reason=tr(BY_CODE[reason].label)
            )
            self._done_with(item, said)
            return None

        overlay = LoginOverlay(
            self,
            tr("Why did it stop?"),
            f"{item.headline}\n{stop.asset_name}",
            tr("Operator PIN"),
            tr("Save the reason"),
            submit,
            choices=[(reason.code, tr(reason.label)) for reason in STOP_REASONS],
        )
        return self._open_overlay(overlay)

    def acknowledge_handover(self, item: Attention) -> LoginOverlay:
        """The incoming shift takes the handover over with a PIN (never its author)."""
        handover = item.handover
        assert handover is not None

        def submit(username: str, pin: str, _stopped: bool) -> str | None:
            try:
                ShiftHandoverService(self._db, self._clock).acknowledge(username, pin, handover.id)
            except (WrenchbookError, SQLAlchemyError) as exc:
                return str(exc).capitalize()
            self._done_with(
                item,
                tr("{shift} handed over to {user}").format(shift=handover.label, user=username),
            )
            return None

        return self._open_overlay(
            LoginOverlay(
                self,
                tr("Take over the shift"),
                f"{item.headline}\n{item.detail}",
                tr("PIN"),
                tr("Acknowledge"),
                submit,
            )
        )

    def _done_with(self, item: Attention, said: str) -> None:
        self._acknowledged.add(item.key)
        self.attention = [a for a in self.attention if a.key != item.key]
        self.banner.show_items(self.attention)
        self._hold_for_attention()
        self._say(said)
        self.worker.wake()

    def report_breakdown(
        self, asset_code: str, about: ActiveAlarm | Attention | None = None
    ) -> LoginOverlay | None:
        """The pre-filled breakdown request for the asset (and its alarm, or the long stop it
        takes over), filed with an operator PIN."""
        live = dict(self._feed.latest) if self._feed is not None else {}
        attention = about if isinstance(about, Attention) else None
        alarm = attention.alarm if attention is not None else about
        stop_id = attention.stop.id if attention is not None and attention.stop else None
        alarm_id = None if alarm is None else alarm.id
        request = BreakdownRequest(asset_code, alarm_id, live, stop_id=stop_id)
        service = BreakdownRequestService(self._db, self._clock)
        try:
            draft = service.prefill(request)
        except (WrenchbookError, SQLAlchemyError) as exc:
            self._say(tr("cannot prepare the request: {reason}").format(reason=exc))
            return None
        lines = [
            f"{draft.asset_code} {draft.asset_name}",
            tr("Alarm: {text}").format(text=draft.alarm_text) if draft.alarm_text else "",
            *(r.text().removeprefix(f"{draft.asset_code}.") for r in draft.readings),
            tr("Goes to the approval queue as {type} work, priority {priority}.").format(
                type=word(draft.type.value), priority=int(draft.priority)
            ),
        ]

        def submit(username: str, pin: str, stopped: bool) -> str | None:
            try:
                created = service.raise_request(
                    username,
                    pin,
                    BreakdownRequest(
                        asset_code, alarm_id, live, stopped or stop_id is not None, stop_id=stop_id
                    ),
                )
            except (WrenchbookError, SQLAlchemyError) as exc:
                return str(exc).capitalize()
            if attention is not None and attention.stop is not None:
                self._done_with(
                    attention,
                    tr("{order} sent for approval").format(order=created.work_order.number),
                )
                return None
            self._say(tr("{order} sent for approval").format(order=created.work_order.number))
            self.worker.wake()
            return None

        return self._open_overlay(
            LoginOverlay(
                self,
                tr("Report breakdown"),
                "\n".join(line for line in lines if line),
                tr("Operator PIN"),
                tr("Send request"),
                submit,
                ask_stopped=True,
            )
        )

    def _open_overlay(self, overlay: LoginOverlay) -> LoginOverlay:
        if self.overlay is not None:
            self.overlay.close_overlay()
        self.overlay = overlay
        overlay.sig_closed.connect(self._on_overlay_closed)
        return overlay

    def _on_overlay_closed(self) -> None:
        self.overlay = None

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        self._notice_timer.start(NOTICE_MS)

    # -- the snapshot file ---------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """What the display shows, as plain data."""
        snapshot = self.snapshot
        return {
            "page": self.current_page.page_id,
            "sequence": None if snapshot is None else snapshot.sequence,
            "taken_at": None if snapshot is None else snapshot.taken_at.isoformat(),
            "pages": {p.page_id: p.describe() for p in self.pages},
            "attention": [a.key for a in self.attention],
            "outages": {
                what: since.isoformat() for what, (since, _detail) in self.outage.outages.items()
            },
        }

    def _write_state(self) -> None:
        if self._snapshot_path is None or not hasattr(self, "worker"):
            return
        target = self._snapshot_path
        temporary = f"{target}.tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as out:
                json.dump(self.state(), out)
            os.replace(temporary, target)
        except OSError as exc:
            log.warning("cannot write the display snapshot file %s: %s", target, exc)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.rotation.stop()
        self._tick.stop()
        self.watcher.stop()
        self.worker.stop()
        if self._feed is not None:
            self._feed.stop()
        super().closeEvent(event)
