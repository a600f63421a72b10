"""People, not URLs: every address a person writes from maps to one home page.

A person is identified by their home page. Their other addresses (another
domain, a social profile relayed by Bridgy) are merged into it in two ways:

* the ``BEANCAN_PERSON_ALIASES`` setting, ``{home_url: [alias_url, ...]}``,
  trusted as written;
* ``rel="me"`` links recorded in ``<data>/people.jsonl`` by the collect step.
  A rel=me claim only merges two addresses when it is confirmed from the
  other side (each page links the other with rel=me), as IndieAuth does:
  anyone can *claim* to be somebody else, only the other page can agree.

Lookups match the longest path prefix, so ``https://social.example/@samk/likes/1``
belongs to whoever owns ``https://social.example/@samk``; an address nobody
claims belongs to its site's origin (``https://host/``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError
from ..files import read_jsonl, write_jsonl
from ..urls import canonical_url, url_key

__all__ = [
    "PEOPLE_FILE",
    "PeopleIndex",
    "PersonRecord",
    "read_people",
    "rel_me_links",
    "write_people",
]

PEOPLE_FILE = "people.jsonl"
PEOPLE_KIND = "people"
PEOPLE_VERSION = 1


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """What the collect step learnt from one fetched home page."""

    url: str
    rel_me: tuple[str, ...] = ()
    name: str = ""
    #: when the page was last read (its rel=me links are from then).
    fetched: str = ""
    #: when a later attempt failed, and why; the links above are kept.
    failed: str = ""
    error: str = ""

    def to_record(self) -> dict[str, object]:
        record: dict[str, object] = {"url": self.url, "rel_me": list(self.rel_me)}
        for name in ("name", "fetched", "failed", "error"):
            if getattr(self, name):
                record[name] = getattr(self, name)
        return record


def rel_me_links(html: str, url: str) -> list[str]:
    """The rel=me links of a fetched page, absolute and canonical, in document order.

    Pure: the caller fetches (with the hardened HTTP helper) and caches the
    result in ``people.jsonl``; this only parses.
    """
    # Imported here: only collect reads home pages; builds (and their
    # background process) need the rest of this module, not the parser.
    from .. import mf2

    parsed = mf2.parse(html or "", url)
    found = (canonical_url(link, url) for link in mf2.rel_urls(parsed, "me"))
    own = url_key(url)
    return [link for link in dict.fromkeys(found) if link and url_key(link) != own]


def read_people(data_dir: Path) -> list[PersonRecord]:
    """The rel=me cache; a missing file is empty, a bad one a StoreError naming the line."""
    path = Path(data_dir) / PEOPLE_FILE
    records = []
    for number, record in read_jsonl(path, PEOPLE_KIND, PEOPLE_VERSION):
        url = canonical_url(str(record.get("url") or ""))
        links = record.get("rel_me") or []
        if not url or not isinstance(links, list):
            raise StoreError(f"{path}:{number}: needs a 'url' and a list 'rel_me'")
        records.append(
            PersonRecord(
                url=url,
                rel_me=tuple(u for u in (canonical_url(str(v)) for v in links) if u),
                name=str(record.get("name") or ""),
                fetched=str(record.get("fetched") or ""),
                failed=str(record.get("failed") or ""),
                error=str(record.get("error") or ""),
            )
        )
    return records


def write_people(data_dir: Path, records: Iterable[PersonRecord]) -> None:
    """Atomically write the rel=me cache, one record a line, sorted by URL key."""
    unique = {url_key(r.url): r for r in records}
    write_jsonl(
        Path(data_dir) / PEOPLE_FILE,
        PEOPLE_KIND,
        (unique[key].to_record() for key in sorted(unique)),
        PEOPLE_VERSION,
    )


def _prefixes(key: str) -> Iterable[str]:
    """``host/a/b`` → ``host/a/b``, ``host/a``, ``host``."""
    key = key.split("?", 1)[0]
    while True:
        yield key
        if "/" not in key:
            return
        key = key.rsplit("/", 1)[0]


def _origin(url: str) -> str:
    clean = canonical_url(url)
    if not clean:
        return ""
    scheme, rest = clean.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}/"


def _home_rank(url: str) -> tuple[int, str]:
    # A personal domain beats a profile on someone else's domain.
    key = url_key(url)
    return ("/" in key, key)


class PeopleIndex:
    """Maps any URL to the home page of the person who owns it."""

    def __init__(
        self,
        me: Iterable[str],
        aliases: Mapping[str, Iterable[str]] | None = None,
        records: Iterable[PersonRecord] = (),
    ) -> None:
        me = [u for u in (canonical_url(u) for u in me) if u]
        #: url_key of an address → canonical URL of its owner's home page.
        self._home: dict[str, str] = {}
        #: url_key → the address as written, for display.
        self._urls: dict[str, str] = {}
        #: URL string → home_of(URL): the index never changes once built, and
        #: the graph asks about the same targets and authors many times.
        self._owners: dict[str, str] = {}
        self._homes: dict[str, bool] = {}
        self.me = me[0] if me else ""
        for url in me:
            self._add(url, self.me)
        for home, others in sorted((aliases or {}).items()):
            home_url = canonical_url(home)
            if not home_url or url_key(home_url) in self._home:
                continue
            for url in (home_url, *others):
                self._add(canonical_url(url), home_url)
        self._merge_rel_me(list(records))

    def _add(self, url: str, home: str) -> None:
        key = url_key(url)
        if key and key not in self._home:
            self._home[key] = home
            self._urls[key] = url

    def _merge_rel_me(self, records: list[PersonRecord]) -> None:
        claims = {url_key(r.url): {url_key(u) for u in r.rel_me} for r in records}
        urls = {url_key(r.url): r.url for r in records}
        # Union-find over confirmed pairs; sorted so the outcome never depends on file order.
        parent: dict[str, str] = {}

        def find(key: str) -> str:
            while parent.get(key, key) != key:
                key = parent[key]
            return key

        for key in sorted(claims):
            for other in sorted(claims[key]):
                if other in claims and key in claims[other]:
                    a, b = find(key), find(other)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
        groups: dict[str, list[str]] = {}
        for key in sorted(claims):
            groups.setdefault(find(key), []).append(key)
        for keys in groups.values():
            if len(keys) < 2:
                continue
            # An address already placed (ours, or by the settings map) decides the home.
            placed = sorted(self._home[k] for k in keys if k in self._home)
            home = placed[0] if placed else min((urls[k] for k in keys), key=_home_rank)
            for key in keys:
                self._add(urls[key], home)

    def home_of(self, url: str) -> str:
        """Home page URL of whoever owns ``url`` ("" for a URL that is not http(s))."""
        found = self._owners.get(url)
        if found is None:
            found = self._owners[url] = self._find_home(url)
        return found

    def _find_home(self, url: str) -> str:
        key = url_key(url)
        if not key:
            return ""
        for prefix in _prefixes(key):
            home = self._home.get(prefix)
            if home is not None:
                return home
        return _origin(url)

    def is_me(self, url: str) -> bool:
        return bool(self.me) and self.home_of(url) == self.me

    def is_home_page(self, url: str) -> bool:
        """True for a link to a person rather than to one of their documents."""
        found = self._homes.get(url)
        if found is None:
            key = url_key(url)
            found = bool(key) and (key in self._home or url_key(self.home_of(url)) == key)
            self._homes[url] = found
        return found

    def aliases_of(self, home: str) -> list[str]:
        """The other addresses known for one person, sorted by key."""
        home_key = url_key(home)
        return [
            self._urls[k] for k in sorted(self._home) if self._home[k] == home and k != home_key
        ]
