"""The display's two full-width banners: what is down, and what needs someone's attention."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.display.pages import label, local_stamp, short_tag

if TYPE_CHECKING:
    from datetime import datetime

    from desktop.services.control_room import ActiveAlarm, SafetyAlarm
    from desktop.services.machine_downtime import StopView
    from desktop.services.shift_handover import HandoverView

FLASH_MS = 600


@dataclass(frozen=True)
class Attention:
    """An unacknowledged alarm, a new emergency work order, a machine stop to code (or to
    report, `offer`), or a shift handover for the incoming shift to acknowledge."""

    key: str
    headline: str
    detail: str
    asset_code: str
    alarm: ActiveAlarm | None = None
    work_order: str | None = None
    stop: StopView | None = None
    offer: bool = False
    handover: HandoverView | None = None
    safety: SafetyAlarm | None = None

    @property
    def action(self) -> str:
        """What the banner's main button says."""
        return "Code the stop" if self.stop is not None else "Acknowledge"

    @property
    def reportable(self) -> bool:
        """Whether the banner offers a pre-filled breakdown request for it."""
        return self.alarm is not None or self.offer


class OutageBanner(QFrame):
    """Amber: what is unreachable and since when; hidden while everything answers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outage")
        self.text = label("", "outageText")
        self.text.setWordWrap(True)
        QHBoxLayout(self).addWidget(self.text)
        self.outages: dict[str, tuple[datetime, str]] = {}
        self.hide()

    def set_down(self, what: str, since: datetime, detail: str = "") -> None:
        if what not in self.outages:
            self.outages[what] = (since, detail)
            self._show()

    def set_up(self, what: str) -> None:
        if self.outages.pop(what, None) is not None:
            self._show()

    def _show(self) -> None:
        lines = [
            f"{what} unreachable since {since.astimezone():%H:%M:%S} — retrying by itself"
            + (f" ({detail})" if detail else "")
            for what, (since, detail) in self.outages.items()
        ]
        self.text.setText("\n".join(lines))
        self.setVisible(bool(lines))


class AttentionBanner(QFrame):
    """Red and flashing until someone acknowledges the newest item; says how many wait."""

    sig_acknowledge_requested = Signal(object)
    sig_breakdown_requested = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attention")
        self.setProperty("flash", "on")
        self.current: Attention | None = None
        self.text = label("", "attentionText")
        self.text.setWordWrap(True)
        self.detail = label("", "attentionDetail")
        self.detail.setWordWrap(True)
        self.more = label("", "attentionMore")
        self.ack_button = QPushButton("Acknowledge")
        self.ack_button.setObjectName("ackButton")
        self.breakdown_button = QPushButton("Report breakdown")
        self.breakdown_button.setObjectName("breakdownButton")
        for button in (self.ack_button, self.breakdown_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        words = QVBoxLayout()
        words.addWidget(self.text)
        words.addWidget(self.detail)
        words.addWidget(self.more)
        row = QHBoxLayout(self)
        row.addLayout(words, 1)
        row.addWidget(self.breakdown_button)
        row.addWidget(self.ack_button)
        self.ack_button.clicked.connect(self._on_ack_clicked)
        self.breakdown_button.clicked.connect(self._on_breakdown_clicked)
        self._flash = QTimer(self)
        self._flash.setInterval(FLASH_MS)
        self._flash.timeout.connect(self._on_flash_timeout)
        self.hide()

    def show_items(self, items: list[Attention]) -> None:
        """The newest item large, with a count of the others; hidden when none waits."""
        if not items:
            self.current = None
            self._flash.stop()
            self.hide()
            return
        self.current = items[0]
        self.text.setText(self.current.headline)
        self.detail.setText(self.current.detail)
        waiting = len(items) - 1
        self.more.setText(f"{waiting} more waiting for acknowledgement" if waiting else "")
        self.more.setVisible(bool(waiting))
        self.ack_button.setText(self.current.action)
        self.breakdown_button.setVisible(self.current.reportable)
        if not self._flash.isActive():
            self._flash.start()
        self.show()

    def _on_flash_timeout(self) -> None:
        self.setProperty("flash", "off" if self.property("flash") == "on" else "on")
        self.style().unpolish(self)
        self.style().polish(self)

    def _on_ack_clicked(self) -> None:
        if self.current is not None:
            self.sig_acknowledge_requested.emit(self.current)

    def _on_breakdown_clicked(self) -> None:
        if self.current is not None and self.current.reportable:
            self.sig_breakdown_requested.emit(self.current.asset_code, self.current)


def alarm_attention(alarm: ActiveAlarm) -> Attention:
    return Attention(
        f"alarm:{alarm.id}",
        f"ALARM  ·  {alarm.asset_code}  ·  {local_stamp(alarm.raised_at)}",
        f"{short_tag(alarm.rule_name, alarm.asset_code)}: {alarm.message}",
        alarm.asset_code,
        alarm=alarm,
    )


def safety_attention(alarm: SafetyAlarm) -> Attention:
    """A machine re-energised behind a verified lock: first in the banner, since somebody
    may be working inside it (issue 16)."""
    return Attention(
        f"safety:{alarm.work_order_number}:{alarm.position}:{alarm.at.isoformat()}",
        f"SAFETY  ·  RE-ENERGISED WHILE LOCKED OUT  ·  {alarm.asset_code}  ·  "
        f"{alarm.work_order_number}  ·  {local_stamp(alarm.at)}",
        f"{alarm.tag_name} reads {alarm.reading:g} behind the lock at {alarm.lock_point}: "
        "stop the work and check the isolation",
        alarm.asset_code,
        work_order=alarm.work_order_number,
        safety=alarm,
    )


def emergency_attention(number: str, asset_code: str, title: str, at: datetime) -> Attention:
    return Attention(
        f"wo:{number}",
        f"EMERGENCY  ·  {number}  ·  {asset_code}  ·  {local_stamp(at)}",
        title,
        asset_code,
        work_order=number,
    )


def stop_attention(stop: StopView, offer: bool) -> Attention:
    minutes = round(stop.duration.total_seconds() / 60)
    state = "still stopped" if stop.end is None else f"ran again at {local_stamp(stop.end)}"
    ask = "Why did it stop? Touch the reason."
    if offer:
        ask = "A long stop of a critical machine with no work order: report it, or code it."
    return Attention(
        f"stop:{stop.id}",
        f"STOPPED  ·  {stop.asset_code}  ·  {local_stamp(stop.start)}  ·  {minutes} min",
        f"{stop.asset_name}, {state}. {ask}",
        stop.asset_code,
        stop=stop,
        offer=offer,
    )


def handover_attention(handover: HandoverView) -> Attention:
    figures = handover.figures
    summary = (
        f"{len(figures.stops)} stops ({figures.stopped_minutes:.0f} min), "
        f"{len(figures.alarms)} alarms, {len(figures.emergencies_open)} emergencies open, "
        f"{len(figures.on_hold_for_parts)} on hold for parts, "
        f"{len(figures.parts_drawn)} parts drawn."
    )
    notes = handover.notes.strip().splitlines()
    if notes:
        summary += f" Notes: {notes[0]}"
    return Attention(
        f"handover:{handover.id}",
        f"SHIFT HANDOVER  ·  {handover.label}",
        f"{summary} The incoming shift acknowledges with a PIN.",
        "",
        handover=handover,
    )
