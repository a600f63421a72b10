"""A plain static host for a built site: ``invoke serve`` and the browser tests use it.

It answers a missing path with the site's own ``404.html`` and status 404,
as a real static host would, so the 404 page can be seen and tested.
"""

from __future__ import annotations

import http.server
import sys
from pathlib import Path

__all__ = ["SiteHandler"]


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``directory``; a missing path gets its ``404.html`` with status 404."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        sys.stderr.write(f"{self.address_string()} {format % args}\n")
