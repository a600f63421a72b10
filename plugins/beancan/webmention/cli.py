"""``invoke send``: read the build's link manifest (or one live page), send, say what happened."""

from __future__ import annotations

import asyncio
from typing import Any

from ..http import HttpClient
from ..settings import BeancanSettings
from .manifest import manifest_path, read_manifest
from .send import SendReport, send_webmentions
from .sources import OutgoingSource, page_source

__all__ = ["format_report", "run_send", "run_send_report"]


def run_send(pelican_settings: dict[str, Any], *, url: str = "", dry_run: bool = False):
    """``(text, failed)``: the report to print and how many notifications failed."""
    text, report = run_send_report(pelican_settings, url=url, dry_run=dry_run)
    return text, report.failed


def run_send_report(
    pelican_settings: dict[str, Any], *, url: str = "", dry_run: bool = False
) -> tuple[str, SendReport]:
    """``(text, report)``: the report to print and the SendReport (``exit_code``).

    Without ``url`` the sources are the link manifest of the last build
    (``manifest.py``); ManifestError (a StoreError) if there is none.
    """
    settings = BeancanSettings.from_pelican(pelican_settings)
    if url:
        report = asyncio.run(_send_page(settings, url, dry_run))
    else:
        sources = read_manifest(manifest_path(pelican_settings), settings.site)
        report = asyncio.run(send_webmentions(settings, sources, dry_run=dry_run))
    return format_report(report), report


async def _send_page(settings: BeancanSettings, url: str, dry_run: bool) -> SendReport:
    async with HttpClient.from_settings(settings) as http:
        source: OutgoingSource = await page_source(http, url, settings.site)
    return await send_webmentions(
        settings, [source], whole_site=False, origin="page", dry_run=dry_run
    )


def format_report(report: SendReport) -> str:
    """One line per notification, then the totals."""
    if not report.jobs:
        return "send: nothing to send (the sent log is up to date)"
    lines = []
    if report.dry_run:
        lines += [f"would send ({job.reason}): {job.source} -> {job.target}" for job in report.jobs]
        lines.append(f"{len(report.jobs)} notification(s) would be sent (dry run)")
        return "\n".join(lines)
    for job, outcome in sorted(report.results, key=lambda r: (r[0].source, r[0].target)):
        detail = outcome.location or outcome.error or (outcome.http_status or "")
        lines.append(f"{outcome.status:11} {job.reason:8} {job.source} -> {job.target}  {detail}")
    totals = ", ".join(f"{n} {status}" for status, n in sorted(report.counts.items()))
    lines.append(f"{len(report.results)} notification(s): {totals}")
    return "\n".join(lines)
