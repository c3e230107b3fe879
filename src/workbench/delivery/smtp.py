"""SMTP from the environment only: `WORKBENCH_SMTP_URL`, never params, manifests or reports.

    smtp://host:25                      plain (a local relay)
    smtp://user:pass@host:587?starttls=1  STARTTLS then login (user and password %-encoded)
    smtps://user:pass@host:465          TLS from the first byte
    ...?timeout=30                      seconds to wait for the server (default 30)

Errors name the server (never the password) and what went wrong: unreachable, TLS, login refused,
sender or recipients refused; a partial refusal says which addresses the server would not take.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from workbench.delivery.errors import DeliveryError, SendError

ENV_VAR = "WORKBENCH_SMTP_URL"
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. The password never shows in repr, logs or messages."""

    host: str
    port: int
    tls: bool = False  # smtps: TLS from connect
    starttls: bool = False
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0

    def describe(self) -> str:
        """The server as logs and errors show it: smtps://user@host:465 (no password)."""
        user = f"{self.username}@" if self.username else ""
        mode = " (STARTTLS)" if self.starttls else ""
        return f"{'smtps' if self.tls else 'smtp'}://{user}{self.host}:{self.port}{mode}"


def _flag(name: str, values: dict[str, list[str]], default: bool) -> bool:
    if name not in values:
        return default
    text = values[name][-1].strip().lower()
    if text not in _TRUE | _FALSE:
        raise DeliveryError(f"{ENV_VAR}: ?{name}= expects 1 or 0 (true/false), found {text!r}")
    return text in _TRUE


def parse_smtp_url(url: str) -> SmtpSettings:
    """Settings from an smtp:// or smtps:// URL (DeliveryError naming the variable and the problem)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise DeliveryError(
            f"{ENV_VAR}: expected smtp://[user:password@]host[:port][?starttls=1] or smtps://..., "
            f"found a URL with scheme {parts.scheme or '(none)'!r}"
        )
    if not parts.hostname:
        raise DeliveryError(f"{ENV_VAR}: no host in the URL (expected smtp://host:587 or similar)")
    try:
        port = parts.port
    except ValueError:
        raise DeliveryError(f"{ENV_VAR}: the port is not a number between 0 and 65535") from None
    query = parse_qs(parts.query)
    unknown = sorted(set(query) - {"starttls", "timeout"})
    if unknown:
        raise DeliveryError(f"{ENV_VAR}: unknown option(s) {', '.join(unknown)} (known: starttls, timeout)")
    tls = parts.scheme == "smtps"
    starttls = _flag("starttls", query, default=False)
    if tls and starttls:
        raise DeliveryError(f"{ENV_VAR}: smtps:// is already encrypted; drop ?starttls=1 (or use smtp://)")
    try:
        timeout = float(query.get("timeout", ["30"])[-1])
    except ValueError:
        timeout = -1.0
    if not timeout > 0:
        raise DeliveryError(f"{ENV_VAR}: ?timeout= expects a positive number of seconds")
    return SmtpSettings(
        host=parts.hostname,
        port=port or (465 if tls else 587 if starttls else 25),
        tls=tls,
        starttls=starttls,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        timeout=timeout,
    )


def settings_from_env(env: Mapping[str, str] | None = None) -> SmtpSettings:
    """The SMTP settings of this process's environment (DeliveryError when unset)."""
    url = (env if env is not None else os.environ).get(ENV_VAR, "").strip()
    if not url:
        raise DeliveryError(
            f"{ENV_VAR} is not set: export it (e.g. smtp://user:password@mail.example.com:587?starttls=1) "
            "or use --dry-run to write the messages to the outbox instead"
        )
    return parse_smtp_url(url)


def _connect(s: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if s.tls:
        client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
    else:
        client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
    if s.starttls:
        client.starttls(context=context)
    if s.username:
        client.login(s.username, s.password)
    return client


def send(message: EmailMessage, recipients: list[str], settings: SmtpSettings) -> dict[str, str]:
    """Send to `recipients` (the envelope; the headers may name fewer). Returns refused address -> reason
    when the server took the message for some recipients only; raises SendError when nobody got it."""
    where = settings.describe()
    try:
        with _connect(settings) as client:
            refused = client.send_message(message, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as exc:
        reasons = "; ".join(f"{a}: {_reply(r)}" for a, r in exc.recipients.items())
        raise SendError(f"{where} refused every recipient ({reasons})") from None
    except smtplib.SMTPSenderRefused as exc:
        raise SendError(f"{where} refused the sender {exc.sender}: {_reply((exc.smtp_code, exc.smtp_error))}") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(
            f"{where} refused the login of {settings.username!r}: {_reply((exc.smtp_code, exc.smtp_error))}"
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise SendError(f"{where}: {exc} (check ?starttls= and the login in {ENV_VAR})") from None
    except smtplib.SMTPResponseException as exc:
        raise SendError(f"{where} answered {_reply((exc.smtp_code, exc.smtp_error))}") from None
    except ssl.SSLError as exc:
        raise SendError(f"TLS with {where} failed: {exc.reason or exc}") from None
    except TimeoutError:
        raise SendError(f"{where} did not answer within {settings.timeout:g} s") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"could not reach {where}: {exc.strerror or exc}") from None
    return {addr: _reply(reply) for addr, reply in (refused or {}).items()}


def _reply(reply: tuple[int, bytes | str]) -> str:
    code, text = reply
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {text}".strip()
