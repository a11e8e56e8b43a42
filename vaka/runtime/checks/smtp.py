"""SMTP: connect, EHLO, STARTTLS and login as configured, then QUIT. No mail is sent."""

from __future__ import annotations

import smtplib
import socket
import ssl

from vaka.config import Settings
from vaka.notify.email import smtp_session
from vaka.runtime.checks import Outcome

TIMEOUT = 5.0


def check_smtp(settings: Settings, timeout: float = TIMEOUT) -> Outcome:
    if not settings.smtp_host:
        return Outcome("smtp", True, "not configured (VAKA_SMTP_HOST unset): notifications "
                                     "go to the in-app inbox only")
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    steps = ["EHLO"] + (["STARTTLS"] if settings.smtp_starttls and not settings.smtp_ssl
                        else []) + (["login"] if settings.smtp_username else [])
    try:
        with smtp_session(settings, timeout):
            pass
    except Exception as exc:
        return Outcome("smtp", False, f"{where}: {explain_smtp(exc)}")
    tls = ", implicit TLS" if settings.smtp_ssl else ""
    return Outcome("smtp", True, f"{where} answers ({', '.join(steps)}{tls})")


def explain_smtp(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror):
        return "the host name does not resolve (DNS)"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused: nothing listens on that port"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "no answer in time (a firewall, or the wrong host)"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "login refused (VAKA_SMTP_USERNAME / VAKA_SMTP_PASSWORD)"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"the server does not offer what is configured: {exc}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc}; VAKA_SMTP_SSL / VAKA_SMTP_STARTTLS)"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection (implicit TLS on a plain port, or the reverse?)"
    return f"{type(exc).__name__}: {str(exc)[:160]}"
