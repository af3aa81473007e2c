"""The plant link in German (issue 18): a German workstation whose OPC UA server is down, or
refuses its certificate, reads the state, the cause and the fix in German in the status bar,
on the Trends page and in the settings' connection test, with no English sentence in between.

Real servers over loopback: a closed port stands for a server that is down, the refusing
asyncua server (tests/integration/refusing_server.py) for one that refuses our certificate.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from asyncua import ua
from PySide6.QtCore import QSettings

from desktop.domain.phrases import Phrase
from desktop.plant.buffer import SampleBuffer
from desktop.plant.client import ClientStatus, LinkState
from desktop.plant.sampling import SamplingGrant, Suspect, confirm
from desktop.services.admin import workstation_settings as ws
from desktop.services.admin.workstation_settings import PlantChoice, PlantMode
from desktop.services.condition.plant_tags import PlantTagService, TagDraft
from tests.credential_store import credential_store
from tests.integration.refusing_server import RefusingServer
from ui import i18n
from ui.background import SynchronousPool
from ui.main_window import MainWindow
from ui.plant_link import PlantLink, free_port
from ui.settings.dialog import SettingsDialog
from ui.trends.bridge import SampleBridge
from ui.trends.panel import TagIdRole, TrendsPanel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

NS = "urn:example:plant"

ENGLISH = (
    "waiting to reconnect",
    "cannot connect",
    "connection refused",
    "no OPC UA server",
    "start the server",
    "correct the endpoint",
    "no answer",
    "check that",
    "next try",
    "refused this workstation",
    "on the server, then connect again",
    "is not trusted",
    "trust it",
    "fewer values",
    "the server samples",
)
"""Pieces of the English sentences the link says; none may stand in a German text."""


@pytest.fixture
def german(qapp) -> Iterator[None]:
    """German for one test, English again after it (the translators are process-wide)."""
    assert i18n.install("de") == "de"
    yield
    i18n.install(i18n.SOURCE_LANGUAGE)


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / ws.SETTINGS_FILE), QSettings.Format.IniFormat)


def whole(label: QLabel) -> str:
    """What the status bar says: its text, or its tooltip where the text ends in "…"."""
    return label.toolTip() or label.text()


def english_in(text: str) -> list[str]:
    return [piece for piece in ENGLISH if piece.lower() in text.lower()]


def german_window(qtbot, app_context, settings, link: PlantLink) -> tuple[MainWindow, TrendsPanel]:
    """The main window on the Trends page, fed by `link` (started here)."""
    main = MainWindow(None, settings)
    qtbot.addWidget(main)
    main.attach(app_context, "SQLite: test")
    main.start_background(watch=False, plant=link)
    trends = main.show_page("trends")
    with qtbot.waitSignal(link.sig_ready, timeout=60_000):
        link.start()
    return main, trends  # type: ignore[return-value]


def test_a_server_that_is_down_is_reported_in_german_in_the_status_bar_and_on_trends(
    qtbot, app_context, settings, german
) -> None:
    endpoint = f"opc.tcp://127.0.0.1:{free_port()}/nothing"
    link = PlantLink(app_context, endpoint, simulate=False)
    try:
        main, trends = german_window(qtbot, app_context, settings, link)
        sentence = (
            f"keine Verbindung zu {endpoint}: Verbindung abgelehnt, dort lauscht kein "
            "OPC-UA-Server; den Server starten oder den Endpunkt korrigieren"
        )
        qtbot.waitUntil(lambda: sentence in whole(main.plant_label), timeout=30_000)
        qtbot.waitUntil(lambda: sentence in trends._status.text(), timeout=30_000)
        bar = whole(main.plant_label)
        assert bar.startswith(f"OPC UA: wartet auf neue Verbindung: {sentence} (nächster Versuch")
        assert trends._status.text().startswith(f"wartet auf neue Verbindung: {sentence}")
        assert english_in(bar) == []
        assert english_in(trends._status.text()) == []
        assert main.plant_label.text().endswith("…")  # 360 px at most, the rest in the tooltip
    finally:
        link.stop()


def test_a_refused_certificate_is_reported_in_german_with_the_file_to_trust(
    qtbot, app_context, settings, tmp_path, german
) -> None:
    server = RefusingServer(
        [ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt],
        refuse_client_certificates=True,
        pki_dir=tmp_path / "server",
    ).start()
    choice = PlantChoice(PlantMode.SERVER, server.endpoint, security="sign_and_encrypt")
    link = PlantLink(app_context, server.endpoint, simulate=False, choice=choice)
    try:
        main, trends = german_window(qtbot, app_context, settings, link)
        # First our side: the server's certificate is new here, and said so in German.
        untrusted = "OPC UA: Serverzertifikat nicht vertrauenswürdig: das Serverzertifikat "
        qtbot.waitUntil(lambda: whole(main.plant_label).startswith(untrusted), timeout=30_000)
        assert "ist nicht vertrauenswürdig: es wurde unter" in whole(main.plant_label)
        assert english_in(whole(main.plant_label)) == []
        bridge = link.bridge
        assert bridge is not None
        assert bridge.status is not None
        bridge.process.trust_server(bridge.status.untrusted_thumbprint or "")
        # Then the server's: it refuses this workstation's certificate.
        own = app_context.data_dir / "pki" / "own" / "client_cert.der"
        sentence = (
            f"{server.endpoint} hat das Zertifikat dieses Arbeitsplatzes abgelehnt "
            f"(BadCertificateUntrusted); {own} auf dem Server als vertrauenswürdig eintragen, "
            "dann erneut verbinden"
        )
        qtbot.waitUntil(lambda: sentence in whole(main.plant_label), timeout=30_000)
        qtbot.waitUntil(lambda: sentence in trends._status.text(), timeout=30_000)
        assert english_in(whole(main.plant_label)) == []
        assert english_in(trends._status.text()) == []
        assert trends._status.toolTip() == trends._status.text()
    finally:
        link.stop()
        server.stop()


def test_the_settings_connection_test_says_why_in_german(qtbot, settings, german) -> None:
    endpoint = f"opc.tcp://127.0.0.1:{free_port()}/x"
    with credential_store(available=False):
        dialog = SettingsDialog(settings, pool=SynchronousPool())
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.plant_mode.setCurrentIndex(dialog.plant_mode.findData("server"))
        qtbot.keyClicks(dialog.endpoint, endpoint)
        dialog.opc_test_button.click()
    assert dialog.opc_result.text() == (
        f"Keine Verbindung zu {endpoint}: Verbindung abgelehnt, dort lauscht kein "
        "OPC-UA-Server; den Server starten oder den Endpunkt korrigieren."
    )


def test_sampling_warnings_are_german_on_the_trends_page(qtbot, app_context, german) -> None:
    """What the server granted and a tag's shortfall: the Trends status and the tag list's
    warnings in German, with German numbers."""
    service = PlantTagService(app_context.db)
    service.import_tags(
        app_context.actor,
        [
            TagDraft("P-101.Vibration", "P-101", NS, "s=v", "mm/s"),
            TagDraft("P-101.Temperature", "P-101", NS, "s=t", "°C"),
        ],
    )
    tags = {t.name: t.id for t in service.tags()}
    vib, temp = tags["P-101.Vibration"], tags["P-101.Temperature"]
    panel = TrendsPanel(app_context)
    qtbot.addWidget(panel)
    bridge = SampleBridge(SampleBuffer(), tick_ms=20)
    panel.attach(bridge)
    suspect = Suspect(temp, "P-101.Temperature", 2, 600.0, 100.0, 60.0, 48.25)
    (shortfall,) = confirm([suspect], {temp: 51.5})
    grant = SamplingGrant(vib, 100, 20, 1500, 20, "P-101.Vibration")
    bridge.sig_status_changed.emit(
        ClientStatus(
            LinkState.CONNECTED,
            Phrase("{endpoint}, {count} tags", endpoint="opc.tcp://plant:4840", count=2),
            grants=(grant,),
            delivery=(shortfall,),
        )
    )
    status = panel._status.text()
    assert status == (
        "verbunden: opc.tcp://plant:4840, 2 Tags · ⚠ weniger Werte als angefordert von "
        "P-101.Vibration, P-101.Temperature"
    )
    items = {panel._tag_list.item(r).data(TagIdRole): panel._tag_list.item(r) for r in (0, 1)}
    assert items[vib].toolTip().splitlines()[1:] == [
        "Der Server gewährte alle 1.500 ms, Warteschlange 20.",
        "P-101.Vibration: der Server tastet alle 1.500 ms ab, nicht wie angefordert alle "
        "100 ms: weniger Werte als angefordert",
    ]
    assert items[temp].toolTip().splitlines()[-1] == (
        "P-101.Temperature: 2 Werte in den letzten 60 s, wo ein Abtastintervall von 100 ms "
        "etwa 600 ergibt, und jetzt gelesen 51,5 gegenüber zuletzt gesendet 48,25: der Server "
        "sendet weniger Werte als angefordert (nur Änderungen?)"
    )
    for text in (status, items[vib].toolTip(), items[temp].toolTip()):
        assert english_in(text) == []
