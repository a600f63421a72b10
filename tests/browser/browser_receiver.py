"""A minimal Webmention endpoint answering as Beancan's receiver will (issue 7).

Used only while ``beancan.receiver`` is not in the tree: ``POST /webmention``
validates ``source`` and ``target`` (Webmention §3.2.1) and answers
``202 Accepted`` with an HTML status page, or ``400`` with a message.
"""

from __future__ import annotations

import importlib.util
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title></head><body><main><h1>{title}</h1><p>{message}</p></main></body></html>"""


def create_standin_app(site_origin: str) -> Starlette:
    """An endpoint for the site at ``site_origin``; ``received`` lists accepted pairs."""
    received: list[tuple[str, str]] = []

    async def webmention(request: Request) -> HTMLResponse:
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        source = (form.get("source") or [""])[0]
        target = (form.get("target") or [""])[0]
        if urlsplit(source).scheme not in ("http", "https"):
            return _page(400, "Webmention refused", f"The source {source!r} is not a web address.")
        if not target.startswith(site_origin + "/"):
            return _page(400, "Webmention refused", f"The target {target!r} is not on this site.")
        received.append((source, target))
        return _page(
            202,
            "Webmention received",
            f"Thanks! We will check that {source} links to {target}, "
            "and your reply will appear under the post once it is approved.",
            {"Location": f"/webmention/status/{len(received)}"},
        )

    app = Starlette(routes=[Route("/webmention", webmention, methods=["POST"])])
    app.state.received = received
    return app


def _page(status: int, title: str, message: str, headers: dict | None = None) -> HTMLResponse:
    return HTMLResponse(
        PAGE.format(title=escape(title), message=escape(message)), status, headers=headers
    )


def receiver_app(site_origin: str, workdir: Path) -> tuple[object, str]:
    """Beancan's own receiver for the site when it is in the tree, else the stand-in.

    Returns the ASGI app and which one it is ("beancan" or "stand-in").
    """
    if importlib.util.find_spec("beancan.receiver.app") is None:
        return create_standin_app(site_origin), "stand-in"
    from beancan.receiver.app import create_app
    from beancan.settings import BeancanSettings

    settings = BeancanSettings.from_pelican(
        {
            "SITEURL": site_origin,
            "BEANCAN_DATA_DIR": str(workdir),
            "BEANCAN_RECEIVER_DATABASE": str(workdir / "receiver.sqlite3"),
            # Receive only: the reader's "own site" in this test lives nowhere, and
            # the verifier must not go looking for it (no network beyond 127.0.0.1).
            "BEANCAN_RECEIVER_WORKERS": 0,
        }
    )
    return create_app(settings), "beancan"
