"""Beancan's exception hierarchy: every message names the culprit."""

__all__ = [
    "AddressError",
    "BeancanError",
    "ConfigError",
    "ExportFileError",
    "FetchError",
    "ReceiverError",
    "SourceError",
    "StoreError",
]


class BeancanError(Exception):
    """Base class of every error Beancan raises on purpose."""


class ConfigError(BeancanError):
    """A setting is missing or has a value Beancan cannot use."""


class StoreError(BeancanError):
    """A data file cannot be read or written."""


class FetchError(BeancanError):
    """An outbound request failed: network, status, size or time."""

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


class SourceError(BeancanError):
    """A source collect reads (a peer's feed, a Webmention API) answered what Beancan cannot use.

    The message says what it answered; it costs only that source.
    """


class AddressError(FetchError):
    """A URL resolves to an address Beancan refuses to contact."""


class ExportFileError(BeancanError):
    """An export file cannot be read safely: missing, not XML, truncated, or hostile."""


class ReceiverError(BeancanError):
    """The receiver service refuses a request or loses a claim on a queued mention."""
