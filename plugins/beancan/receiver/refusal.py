"""A request the receiver refuses, and reading a request body within its cap.

Both the Webmention routes (``app.py``) and the pingback route (``xmlrpc.py``)
use these; keeping them here lets both import them without a cycle.
"""

from __future__ import annotations

from starlette.requests import ClientDisconnect, Request

from ..errors import ReceiverError

__all__ = ["Refusal", "read_body"]


class Refusal(ReceiverError):
    """A request the receiver answers with an error status and a clear message."""

    def __init__(self, status: int, message: str, retry_after: float = 0.0, fault: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after
        #: the Pingback 1.0 fault code for the same refusal.
        self.fault = fault


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) anything over ``limit`` without reading it all."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refusal(413, f"The request body is larger than {limit} bytes.")
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise Refusal(413, f"The request body is larger than {limit} bytes.")
    except ClientDisconnect as exc:
        raise Refusal(400, "The client went away before sending the whole body.") from exc
    return bytes(body)
