"""A small asyncua server on loopback that refuses what a test asks it to refuse.

Security policies, identity tokens, a user manager that refuses every login, and a certificate
validator that refuses client certificates until `accept_clients()`: each failure the product
must put into one sentence comes from a real server over a real socket.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from asyncua import Server, ua
from asyncua.common.utils import ServiceError
from asyncua.server.user_managers import UserManager

from desktop.plant.pki import Pki
from tests.integration.simulator_process import free_port

if TYPE_CHECKING:
    from pathlib import Path

NAMESPACE = "urn:test:refusing"


class _NoLogins(UserManager):
    def get_user(
        self, iserver: Any, username: Any = None, password: Any = None, certificate: Any = None
    ) -> None:
        return None


@dataclass
class RefusingServer:
    policies: list[ua.SecurityPolicyType] = field(
        default_factory=lambda: [ua.SecurityPolicyType.NoSecurity]
    )
    tokens: list[type] = field(default_factory=lambda: [ua.AnonymousIdentityToken])
    refuse_logins: bool = False
    refuse_client_certificates: bool = False
    pki_dir: Path | None = None
    port: int = field(default_factory=free_port)
    withhold_changes: bool = False
    """Pump.Speed changes every 50 ms without notifying subscribers, as node-opcua-samples
    2.14 did when asked for a sampling interval it took as "changes only": a subscriber gets
    one value per connection, a Read gets the current one."""

    def __post_init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._error: BaseException | None = None

    @property
    def endpoint(self) -> str:
        return f"opc.tcp://127.0.0.1:{self.port}/refusing"

    def accept_clients(self) -> None:
        """As an administrator trusting our certificate on the server would."""
        self.refuse_client_certificates = False

    def start(self) -> RefusingServer:
        self._thread.start()
        assert self._ready.wait(30), "the test server did not start"
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            server = Server(user_manager=_NoLogins()) if self.refuse_logins else Server()
            await server.init()
            server.set_endpoint(self.endpoint)
            if self.pki_dir is not None:
                own = Pki(self.pki_dir).own_certificate("simulator", server=True)
                await server.set_application_uri(own.application_uri)
                await server.load_certificate(str(own.cert_path))
                await server.load_private_key(str(own.key_path))
            server.set_security_policy(self.policies)
            server.set_identity_tokens(self.tokens)
            server.set_certificate_validator(self._validate)
            idx = await server.register_namespace(NAMESPACE)
            pump = await server.nodes.objects.add_object(idx, "Pump")
            speed = await pump.add_variable(ua.NodeId("Pump.Speed", idx), "Speed", 1450.0)
            # Another vendor's kinds of variable that cannot be a tag.
            spectrum = ua.Variant([1.0, 2.0, 3.0], ua.VariantType.Double)
            await pump.add_variable(ua.NodeId("Pump.Spectrum", idx), "Spectrum", spectrum)
            build = ua.BuildInfo(ProductName="pump firmware")
            await pump.add_variable(ua.NodeId("Pump.Build", idx), "Build", build)
            await server.start()
        except (OSError, RuntimeError) as exc:  # a busy port, a bad certificate
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            if self.withhold_changes:
                await self._change_silently(server, speed.nodeid)
            await self._stop.wait()
        finally:
            await server.stop()

    async def _change_silently(self, server: Server, node_id: ua.NodeId) -> None:
        """Set the value in the address space directly, past its data-change callbacks."""
        assert self._stop is not None
        attribute = server.iserver.aspace._nodes[node_id].attributes[ua.AttributeIds.Value]
        value = 1450.0
        while not self._stop.is_set():
            value += 1.0
            attribute.value = ua.DataValue(ua.Variant(value, ua.VariantType.Double))
            try:
                await asyncio.wait_for(self._stop.wait(), 0.05)
            except TimeoutError:
                continue

    async def _validate(self, certificate: Any, description: Any) -> None:
        if self.refuse_client_certificates:
            raise ServiceError(ua.StatusCodes.BadCertificateUntrusted)
