"""Beancan's own Webmention and pingback receiver: a small ASGI service.

Run it with ``invoke receiver`` or ``beancan-receiver``; it speaks the
webmention.io JF2 API, so ``invoke collect`` reads from it as from
webmention.io.
"""

from .app import create_app

__all__ = ["create_app"]
