"""Passwords of a workstation's connections, kept in the system's credential store.

On Windows that is the Credential Manager (through `keyring`); the settings file itself never
holds a password. Where no store exists (a headless Linux service account), the password
comes from the environment instead: PGPASSWORD or PostgreSQL's pgpass file for the database,
WRENCHBOOK_OPC_PASSWORD for the OPC UA login.
"""

from __future__ import annotations

import logging

from desktop.domain.errors import WrenchbookError
from desktop.domain.phrases import Phrase

DATABASE = "Wrenchbook database"
OPCUA = "Wrenchbook OPC UA"
OPC_PASSWORD_ENV = "WRENCHBOOK_OPC_PASSWORD"

NO_STORE_DATABASE = Phrase(
    "No credential store on this computer, so the password is not saved: give it in "
    "PGPASSWORD or in PostgreSQL's password file (%APPDATA%\\postgresql\\pgpass.conf on "
    "Windows, ~/.pgpass elsewhere)."
)
NO_STORE_OPCUA = Phrase(
    "No credential store on this computer, so the password is not saved: give it in the "
    "{variable} environment variable.",
    variable=OPC_PASSWORD_ENV,
)

log = logging.getLogger(__name__)

# keyring is imported where it is used: a start on a SQLite file, which needs no password at
# all, then pays neither its import nor the ~0.2 s it takes to find its backend.


def store_available() -> bool:
    """True when keyring found a usable backend (its fail and null backends rank at or below 0)."""
    import keyring

    return float(getattr(keyring.get_keyring(), "priority", 0)) > 0


def store_name() -> str:
    import keyring

    backend = keyring.get_keyring()
    return str(getattr(backend, "name", type(backend).__name__))


def get(service: str, account: str) -> str | None:
    """The saved password, or None when there is none or the store cannot be read."""
    import keyring
    from keyring.errors import KeyringError

    if not account or not store_available():
        return None
    try:
        return keyring.get_password(service, account)
    except KeyringError as exc:
        log.warning("cannot read the password of %s from %s: %s", account, store_name(), exc)
        return None


def put(service: str, account: str, password: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    if not store_available():
        raise WrenchbookError(NO_STORE_DATABASE if service == DATABASE else NO_STORE_OPCUA)
    try:
        keyring.set_password(service, account, password)
    except KeyringError as exc:
        raise WrenchbookError(
            Phrase(
                "cannot save the password in {store_name}: {exc}", store_name=store_name(), exc=exc
            )
        ) from exc
