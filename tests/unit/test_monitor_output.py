"""What the headless monitor prints as the link changes: the state once, the server's grant
on connecting, and a `warning:` line per tag short of values whenever that list changes."""

from __future__ import annotations

from dataclasses import replace

from desktop.cli.plant import StatusPrinter
from desktop.plant.client import ClientStatus, LinkState
from desktop.plant.sampling import Shortfall

SHORT = Shortfall("P1.Speed", "P1.Speed: 1 values in the last 60 s, where every 1000 ms …")


def test_the_monitor_warns_of_tags_short_of_values_once_per_change(capsys):
    printer = StatusPrinter()
    connected = ClientStatus(
        LinkState.CONNECTED, "opc.tcp://plant:4840, 3 tags", sampling=("server sampling: …",)
    )
    printer(connected)
    assert capsys.readouterr().out == (
        "[connected] opc.tcp://plant:4840, 3 tags\nserver sampling: …\n"
    )
    printer(replace(connected, delivery=(SHORT,)))
    assert capsys.readouterr().out == f"warning: {SHORT.text}\n"
    printer(replace(connected, delivery=(SHORT,)))  # the same shortfall: said once
    assert capsys.readouterr().out == ""
    printer(connected)
    assert capsys.readouterr().out == "every tag delivers values at its interval again\n"


def test_a_reconnect_is_no_all_clear(capsys):
    printer = StatusPrinter()
    connected = ClientStatus(LinkState.CONNECTED, "opc.tcp://plant:4840, 3 tags")
    printer(connected)
    printer(replace(connected, delivery=(SHORT,)))
    capsys.readouterr()
    printer(ClientStatus(LinkState.RECONNECTING, "server connection lost", retry_in_s=0.5))
    printer(connected)
    assert capsys.readouterr().out == (
        "[waiting to reconnect] server connection lost\n[connected] opc.tcp://plant:4840, 3 tags\n"
    )
