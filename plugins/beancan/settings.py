"""Beancan's settings: every ``BEANCAN_`` key, its default, and its validation.

The defaults live here and only here, each field with its converter and its
checks beside it (``beancan._convert``), in one frozen group per feature
(``settings.comments.thread_max_depth``, in ``settings_groups.py``); the
site's own settings (URL, data folder, author, moderation policy) are on
``BeancanSettings`` itself. ``BeancanSettings.from_pelican`` builds
one frozen value from Pelican's settings dict (at the ``initialized`` signal
for plugins, or from a settings file for tasks and the receiver), and names
each bad key in the error.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import MISSING, Field, dataclass, fields, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from . import __version__
from ._convert import (
    Invalid,
    group,
    http_url,
    one_of,
    setting,
    to_dict_of_strings,
    to_path,
    to_string,
    to_strings,
)
from .errors import ConfigError
from .settings_groups import (
    MODERATION_POLICIES,
    AvatarSettings,
    BuildSettings,
    CommentSettings,
    ConversationSettings,
    HttpSettings,
    PeerSettings,
    ReceiverSettings,
    SocialSettings,
    WebmentionSettings,
)
from .urls import SiteURLs, canonical_url

__all__ = [
    "AvatarSettings",
    "BeancanSettings",
    "BuildSettings",
    "CommentSettings",
    "ConversationSettings",
    "HttpSettings",
    "PeerSettings",
    "ReceiverSettings",
    "SocialSettings",
    "WebmentionSettings",
    "get_settings",
    "load_settings_file",
    "resolve_data_dir",
    "setting_keys",
    "settings_folder",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BeancanSettings:
    """All Beancan settings: the site's own at the top, each feature's in its group.

    Field ``x_y`` (in its group or here) is read from ``BEANCAN_X_Y``.
    """

    siteurl: str = setting("", to_string)
    sitename: str = setting("", to_string)
    #: relative to the settings file's folder, as Pelican resolves PATH (``_data_dir``).
    data_dir: Path = setting(Path("data"), to_path)
    site_aliases: tuple[str, ...] = setting((), to_strings)
    author: dict[str, str] = setting({}, to_dict_of_strings)
    rel_me: tuple[str, ...] = setting((), to_strings)
    webmention_endpoint: str = setting("", to_string, http_url(required=False))
    pingback_endpoint: str = setting("", to_string, http_url(required=False))
    #: how new responses are moderated (``beancan.moderation``): every channel uses it.
    moderation: str = setting("known", to_string, one_of(MODERATION_POLICIES))

    comments: CommentSettings = group(CommentSettings)
    build: BuildSettings = group(BuildSettings)
    http: HttpSettings = group(HttpSettings)
    receiver: ReceiverSettings = group(ReceiverSettings)
    conversations: ConversationSettings = group(ConversationSettings)
    webmention: WebmentionSettings = group(WebmentionSettings)
    avatars: AvatarSettings = group(AvatarSettings)
    blogroll: PeerSettings = group(PeerSettings)
    social: SocialSettings = group(SocialSettings)

    @classmethod
    def from_pelican(cls, settings: dict[str, Any], *, strict: bool = True) -> BeancanSettings:
        """Read and validate every ``BEANCAN_`` key; unknown ones are logged by name.

        ``strict`` raises ConfigError for a bad value (tasks stop before they
        touch data). Otherwise a bad value costs only its own key: the error
        is logged with the key, the value and the default used instead, and
        every other key keeps its value, so a Pelican build goes on as the
        author meant it (data dir, moderation, peers ...).
        """
        values = _read_group(cls, settings, strict)
        if "data_dir" in values:
            values["data_dir"] = resolve_data_dir(values["data_dir"], settings)
        known = set(setting_keys())
        for key in sorted(settings):
            if key.startswith("BEANCAN_") and key not in known:
                logger.warning("Unknown setting %s: check its spelling in the README", key)
        return cls(**values)

    @classmethod
    def of(cls, **values: Any) -> BeancanSettings:
        """Settings with these values, unchecked (tests, benches); see ``replaced``."""
        return cls().replaced(**values)

    def replaced(self, **values: Any) -> BeancanSettings:
        """A copy with these values, named as documented (``http_timeout=2`` for
        ``BEANCAN_HTTP_TIMEOUT``, ``siteurl`` for ``SITEURL``), each put in its group."""
        groups: dict[str, dict[str, Any]] = {}
        own = {}
        for name, value in values.items():
            group_name, field_name = _place(name)
            if group_name:
                groups.setdefault(group_name, {})[field_name] = value
            else:
                own[field_name] = value
        changed = {g: replace(getattr(self, g), **v) for g, v in groups.items()}
        return replace(self, **own, **changed)

    def lookup(self, name: str) -> Any:
        """One value by its documented name (``"http_timeout"``), wherever its group is."""
        group_name, field_name = _place(name)
        return getattr(getattr(self, group_name) if group_name else self, field_name)

    @property
    def site(self) -> SiteURLs:
        return SiteURLs(self.siteurl, self.site_aliases)

    @property
    def user_agent(self) -> str:
        return f"Beancan/{__version__} (+{self.siteurl or 'https://example.invalid'})"

    @property
    def author_urls(self) -> tuple[str, ...]:
        """Every URL that is our author: home page, rel=me profiles, site aliases."""
        urls = [self.author.get("url", ""), self.siteurl + "/", *self.rel_me]
        urls += [alias.rstrip("/") + "/" for alias in self.site_aliases]
        return tuple(u for u in dict.fromkeys(canonical_url(u) for u in urls) if u)


#: Pelican's own keys that Beancan reads.
_PELICAN_KEYS = {"siteurl": "SITEURL", "sitename": "SITENAME"}


def _key(spec: Field[Any]) -> str:
    """The documented name of a field: its ``key``, else ``BEANCAN_`` + its name."""
    return spec.metadata.get("key") or _PELICAN_KEYS.get(spec.name, "BEANCAN_" + spec.name.upper())


def _read_group(cls: type, settings: dict[str, Any], strict: bool) -> dict[str, Any]:
    """The values of ``cls``'s fields (and groups) that the settings set."""
    values: dict[str, Any] = {}
    for spec in fields(cls):
        if "group" in spec.metadata:
            values[spec.name] = spec.metadata["group"](
                **_read_group(spec.metadata["group"], settings, strict)
            )
            continue
        key = _key(spec)
        if key in settings and settings[key] is not None:
            try:
                values[spec.name] = _read(spec, settings[key])
            except Invalid as exc:
                error = ConfigError(f"Setting {key} has value {settings[key]!r}: {exc}")
                if strict:
                    raise error from None
                logger.error("%s; using the default %r", error, _default(spec))
    return values


def _value_fields(cls: type) -> list[Field[Any]]:
    """Every value field of ``cls`` and of its groups, in declaration order."""
    found = []
    for spec in fields(cls):
        if "group" in spec.metadata:
            found += _value_fields(spec.metadata["group"])
        else:
            found.append(spec)
    return found


def setting_keys() -> list[str]:
    """Every settings key Beancan reads (``SITEURL``, ``BEANCAN_...``), in declaration order."""
    return [_key(spec) for spec in _value_fields(BeancanSettings)]


def _place(name: str) -> tuple[str, str]:
    """``(group, field)`` of a documented name (``"http_timeout"`` -> ``("http", "timeout")``;
    group "" for the site's own settings); raises TypeError for an unknown name."""
    try:
        return _PLACES[name]
    except KeyError:
        raise TypeError(f"no Beancan setting is named {name!r}") from None


#: each documented name, lower case without ``BEANCAN_``, and where its value lives.
_PLACES = {
    _key(value).removeprefix("BEANCAN_").lower(): (spec.name, value.name)
    for spec in fields(BeancanSettings)
    if "group" in spec.metadata
    for value in fields(spec.metadata["group"])
} | {
    _key(spec).removeprefix("BEANCAN_").lower(): ("", spec.name)
    for spec in fields(BeancanSettings)
    if "group" not in spec.metadata
}


def _read(spec: Field[Any], written: Any) -> Any:
    """One field's value from what the settings file wrote; raises Invalid saying why not."""
    value = spec.metadata["convert"](written)
    for check in spec.metadata["checks"]:
        check(value)
    return value


def _default(spec: Field[Any]) -> Any:
    if spec.default_factory is not MISSING:
        return spec.default_factory()
    return spec.default


def resolve_data_dir(path: Path, settings: dict[str, Any]) -> Path:
    """``BEANCAN_DATA_DIR`` made absolute against the settings file's folder."""
    if path.is_absolute():
        return path
    folder = settings_folder(settings)
    return (folder / path) if folder is not None else path


def settings_folder(settings: dict[str, Any]) -> Path | None:
    """The folder of the settings file these settings were read from, if it is known.

    ``load_settings_file`` records the file. ``pelican -s FILE`` keeps no
    record of it, but ``pelican.settings.load_source`` leaves the file's
    module in ``sys.modules`` (under the file's name): the last such module
    whose Beancan settings, ``SITENAME`` and ``AUTHOR`` are these is the one.
    """
    recorded = settings.get(_FILE_KEY)
    if recorded:
        return Path(recorded).resolve().parent
    found = None
    for module in list(sys.modules.values()):
        names = getattr(module, "__dict__", {})
        source = names.get("__file__")
        if not isinstance(source, str) or not source.endswith(".py"):
            continue
        keys = [k for k in names if k.startswith("BEANCAN_") or k in ("SITENAME", "AUTHOR")]
        if keys and all(names[k] == settings.get(k) for k in keys):
            found = Path(source).resolve().parent
    return found


def get_settings(settings: dict[str, Any]) -> BeancanSettings:
    """The BeancanSettings of one Pelican run, read once and kept in its settings dict.

    A copy of the dict carries what was kept. Pelican's context is one: it
    reuses it, the keys Beancan reads being the same. A copy that changes
    one is read anew: i18n_subsites builds each language's site on a copy
    of the main site's settings with its own ``SITEURL``, and that site's
    comment sections, pages and link manifest must carry its own URLs.
    """
    kept = settings.get(_CACHE_KEY)
    if isinstance(kept, _Kept) and kept.owner == id(settings):
        return kept.value
    inputs = tuple(settings.get(key) for key in _INPUT_KEYS)
    if isinstance(kept, _Kept) and kept.inputs == inputs:
        value = kept.value
    else:
        value = BeancanSettings.from_pelican(settings, strict=False)
    settings[_CACHE_KEY] = _Kept(id(settings), inputs, value)
    return value


@dataclass(frozen=True)
class _Kept:
    """BeancanSettings as ``get_settings`` keeps them in a Pelican settings dict."""

    #: ``id`` of the dict they were read from (or found the same in).
    owner: int
    #: the values of ``_INPUT_KEYS`` they were read from.
    inputs: tuple[Any, ...]
    value: BeancanSettings


_CACHE_KEY = "_beancan_settings"

T = TypeVar("T")


class BuildOnly(Generic[T]):
    """A value kept in a Pelican settings dict for the build that put it there, and no other.

    Pelican's content cache (``CACHE_CONTENT``) pickles the settings dict
    with every tag, category and author of a post. A process, a Jinja
    environment or a job cannot be pickled; kept in this, they pickle as
    nothing, and a build that reads the cache finds nothing of another's.
    """

    __slots__ = ("value",)

    def __init__(self, value: T | None = None) -> None:
        self.value = value

    def __reduce__(self):
        return (BuildOnly, ())


def build_only(settings: dict[str, Any], key: str) -> Any:
    """The value ``settings[key]`` keeps for this build (``BuildOnly``), or None."""
    kept = settings.get(key)
    return kept.value if isinstance(kept, BuildOnly) else None


def take_build_only(settings: dict[str, Any], key: str) -> Any:
    """``build_only``, the key removed: the build is done with it."""
    value = build_only(settings, key)
    settings.pop(key, None)
    return value


def load_settings_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Pelican's settings dict from a settings file, as ``pelican -s`` reads it."""
    from pelican.settings import read_settings

    settings_path = Path(path)
    if not settings_path.is_file():
        raise ConfigError(f"Settings file {settings_path} does not exist")
    settings = read_settings(str(settings_path))
    settings[_FILE_KEY] = str(settings_path.resolve())
    return settings


#: where ``load_settings_file`` records the file it read (Pelican keeps no record).
_FILE_KEY = "_beancan_settings_file"
#: every key ``BeancanSettings.from_pelican`` reads (``settings_folder`` included).
_INPUT_KEYS = (*setting_keys(), _FILE_KEY, "AUTHOR")
