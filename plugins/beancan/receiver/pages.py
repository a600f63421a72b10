"""Small HTML pages for people: the result of the "Reply from your own site" form.

Pages work without JavaScript and load nothing from elsewhere; a page for a
mention still in the queue refreshes itself every few seconds.
"""

from __future__ import annotations

from html import escape

from .storage import Mention

__all__ = ["describe", "error_page", "status_page", "wants_html"]

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{refresh}<title>{title}</title>
<style>body{{font:1.05rem/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}}
dt{{font-weight:bold}}dd{{margin:0 0 .6rem;overflow-wrap:anywhere}}</style>
</head><body><main><h1>{title}</h1><p>{message}</p>{details}</main></body></html>
"""

#: What a reader is told for each state; moderation stays the author's business.
STATE_TEXT = {
    "queued": ("Webmention received", "Thanks! It waits in the queue: we will check shortly "
               "that your page links to the post."),
    "verifying": ("Webmention received", "We are checking your page right now."),
    "verified": ("Webmention verified", "Your page links to the post. Your response will "
                 "appear under it once the author has seen it and the site is next updated."),
    "rejected": ("Webmention not accepted", "We could not use your Webmention"),
    "deleted": ("Webmention removed", "Your page is gone or no longer links to the post, "
                "so the response was removed"),
    "failed": ("Webmention not verified", "We could not reach your page"),
}  # fmt: skip


def wants_html(accept: str) -> bool:
    """Whether the client prefers a page (a browser) to JSON (a sending library)."""
    accept = accept.lower()
    if "text/html" not in accept:
        return False
    return "application/json" not in accept or accept.index("text/html") < accept.index(
        "application/json"
    )


def describe(mention: Mention) -> tuple[str, str]:
    title, message = STATE_TEXT.get(mention.state, ("Webmention", mention.state))
    if mention.state in ("rejected", "deleted", "failed") and mention.message:
        message = f"{message}: {mention.message}."
    return title, message


def status_page(mention: Mention) -> str:
    title, message = describe(mention)
    waiting = mention.state in ("queued", "verifying")
    details = (
        '<dl><dt>Your page</dt><dd><a href="{s}">{s}</a></dd>'
        '<dt>Responds to</dt><dd><a href="{t}">{t}</a></dd>'
        "<dt>Received</dt><dd>{r}</dd></dl>"
        '<p><a href="{t}">Back to the post</a></p>'
    ).format(s=escape(mention.source), t=escape(mention.target), r=escape(mention.received_at))
    refresh = '<meta http-equiv="refresh" content="3">\n' if waiting else ""
    if waiting:
        details += "<p>This page refreshes itself until the check is done.</p>"
    return PAGE.format(
        refresh=refresh, title=escape(title), message=escape(message), details=details
    )


def error_page(title: str, message: str, back: str = "") -> str:
    details = f'<p><a href="{escape(back)}">Back to the post</a></p>' if back else ""
    return PAGE.format(refresh="", title=escape(title), message=escape(message), details=details)
