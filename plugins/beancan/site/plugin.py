"""The site plugin's signal wiring: validate settings, add templates, write the link manifest."""

from __future__ import annotations

from pelican import signals

from ..settings import get_settings
from ..webmention.manifest import on_generators_finalized as write_link_manifest
from .templates import add_package_templates


def validate_settings(pelican) -> None:
    # Building the settings logs every bad or unknown BEANCAN_ key by name.
    get_settings(pelican.settings)


def register() -> None:
    signals.initialized.connect(validate_settings)
    signals.all_generators_finalized.connect(write_link_manifest)
    signals.generator_init.connect(add_package_templates)
