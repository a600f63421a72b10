"""Hostile input: classic XSS and HTML-injection payloads through every field.

Each payload goes into every field of an interaction, twice: once through
``make_interaction`` (the collect path) and once written raw into the store
file (a hand-edited or corrupted store). The site is built for real and the
built HTML is parsed: nothing executable may survive.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from beancan.files import dump_line
from beancan.model import make_interaction
from beancan.store import STORE_FILE
from tests.sitebuild import build_site

POST = "https://tamsin.example/2026/03/the-smile-is-free/"

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert('XSS');\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="java\tscript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<base href="javascript:alert(1)//">',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<p onclick="alert(1)">hi</p>',
    '<a href="https://ok.example/" onclick="alert(1)">ok</a>',
    "javascript:alert(1)",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<isindex action=javascript:alert(1) type=image>",
    "{{ 7*7 }}{% raw %}",
]
assert len(PAYLOADS) >= 40

FIELDS = ("content_html", "content_text", "author_name", "author_url", "author_photo",
          "name", "published", "url", "in_reply_to", "avatar", "rsvp")  # fmt: skip
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "base", "meta", "svg", "math",
                  "frame", "frameset", "applet", "template", "noscript", "marquee", "video",
                  "audio", "isindex", "textarea", "details"}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href",
                  "background", "cite", "value"}  # fmt: skip
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript):", re.I)


def _interaction(n: int, payload: str, field: str) -> dict:
    record = {
        "source": f"https://x{n}.example/{field}",
        "target": POST,
        "kind": "rsvp" if field == "rsvp" else "reply",
        "in_reply_to": [POST],
        "author": {"name": f"Author {n}", "url": f"https://x{n}.example/"},
        "content_html": f"<p>plain {n}</p>",
        "status": "approved",
        "channels": ["webmention"],
        "published": "2026-03-20T10:00:00+00:00",
    }
    if field.startswith("author_"):
        record["author"][field.removeprefix("author_")] = payload
    elif field == "in_reply_to":
        record["in_reply_to"] = [payload]
    else:
        record[field] = payload
    return record


def _stores(tmp_path):
    through_boundary, raw = [], []
    for n, payload in enumerate(PAYLOADS):
        for field in FIELDS:
            record = _interaction(n, payload, field)
            try:
                through_boundary.append(make_interaction(**record).to_record())
            except ValueError:
                pass
            raw.append(record)
    return through_boundary, raw


def _write_store(folder, records, keep_loadable):
    """Write records as a store file; raw ones the loader refuses are left out."""
    from beancan.errors import StoreError
    from beancan.model import interaction_from_record

    lines = [dump_line({"beancan": "interactions", "version": 1})]
    seen = set()
    for record in records:
        key = (record["source"], record["target"])
        if key in seen:
            continue
        if keep_loadable:
            try:
                interaction_from_record(json.loads(dump_line(record)), "test")
            except StoreError:
                continue
        seen.add(key)
        lines.append(dump_line(record))
    folder.mkdir(parents=True, exist_ok=True)
    body = "\n".join([lines[0], *sorted(lines[1:])]) + "\n"
    (folder / STORE_FILE).write_text(body, encoding="utf-8")
    return len(lines) - 1


def _problems(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for element in soup.find_all(True):
        if element.name in DANGEROUS_TAGS:
            found.append(f"<{element.name}> element")
        if element.name == "form" and element.get("action", "").startswith("javascript"):
            found.append("form with javascript action")
        for attribute, value in element.attrs.items():
            if attribute.lower().startswith("on"):
                found.append(f"{attribute} attribute on <{element.name}>")
            if attribute.lower() == "style":
                found.append(f"style attribute on <{element.name}>")
            values = value if isinstance(value, list) else [value]
            if attribute.lower() in URL_ATTRIBUTES:
                for v in values:
                    cleaned = re.sub(r"[\x00-\x20]", "", str(v))
                    if BAD_SCHEME.match(cleaned):
                        found.append(f"{attribute}={v!r} on <{element.name}>")
    return found


#: Pelican's own default: a theme that never turned autoescape on. Beancan's
#: templates escape all the same (their own ``{% autoescape true %}``).
NO_AUTOESCAPE = {"trim_blocks": True, "lstrip_blocks": True, "extensions": []}


@pytest.mark.parametrize("path", ["boundary", "raw"])
@pytest.mark.parametrize("jinja", ["autoescape", "no autoescape"])
def test_no_payload_survives_in_built_html(tmp_path, path, jinja):
    through_boundary, raw = _stores(tmp_path)
    data = tmp_path / "data"
    count = _write_store(data, through_boundary if path == "boundary" else raw, True)
    assert count > len(PAYLOADS) * 5  # most hostile records do reach the page
    overrides = {"JINJA_ENVIRONMENT": NO_AUTOESCAPE} if jinja == "no autoescape" else {}
    build = build_site(tmp_path / "out", BEANCAN_DATA_DIR=str(data), **overrides)
    html = build.page("2026/03/the-smile-is-free/index.html")
    comments = BeautifulSoup(html, "html.parser").find(id="responses")
    assert comments is not None
    # The payload records really rendered (the test would pass vacuously otherwise).
    assert len(comments.select(".p-comment")) > len(PAYLOADS) * 4
    assert _problems(str(comments)) == []
    assert "alert(1)</script>" not in html
    # Nowhere in the page body either (the head legitimately has <meta>).
    body = BeautifulSoup(html, "html.parser").body
    assert _problems(str(body)) == []
    # Nor on the pages that list the people and their responses.
    pages = sorted(build.output.glob("conversations/**/index.html"))
    assert len(pages) > 3
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "alert(1)</script>" not in text, page
        # The one style attribute these pages write themselves: a step's indent.
        soup = BeautifulSoup(re.sub(r' style="--depth:\d"', "", text), "html.parser")
        # Their own drawings: the <svg> goes, what is drawn in it is checked.
        for drawing in soup.select("svg.bc-graph, svg.bc-chart"):
            drawing.unwrap()
        assert _problems(str(soup.body)) == [], page
