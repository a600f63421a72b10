"""``POST /xmlrpc``: ``pingback.ping`` (Pingback 1.0), into the same queue as Webmentions.

Pingback answers synchronously: the spec's faults say whether the source
exists (0x10) and links to the target (0x11). So the call queues the ping
like a Webmention, then waits a little for the verifier's verdict; if the
check takes longer than that, it answers success and the check goes on.

Fault codes (Pingback 1.0, "Error codes"; XML-RPC fault interop for -32xxx)::

    0x0000  generic              0x0021  target cannot be used (not this site)
    0x0010  source missing       0x0030  already registered
    0x0011  source has no link   0x0031  access denied (blocked, rate limited)
    0x0020  target missing       0x0032  upstream error (source unreachable)
    -32700 not XML-RPC, -32601 no such method, -32602 wrong parameters
"""

from __future__ import annotations

import asyncio
import time
import xmlrpc.client
from xml.parsers.expat import ExpatError

from starlette.requests import Request
from starlette.responses import Response

from ..urls import canonical_url, url_key
from .refusal import Refusal, read_body

__all__ = ["FAULTS", "pingback"]

FAULTS = {
    "generic": 0x0000,
    "source": 0x0010,
    "no-link": 0x0011,
    "target-missing": 0x0020,
    "target": 0x0021,
    "registered": 0x0030,
    "denied": 0x0031,
    "upstream": 0x0032,
}
#: The verifier's reason for a rejection -> the fault a pinger gets.
REASON_FAULTS = {"no-link": 0x11, "gone": 0x10, "no-source": 0x10, "refused": 0x10,
                 "upstream": 0x32}  # fmt: skip
POLL_SECONDS = 0.1


def _answer(value: str | xmlrpc.client.Fault) -> Response:
    if isinstance(value, xmlrpc.client.Fault):
        body = xmlrpc.client.dumps(value, methodresponse=True)
    else:
        body = xmlrpc.client.dumps((value,), methodresponse=True)
    return Response(body, media_type="text/xml")


def _fault(code: int, message: str) -> Response:
    return _answer(xmlrpc.client.Fault(code, message))


async def pingback(request: Request) -> Response:
    receiver = request.app.state.receiver
    try:
        body = await read_body(request, receiver.settings.receiver.max_body)
    except Refusal as refusal:
        return Response(refusal.message, refusal.status, media_type="text/plain")
    # XML-RPC never needs a DTD: refusing one rules out entity-expansion attacks.
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        return _fault(-32700, "A document type declaration is not allowed.")
    try:
        params, method = xmlrpc.client.loads(body)
    except (ExpatError, xmlrpc.client.ResponseError, ValueError, TypeError):
        return _fault(-32700, "The request is not well-formed XML-RPC.")
    if method != "pingback.ping":
        return _fault(-32601, f"Method {method!r} is not supported; use pingback.ping.")
    if len(params) != 2 or not all(isinstance(p, str) for p in params):
        return _fault(-32602, "pingback.ping takes two strings: sourceURI and targetURI.")
    source, target = (p.strip() for p in params)
    site = receiver.settings.site
    existing = await receiver.storage.find(
        url_key(canonical_url(source)), site.identity(canonical_url(target))
    )
    if existing is not None and existing.state == "verified":
        return _fault(0x30, f"The pingback from {source} to {target} is already registered.")
    client = request.client.host if request.client else ""
    try:
        mention = await receiver.receive(source, target, "pingback", client)
    except Refusal as refusal:
        code = refusal.fault if refusal.status != 503 else 0x32
        return _fault(code, refusal.message)
    deadline = time.monotonic() + receiver.settings.http.timeout + 2
    while time.monotonic() < deadline and receiver.verifier is not None:
        await asyncio.sleep(POLL_SECONDS)
        current = await receiver.storage.get(mention.token)
        if current is None:
            break
        if current.state == "verified":
            return _answer(f"Pingback from {source} to {target} registered. Thanks!")
        if current.state in ("rejected", "deleted", "failed") or (
            current.state == "queued" and current.reason == "upstream"
        ):
            code = REASON_FAULTS.get(current.reason, 0)
            return _fault(code, f"{current.message or current.state} ({source}).")
    url = str(request.url_for("status", token=mention.token))
    return _answer(f"Pingback from {source} to {target} queued for checking: {url}")
