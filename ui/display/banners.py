"""The display's two full-width banners: what is down, and what needs someone's attention."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.display.pages import label, local_stamp, short_tag
from ui.i18n import show_clock, show_number, tr

if TYPE_CHECKING:
    from datetime import datetime

    from desktop.services.analytics.control_room import ActiveAlarm, SafetyAlarm
    from desktop.services.orders.machine_downtime import StopView
    from desktop.services.orders.shift_handover import HandoverView

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
        return tr("Code the stop") if self.stop is not None else tr("Acknowledge")

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
            tr("{what} unreachable since {at} — retrying by itself").format(
                what=tr(what), at=show_clock(since, seconds=True)
            )
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
        self.ack_button = QPushButton(tr("Acknowledge"))
        self.ack_button.setObjectName("ackButton")
        self.breakdown_button = QPushButton(tr("Report breakdown"))
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
        self.more.setText(
            tr("{count} more waiting for acknowledgement").format(count=waiting) if waiting else ""
        )
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
        tr("ALARM  ·  {asset}  ·  {at}").format(
            asset=alarm.asset_code, at=local_stamp(alarm.raised_at)
        ),
        f"{short_tag(alarm.rule_name, alarm.asset_code)}: {alarm.message}",
        alarm.asset_code,
        alarm=alarm,
    )


def safety_attention(alarm: SafetyAlarm) -> Attention:
    """A machine re-energised behind a verified lock: first in the banner, since somebody
    may be working inside it (issue 16)."""
    return Attention(
        f"safety:{alarm.work_order_number}:{alarm.position}:{alarm.at.isoformat()}",
        tr("SAFETY  ·  RE-ENERGISED WHILE LOCKED OUT  ·  {asset}  ·  {order}  ·  {at}").format(
            asset=alarm.asset_code, order=alarm.work_order_number, at=local_stamp(alarm.at)
        ),
        tr(
            "{tag} reads {reading} behind the lock at {point}: stop the work and check the "
            "isolation"
        ).format(tag=alarm.tag_name, reading=f"{alarm.reading:g}", point=alarm.lock_point),
        alarm.asset_code,
        work_order=alarm.work_order_number,
        safety=alarm,
    )


def emergency_attention(number: str, asset_code: str, title: str, at: datetime) -> Attention:
    return Attention(
        f"wo:{number}",
        tr("EMERGENCY  ·  {order}  ·  {asset}  ·  {at}").format(
            order=number, asset=asset_code, at=local_stamp(at)
        ),
        title,
        asset_code,
        work_order=number,
    )


def stop_attention(stop: StopView, offer: bool) -> Attention:
    minutes = round(stop.duration.total_seconds() / 60)
    state = (
        tr("still stopped")
        if stop.end is None
        else tr("ran again at {at}").format(at=local_stamp(stop.end))
    )
    ask = tr("Why did it stop? Touch the reason.")
    if offer:
        ask = tr("A long stop of a critical machine with no work order: report it, or code it.")
    return Attention(
        f"stop:{stop.id}",
        tr("STOPPED  ·  {asset}  ·  {at}  ·  {minutes} min").format(
            asset=stop.asset_code, at=local_stamp(stop.start), minutes=minutes
        ),
        f"{stop.asset_name}, {state}. {ask}",
        stop.asset_code,
        stop=stop,
        offer=offer,
    )


def handover_attention(handover: HandoverView) -> Attention:
    figures = handover.figures
    summary = tr(
        "{stops} stops ({minutes} min), {alarms} alarms, {emergencies} emergencies open, "
        "{on_hold} on hold for parts, {parts} parts drawn."
    ).format(
        stops=len(figures.stops),
        minutes=show_number(figures.stopped_minutes, 0),
        alarms=len(figures.alarms),
        emergencies=len(figures.emergencies_open),
        on_hold=len(figures.on_hold_for_parts),
        parts=len(figures.parts_drawn),
    )
    notes = handover.notes.strip().splitlines()
    if notes:
        summary += " " + tr("Notes: {first}").format(first=notes[0])
    return Attention(
        f"handover:{handover.id}",
        tr("SHIFT HANDOVER  ·  {label}").format(label=handover.label),
        summary + " " + tr("The incoming shift acknowledges with a PIN."),
        "",
        handover=handover,
    )
