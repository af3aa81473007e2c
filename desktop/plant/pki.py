"""Application certificates and the trust store of server certificates, kept in a PKI folder.

Layout (the one most OPC UA stacks use, so an administrator recognises it):
`own/cert.der` + `own/key.pem` is this application's instance certificate, created on first
use and kept; `trusted/` holds server certificates a person accepted; `rejected/` holds those
seen but not (yet) trusted, so the user can look at one and move it to `trusted/`.
"""

from __future__ import annotations

import hashlib
import socket
from dataclasses import dataclass
from pathlib import Path

from asyncua.crypto.cert_gen import (
    dump_private_key_as_pem,
    generate_private_key,
    generate_self_signed_app_certificate,
)
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID

from desktop.domain.errors import WrenchbookError
from desktop.domain.phrases import Phrase

CERT_DAYS = 5 * 365


class UntrustedServer(WrenchbookError):
    """The server's certificate is not in the trust store; a person has to accept it first."""

    def __init__(self, thumbprint: str, saved_to: Path) -> None:
        super().__init__(
            Phrase(
                "the server certificate {thumbprint} is not trusted: it was saved to "
                "{saved_to}; trust it (move it into trusted/ or use `plant trust`) and connect "
                "again",
                thumbprint=thumbprint,
                saved_to=saved_to,
            )
        )
        self.thumbprint = thumbprint
        self.saved_to = saved_to


@dataclass(frozen=True)
class OwnCertificate:
    application_uri: str
    cert_path: Path
    key_path: Path

    @classmethod
    def from_files(cls, cert_path: Path, key_path: Path) -> OwnCertificate:
        """A certificate issued elsewhere (DER or PEM); its application URI is the one in its
        subject alternative name, which the client must announce to match it."""
        try:
            data = cert_path.read_bytes()
            cert = (
                x509.load_pem_x509_certificate(data)
                if data.lstrip().startswith(b"-----")
                else x509.load_der_x509_certificate(data)
            )
            names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            uris = names.get_values_for_type(x509.UniformResourceIdentifier)
        except (OSError, ValueError, x509.ExtensionNotFound) as exc:
            raise WrenchbookError(
                Phrase(
                    "cannot use the client certificate {path}: {reason}",
                    path=cert_path,
                    reason=exc,
                )
            ) from exc
        if not uris:
            raise WrenchbookError(
                Phrase(
                    "the client certificate {path} names no application URI "
                    "(subject alternative name URI): OPC UA servers refuse it",
                    path=cert_path,
                )
            )
        if not key_path.is_file():
            raise WrenchbookError(Phrase("the private key {path} does not exist", path=key_path))
        return cls(uris[0], cert_path, key_path)


def thumbprint(der: bytes) -> str:
    """SHA-1 over the DER bytes: the thumbprint OPC UA itself uses to name certificates."""
    return hashlib.sha1(der).hexdigest()


def application_uri(role: str) -> str:
    """URI bound into the certificate; asyncua checks it against the client's own."""
    return f"urn:{socket.gethostname()}:wrenchbook:{role}"


class Pki:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.trusted = folder / "trusted"
        self.rejected = folder / "rejected"

    def own_certificate(self, role: str, server: bool = False) -> OwnCertificate:
        """This application's certificate, created once and kept (a new one would need
        re-trusting on every server)."""
        own = self.folder / "own"
        own.mkdir(parents=True, exist_ok=True)
        cert_path, key_path = own / f"{role}_cert.der", own / f"{role}_key.pem"
        uri = application_uri(role)
        if not (cert_path.is_file() and key_path.is_file()):
            key = generate_private_key()
            host = socket.gethostname()
            names: list[x509.GeneralName] = [
                x509.UniformResourceIdentifier(uri),
                x509.DNSName(host),
                x509.DNSName("localhost"),
            ]
            usage = [ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH]
            cert = generate_self_signed_app_certificate(
                key,
                uri,
                {"commonName": f"Wrenchbook {role}", "organizationName": "Wrenchbook"},
                names,
                extended=usage,
                days=CERT_DAYS,
            )
            key_path.write_bytes(dump_private_key_as_pem(key))
            key_path.chmod(0o600)
            cert_path.write_bytes(cert.public_bytes(Encoding.DER))
        return OwnCertificate(uri, cert_path, key_path)

    def check_trusted(self, der: bytes) -> None:
        """Raise UntrustedServer (and keep the certificate in rejected/) unless it is trusted."""
        print_ = thumbprint(der)
        if (self.trusted / f"{print_}.der").is_file():
            return
        self.rejected.mkdir(parents=True, exist_ok=True)
        saved = self.rejected / f"{print_}.der"
        saved.write_bytes(der)
        raise UntrustedServer(print_, saved)

    def trust(self, thumbprint_or_path: str) -> Path:
        """Accept a rejected certificate (by thumbprint or file); returns where it now lies."""
        source = Path(thumbprint_or_path)
        if not source.is_file():
            source = self.rejected / f"{thumbprint_or_path}.der"
        if not source.is_file():
            raise WrenchbookError(
                Phrase(
                    "no rejected certificate {thumbprint} in {folder}",
                    thumbprint=thumbprint_or_path,
                    folder=self.rejected,
                )
            )
        der = source.read_bytes()
        self.trusted.mkdir(parents=True, exist_ok=True)
        target = self.trusted / f"{thumbprint(der)}.der"
        target.write_bytes(der)
        if source.parent == self.rejected:
            source.unlink()
        return target

    def rejected_thumbprints(self) -> list[str]:
        if not self.rejected.is_dir():
            return []
        return sorted(p.stem for p in self.rejected.glob("*.der"))
