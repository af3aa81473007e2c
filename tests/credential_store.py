"""Stand-ins for the system credential store (Windows Credential Manager) in the tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import fail


class MemoryKeyring(KeyringBackend):
    """A credential store that keeps passwords in a dict, as the real one keeps them in the OS."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@contextmanager
def credential_store(available: bool = True) -> Iterator[MemoryKeyring | None]:
    """Use an in-memory store (or none at all) for the block, then the machine's again."""
    before = keyring.get_keyring()
    store = MemoryKeyring() if available else None
    keyring.set_keyring(store if store is not None else fail.Keyring())
    try:
        yield store
    finally:
        keyring.set_keyring(before)
