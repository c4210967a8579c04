"""SMTP over STARTTLS and implicit TLS with login, against aiosmtpd with a certificate made
here for 127.0.0.1 and trusted through EDUFIG_SMTP_CA_FILE, plus the refusal of plain SMTP to
a non-loopback host. The password must never be persisted."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from edufig.alerts import send_alerts
from edufig.alerts.secrets import SecretError
from edufig.alerts.smtp import SmtpConfig
from edufig.core.config import Settings, StageResult
from tests.alerts.conftest import (
    EMAIL_SX,
    SmtpSink,
    all_persisted_text,
    free_port,
    query,
    raise_flags,
    seed_flags,
    subscribed,
)

PASSWORD = "smtp-pa55word-never-stored"


def loopback_certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def check_login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = auth_data.login == b"edufig" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


def send_over_tls(
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    security: str,
    password: str,
) -> tuple[SmtpSink, StageResult]:
    """One alerts run against an aiosmtpd server that requires TLS (`security`) and a login."""
    cert, key = loopback_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    sink = SmtpSink(free_port())
    tls = {"ssl_context": context} if security == "ssl" else {"tls_context": context}
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=sink.port,
        authenticator=check_login,
        auth_require_tls=security == "starttls",  # aiosmtpd only counts STARTTLS as TLS
        require_starttls=security == "starttls",
        **tls,
    )
    smtp_env = {
        "HOST": "127.0.0.1",
        "PORT": str(sink.port),
        "SECURITY": security,
        "USER": "edufig",
        "PASSWORD": password,
        "FROM": "edufig@example.org",
        "CA_FILE": str(cert),
    }
    for name, value in smtp_env.items():
        monkeypatch.setenv(f"EDUFIG_SMTP_{name}", value)
    raise_flags(settings, seed_flags())
    controller.start()
    try:
        return sink, send_alerts(subscribed(settings, tmp_path, EMAIL_SX))
    finally:
        controller.stop()


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_login_over_tls_delivers_and_stores_no_password(
    security: str, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink, result = send_over_tls(settings, tmp_path, monkeypatch, security, PASSWORD)
    assert result.errors == [] and result.counts["messages_sent"] == 1
    (message,) = sink.messages()
    assert message["To"] == "sx@example.org" and message["From"] == "edufig@example.org"
    assert "杏花岭区" in message.get_body(("plain",)).get_content()
    assert PASSWORD not in all_persisted_text(settings)


def test_wrong_password_is_recorded_without_the_password(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "wrong-" + PASSWORD
    sink, result = send_over_tls(settings, tmp_path, monkeypatch, "starttls", wrong)
    assert result.counts["messages_failed"] == 1 and sink.envelopes == []
    (error,) = query(settings, "SELECT last_error FROM alerts.outbox")[0]
    assert "SMTP 535" in error
    assert wrong not in all_persisted_text(settings) + "\n".join(result.errors)


def test_plain_smtp_is_refused_off_loopback(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDUFIG_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("EDUFIG_SMTP_SECURITY", "plain")
    raise_flags(settings, seed_flags())
    result = send_alerts(subscribed(settings, tmp_path, EMAIL_SX))
    assert result.counts["messages_failed"] == 1
    assert (
        "plain SMTP is only allowed to a loopback server, not smtp.example.org" in result.errors[0]
    )


def test_plain_smtp_to_a_host_named_in_plain_hosts_is_allowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The compose demo's Mailpit takes plain SMTP on its private network."""
    kwargs = dict(port=1025, user=None, password=None, security="plain", sender="a@b", ca_file=None)
    with pytest.raises(SecretError, match="not mailpit"):
        SmtpConfig(host="mailpit", **kwargs)
    monkeypatch.setenv("EDUFIG_SMTP_PLAIN_HOSTS", "mailpit, sink.internal")
    assert SmtpConfig(host="mailpit", **kwargs).host == "mailpit"
    with pytest.raises(SecretError, match=r"not smtp\.example\.org"):
        SmtpConfig(host="smtp.example.org", **kwargs)
