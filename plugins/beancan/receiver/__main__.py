"""``beancan-receiver``: run the receiver under uvicorn (also ``python -m beancan.receiver``).

On SIGTERM or Ctrl-C uvicorn stops accepting requests and runs the app's
shutdown: the verifier finishes what it can within a few seconds and puts
the rest back in the queue. A SIGKILL loses nothing either: queued rows are
in the database, and claims left behind are resumed on the next start.
"""

from __future__ import annotations

import argparse
import logging
import sys

from ..errors import BeancanError

__all__ = ["main"]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="beancan-receiver", description="Run Beancan's Webmention and pingback receiver."
    )
    parser.add_argument("--settings", default="pelicanconf.py", help="Pelican settings file")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    parser.add_argument(
        "--no-worker", action="store_true", help="serve HTTP only; other processes verify"
    )
    parser.add_argument(
        "--worker-only", action="store_true", help="verify only (PostgreSQL), no HTTP port"
    )
    parser.add_argument("--log-level", default="info")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``beancan-receiver`` command."""
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    from ..settings import BeancanSettings, load_settings_file

    try:
        settings = BeancanSettings.from_pelican(load_settings_file(args.settings))
    except BeancanError as exc:
        sys.exit(f"beancan-receiver: {exc}")
    if args.worker_only:
        from .worker import run_worker

        try:
            run_worker(settings)
        except BeancanError as exc:
            sys.exit(f"beancan-receiver: {exc}")
        return
    import uvicorn

    from .app import create_app

    app = create_app(settings, workers=False if args.no_worker else None)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=False,
        timeout_graceful_shutdown=10,
    )


if __name__ == "__main__":
    main()
