"""A throwaway Kerberos realm for the Windows sign-on tests: MIT's KDC on a free loopback port.

`KerberosRealm` makes the realm's database and its configuration in a temporary folder, starts
`krb5kdc` on it, and makes principals and keytabs with `kadmin.local`: as a site's domain
controller does for its PostgreSQL server (`postgres/<host>`, a keytab for the server) and
for its people (`tom`, whose password gets him a ticket with `kinit`). Nothing is mocked: the
ticket libpq hands the server is a real one from a real KDC.

The fixtures (loaded as a pytest plugin, `pytest_plugins = ["tests.kerberos"]`, with
tests.per_user) point the throwaway PostgreSQL server at the realm as the README's "Windows
sign-on (Kerberos)" says. They skip when MIT Kerberos is not installed, unless
WRENCHBOOK_REQUIRE_KERBEROS is set (CI sets it, having installed krb5-kdc, krb5-admin-server
and krb5-user).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from desktop.store.db_roles import login_name
from tests.conftest import SEEDED_USERS
from tests.per_user import _libpq
from tests.pg_server import ROOT_RUN_AS

REALM = "WRENCHBOOK.TEST"
SERVICE = "postgres"
HOST = "localhost"
"""The host libpq connects to: the server's principal must name it (postgres/localhost)."""

PASSWORDS = {"tom": "tom-domain-pass-1", "sam": "sam-domain-pass-1"}
"""The people's domain (Kerberos) passwords: not their Wrenchbook ones, nobody types them here
but at `kinit` (on Windows, at the log-on to the PC)."""
MAP = r"krb /^([a-z0-9._-]+)@WRENCHBOOK\.TEST$ wb_\1"
"""The pg_ident.conf line: the principal tom@REALM may be the login wb_tom, nothing else."""
SIGNING_ON = ",".join(login_name(name) for name in SEEDED_USERS)
HBA = "".join(
    f"host all {SIGNING_ON} {address} gss include_realm=1 map=krb\n"
    for address in ("127.0.0.1/32", "::1/128")
)
"""The pg_hba.conf lines in front: the seeded people's logins sign on with a Kerberos ticket.
(A site names `+wrenchbook_viewer`, after its service logins' own lines; here the display's
and monitor's logins, used by tests on other workers, keep the server's other lines.)"""

REQUIRE_ENV = "WRENCHBOOK_REQUIRE_KERBEROS"
_PROGRAMS = ("krb5kdc", "kdb5_util", "kadmin.local", "kinit", "kdestroy")
_SBIN = ("/usr/sbin", "/usr/local/sbin", "/sbin")


def find_program(name: str) -> str | None:
    """MIT's programs; krb5kdc and kdb5_util live in sbin, which a plain PATH may lack."""
    return shutil.which(name) or shutil.which(name, path=os.pathsep.join(_SBIN))


def missing_programs() -> list[str]:
    return [name for name in _PROGRAMS if find_program(name) is None]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class KerberosRealm:
    """A KDC for REALM on 127.0.0.1 with its files under one temporary folder.

    `env` is what a process needs to use the realm (KRB5_CONFIG; the KDC's own profile);
    `start()` returns once the KDC answers, `stop()` ends it and removes the folder.
    """

    def __init__(self) -> None:
        # /tmp: the PostgreSQL server's own user must be able to read the keytab made here.
        self.dir = Path(tempfile.mkdtemp(prefix="wrenchbook-krb-", dir="/tmp"))
        os.chmod(self.dir, 0o755)
        self.port = _free_port()
        self.config = self.dir / "krb5.conf"
        self._kdc: subprocess.Popen[bytes] | None = None
        self.env = {
            **os.environ,
            "KRB5_CONFIG": str(self.config),
            "KRB5_KDC_PROFILE": str(self.dir / "kdc.conf"),
        }

    def start(self) -> None:
        self.config.write_text(
            "[libdefaults]\n"
            f"    default_realm = {REALM}\n"
            "    dns_lookup_kdc = false\n"
            "    dns_lookup_realm = false\n"
            "    dns_canonicalize_hostname = false\n"
            "    rdns = false\n"
            "    udp_preference_limit = 1\n"
            "[realms]\n"
            f"    {REALM} = {{\n        kdc = 127.0.0.1:{self.port}\n    }}\n"
            "[domain_realm]\n"
            f"    {HOST} = {REALM}\n"
        )
        (self.dir / "kdc.conf").write_text(
            "[kdcdefaults]\n"
            f"    kdc_ports = {self.port}\n"
            f"    kdc_tcp_ports = {self.port}\n"
            "[realms]\n"
            f"    {REALM} = {{\n"
            f"        database_name = {self.dir / 'principal'}\n"
            f"        key_stash_file = {self.dir / 'stash'}\n"
            f"        acl_file = {self.dir / 'kadm5.acl'}\n"
            "    }\n"
            "[logging]\n"
            f"    kdc = FILE:{self.dir / 'kdc.log'}\n"
        )
        self._run("kdb5_util", "create", "-s", "-r", REALM, "-P", "realm-master-key-1")
        self._kdc = subprocess.Popen(
            [str(find_program("krb5kdc")), "-n", "-r", REALM],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_for_kdc()

    def _wait_for_kdc(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._kdc is not None and self._kdc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        log = self.dir / "kdc.log"
        raise RuntimeError(
            "krb5kdc did not start: " + (log.read_text() if log.exists() else "(no log)")
        )

    def add_person(self, name: str, password: str) -> None:
        self._run("kadmin.local", "-r", REALM, "-q", f"addprinc -pw {password} {name}")

    def service_keytab(self, owner: str | None) -> Path:
        """The PostgreSQL server's principal and its keytab, readable by `owner` (the
        server's system user when the tests run as root) and nobody else."""
        principal = f"{SERVICE}/{HOST}"
        keytab = self.dir / "postgres.keytab"
        self._run("kadmin.local", "-r", REALM, "-q", f"addprinc -randkey {principal}")
        self._run("kadmin.local", "-r", REALM, "-q", f"ktadd -k {keytab} {principal}")
        os.chmod(keytab, 0o400)
        if owner is not None:
            shutil.chown(keytab, user=owner)
        return keytab

    def kinit(self, name: str, password: str, cache: Path) -> None:
        """A ticket for `name` in the credential cache `cache`, the password through stdin
        as a person types it at `kinit`."""
        result = subprocess.run(
            [str(find_program("kinit")), "-c", f"FILE:{cache}", name],
            input=password + "\n",
            env=self.env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"kinit {name} failed: {result.stderr}")

    def stop(self) -> None:
        if self._kdc is not None:
            self._kdc.terminate()
            self._kdc.wait(timeout=30)
            self._kdc = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [str(find_program(program)), *args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(args)} failed: {result.stderr}")


@pytest.fixture(scope="module")
def kerberos_realm() -> Iterator[KerberosRealm]:
    """The site's domain controller: a running KDC with tom and sam and the server's key."""
    missing = missing_programs()
    if missing:
        message = f"MIT Kerberos not installed (missing {', '.join(missing)})"
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{message}, but {REQUIRE_ENV} is set")
        pytest.skip(message)
    realm = KerberosRealm()
    try:
        realm.start()
        for name, password in PASSWORDS.items():
            realm.add_person(name, password)
        realm.service_keytab(ROOT_RUN_AS if os.geteuid() == 0 else None)
        yield realm
    finally:
        realm.stop()


@pytest.fixture
def kerberos_auth(
    kerberos_realm: KerberosRealm,
    pg_admin_url: str,
    db_url: str,
    seeded_logins: None,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[[str], None]]:
    """The server signs people on with Kerberos; yields `ticket(name)`, a `kinit` as name.

    Sets the server's keytab (ALTER SYSTEM), puts the gss lines in front of pg_hba.conf and
    the map into pg_ident.conf, reloads, and puts all back afterwards. This process starts
    with no ticket at all (an empty credential cache), as a PC nobody signed on to.
    """
    keytab = kerberos_realm.dir / "postgres.keytab"
    monkeypatch.setenv("KRB5_CONFIG", str(kerberos_realm.config))
    monkeypatch.setenv("KRB5CCNAME", f"FILE:{kerberos_realm.dir / 'nobody.cc'}")
    with psycopg.connect(_libpq(pg_admin_url), autocommit=True) as conn:
        hba = Path(conn.execute("SHOW hba_file").fetchone()[0])
        ident = Path(conn.execute("SHOW ident_file").fetchone()[0])
        conn.execute(f"ALTER SYSTEM SET krb_server_keyfile = 'FILE:{keytab}'")
    hba_before, ident_before = hba.read_text(), ident.read_text()
    hba.write_text(HBA + hba_before)
    ident.write_text(ident_before + MAP + "\n")
    _reload(db_url, signs_on=True)
    try:

        def ticket(name: str) -> None:
            cache = kerberos_realm.dir / f"{name}.cc"
            kerberos_realm.kinit(name, PASSWORDS[name], cache)
            monkeypatch.setenv("KRB5CCNAME", f"FILE:{cache}")

        yield ticket
    finally:
        hba.write_text(hba_before)
        ident.write_text(ident_before)
        with psycopg.connect(_libpq(pg_admin_url), autocommit=True) as conn:
            conn.execute("ALTER SYSTEM RESET krb_server_keyfile")
        monkeypatch.setenv("KRB5CCNAME", f"FILE:{kerberos_realm.dir / 'nobody.cc'}")
        _reload(db_url, signs_on=False)


def site_url(db_url: str) -> str:
    """A workstation's setting: the server by the name its principal carries, no user."""
    url = make_url(db_url)._replace(username=None, password=None, host=HOST)
    return url.render_as_string()


def _signs_on(db_url: str) -> bool:
    """Whether the server now asks a personal login for a Kerberos ticket."""
    url = make_url(db_url).set(username=login_name("tom"), password=None, host=HOST)
    try:
        psycopg.connect(_libpq(url.render_as_string(hide_password=False))).close()
    except psycopg.OperationalError as exc:
        return "GSSAPI" in str(exc)
    return False


def _reload(db_url: str, signs_on: bool) -> None:
    """Reload and wait until new connections see the change (the postmaster rereads its
    files on its own schedule after the signal)."""
    with psycopg.connect(_libpq(db_url), autocommit=True) as conn:
        conn.execute("SELECT pg_reload_conf()")
    for _ in range(500):
        if _signs_on(db_url) is signs_on:
            return
    raise AssertionError(f"pg_hba.conf reload did not turn Kerberos sign-on {signs_on}")
