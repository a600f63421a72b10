"""How one setting's written value becomes a typed value, and the checks on that value.

Each settings field declares its converter and its checks
(``setting(default, to_int, at_least(1))``); a converter or check that
cannot accept a value raises ``Invalid`` with the reason, and the settings
builder adds the key and the written value to make the message.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .urls import canonical_url

__all__ = [
    "Check",
    "Convert",
    "Invalid",
    "at_least",
    "group",
    "http_url",
    "mastodon_hosts",
    "one_of",
    "setting",
    "to_bool",
    "to_dict_of_strings",
    "to_dict_of_string_lists",
    "to_dicts_of_strings",
    "to_int",
    "to_path",
    "to_positive_float",
    "to_string",
    "to_strings",
    "urls_in_entries",
]


class Invalid(ConfigError):
    """A value a setting cannot take: the reason alone, without the key."""


Convert = Callable[[Any], Any]
Check = Callable[[Any], None]


def setting(default: Any, convert: Convert, *checks: Check, key: str = "") -> Any:
    """A settings field with its converter and checks (a dict default is copied per use).

    ``key`` is the documented name when it is not ``BEANCAN_`` + the field's name
    (``timeout`` in the HTTP group is ``BEANCAN_HTTP_TIMEOUT``).
    """
    metadata = {"convert": convert, "checks": checks, "key": key}
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata=metadata)
    return field(default=default, metadata=metadata)


def group(cls: type) -> Any:
    """A field holding one feature's settings group (``settings.comments``)."""
    return field(default_factory=cls, metadata={"group": cls})


# --- converters: the written value (Python, from a settings file) to the field's type


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "1", "yes", "false", "0", "no"):
        return value.lower() in ("true", "1", "yes")
    raise Invalid("not a valid bool")


def to_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise Invalid("not a whole number")


def to_positive_float(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise Invalid("not a positive number")


def to_path(value: Any) -> Path:
    if isinstance(value, str | os.PathLike):
        return Path(value)
    raise Invalid("not a path")


def to_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise Invalid("not a string")


def to_strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise Invalid("not a list of strings")


def to_dicts_of_strings(value: Any) -> tuple[dict[str, Any], ...]:
    """A list of dicts whose values are strings or lists of strings (a peer's ``feeds``)."""
    if isinstance(value, list | tuple) and all(
        isinstance(v, dict) and all(_string_or_strings(x) for x in v.values()) for v in value
    ):
        return tuple(
            {str(k): v if isinstance(v, str) else tuple(v) for k, v in item.items()}
            for item in value
        )
    raise Invalid("not a list of dicts of strings")


def to_dict_of_strings(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    raise Invalid("not a dict")


def to_dict_of_string_lists(value: Any) -> dict[str, tuple[str, ...]]:
    if isinstance(value, dict) and all(
        isinstance(v, list | tuple) and all(isinstance(u, str) for u in v) for v in value.values()
    ):
        return {str(k): tuple(v) for k, v in value.items()}
    raise Invalid("not a dict of lists of strings")


def _string_or_strings(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    )


# --- checks on the converted value


def at_least(least: int) -> Check:
    """A number of at least ``least`` (0: not negative)."""
    reason = "must not be negative" if least == 0 else f"must be at least {least}"

    def check(value: int) -> None:
        if value < least:
            raise Invalid(reason)

    return check


def one_of(choices: Collection[str]) -> Check:
    def check(value: str) -> None:
        if value not in choices:
            raise Invalid(f"use one of {', '.join(choices)}")

    return check


def http_url(*, required: bool) -> Check:
    """An http(s) URL; when not ``required``, "" (none) is accepted too."""

    def check(value: str) -> None:
        if (value or required) and not canonical_url(value):
            raise Invalid("not an http(s) URL")

    return check


def mastodon_hosts(value: dict[str, str]) -> None:
    """``{"host": "token"}``: bare host names, each with a token."""
    for host, token in value.items():
        if not host or "/" in host or not token:
            raise Invalid(
                f"the entry {host!r} is not usable; write "
                '{"host.example": "token"} (or "env:VARIABLE") with a bare host name'
            )


def urls_in_entries(value: tuple[dict[str, Any], ...]) -> None:
    """Every entry has an http(s) ``url`` (``BEANCAN_WEBMENTION_APIS``)."""
    for entry in value:
        url = entry.get("url", "")
        if not isinstance(url, str) or not canonical_url(url):
            raise Invalid(f"the entry {entry!r} has no http(s) 'url'")
