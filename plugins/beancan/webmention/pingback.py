"""Pingback 1.0 fallback: an XML-RPC ``pingback.ping`` for targets without Webmention.

Many WordPress-era blogs only speak pingback. The call is encoded and decoded
with ``xmlrpc.client.dumps``/``loads`` and sent through the hardened
``HttpClient`` (``xmlrpc.client.ServerProxy`` would open its own unguarded,
uncapped connection). Faults are recorded with their code and string.
"""

from __future__ import annotations

import xmlrpc.client
from dataclasses import dataclass
from xml.parsers.expat import ExpatError

from ..errors import FetchError
from ..http import HttpClient

__all__ = ["Outcome", "send_pingback"]

#: Pingback 1.0 "Error codes": 0x0030 means the ping is already registered,
#: which is what we wanted; 0x0032 (upstream error) is worth trying again.
ALREADY_REGISTERED = 0x0030
UPSTREAM_ERROR = 0x0032


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one notification went, as recorded in the sent log."""

    status: str
    protocol: str = ""
    endpoint: str = ""
    http_status: int = 0
    location: str = ""
    error: str = ""


async def send_pingback(http: HttpClient, endpoint: str, source: str, target: str) -> Outcome:
    """Call ``pingback.ping(source, target)`` at ``endpoint``; never raises for the server."""
    body = xmlrpc.client.dumps((source, target), "pingback.ping", encoding="utf-8")
    done = dict(protocol="pingback", endpoint=endpoint)
    try:
        response = await http.post(
            endpoint,
            content=body.encode("utf-8"),
            headers={"Content-Type": "text/xml; charset=utf-8"},
        )
    except FetchError as exc:
        return Outcome("retry", error=exc.reason, **done)
    if response.status >= 500:
        return Outcome("retry", http_status=response.status, error="server error", **done)
    if response.status != 200:
        error = f"answered HTTP {response.status}, not an XML-RPC answer"
        return Outcome("rejected", http_status=response.status, error=error, **done)
    try:
        xmlrpc.client.loads(response.content)
    except xmlrpc.client.Fault as fault:
        error = f"fault {fault.faultCode}: {fault.faultString}"[:300]
        if fault.faultCode == ALREADY_REGISTERED:
            return Outcome("pinged", http_status=200, error=error, **done)
        status = "retry" if fault.faultCode == UPSTREAM_ERROR else "rejected"
        return Outcome(status, http_status=200, error=error, **done)
    except (ExpatError, xmlrpc.client.ResponseError, ValueError) as exc:
        return Outcome(
            "rejected", http_status=200, error=f"unreadable XML-RPC answer: {exc}", **done
        )
    return Outcome("pinged", http_status=200, **done)
