"""Every page type of the site, by name, and where the demo build has one.

The conversations, person and peers pages come from other plugins
(beancan.conversations, beancan.peers): when the build lacks one, tests of it
fail in CI and skip elsewhere, saying which page is missing.
"""

from __future__ import annotations

from urllib.parse import urljoin

from bs4 import BeautifulSoup

from tests.browser.browser_support import BuiltSite, missing

#: Page types every build of the demo has, and one path of each.
CORE_PAGES = {
    "home": "/",
    "article": "/2026/03/the-smile-is-free/",
    "note": "/2026/03/re-good-days-and-bad-days/",
    "archives": "/archives/",
    "tag": "/tag/customer-service/",
    "about": "/about/",
    "not-found": "/no-such-page/on-this-line/",
}
#: Page types other plugins add.
PLUGIN_PAGES = {
    "conversations": "/conversations/",
    "person": None,  # the first node of the conversations graph
    "peers": "/peers/",
}
PAGE_TYPES = [*CORE_PAGES, *PLUGIN_PAGES]


def page_path(site: BuiltSite, name: str) -> str:
    """The path of page type ``name`` in ``site``; fails (CI) or skips when not built."""
    if name in CORE_PAGES:
        return CORE_PAGES[name]
    if name == "person":
        return person_nodes(site)[0][0]
    path = PLUGIN_PAGES[name]
    if not site.has(path):
        missing(f"the {name} page {path} is not in the build (plugin not enabled or not merged)")
    return path


def expected_status(name: str) -> int:
    return 404 if name == "not-found" else 200


def graph_nodes(site: BuiltSite) -> list[tuple[str, str]]:
    """(absolute href, person's name) of every linked node of the conversations graph."""
    path = page_path(site, "conversations")
    soup = BeautifulSoup(site.html(path), "html.parser")
    svg = soup.select_one("main figure svg") or soup.select_one("main svg")
    if svg is None:
        missing(f"{path} has no SVG graph")
    nodes = []
    for a in svg.find_all("a"):
        href = urljoin(site.url(path), a.get("href") or a.get("xlink:href") or "")
        nodes.append((href, node_name(a)))
    return nodes


def node_name(a) -> str:
    """A node's person: its <title> up to any ": counts" part, else its label."""
    title = a.find("title")
    text = title.get_text(" ", strip=True).split(":")[0] if title else a.get_text(" ", strip=True)
    return " ".join(text.split())


def person_nodes(site: BuiltSite) -> list[tuple[str, str]]:
    """(site path, name) of the graph's nodes that link to a person page of this site."""
    home = site.url("/")
    nodes = [(href[len(site.origin) :], name) for href, name in graph_nodes(site)
             if href.startswith(home) and href != home]  # fmt: skip
    if not nodes:
        missing("the conversations graph links to no person page on this site")
    return nodes
