"""Run every benchmark in bench/ and print one table (``invoke bench [--quick]``).

Each ``bench/bench_*.py`` module defines ``run(quick=False) -> list[dict]``;
a row is ``{workload, beancan, baseline, ratio, target}``, the baseline
measured in the same run as Beancan's figure. Every module runs in a child
process of its own (so one bench's plugins, signals and logging cannot leak
into the next, and one that hangs is stopped); a bench that raises, exits or
times out becomes an error row. This script always exits 0: it reports where
we stand, it is not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
COLUMNS = ("workload", "beancan", "baseline", "ratio", "target")
HEADINGS = ("Workload", "Beancan", "Baseline", "Ratio", "Target")
#: Seconds one benchmark module may take before it is stopped and reported.
DEFAULT_TIMEOUT = 1800
QUICK_TIMEOUT = 600


def discover(folder: Path = BENCH_DIR, only: str = "") -> list[Path]:
    """The benchmark modules in ``folder``, by name; ``only`` keeps names containing it."""
    return [p for p in sorted(folder.glob("bench_*.py")) if only in p.stem]


def error_row(name: str, message: str) -> dict:
    """The row that stands for a benchmark that could not give its figures."""
    first_line = (message.strip().splitlines() or ["failed"])[-1]
    return {"workload": f"{name}: ERROR", "beancan": None, "baseline": None,
            "ratio": None, "target": first_line[:200], "error": message}  # fmt: skip


def check_rows(name: str, rows: object) -> list[dict]:
    """The rows a module returned, or one error row saying what is wrong with them."""
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        return [error_row(name, f"run() returned {type(rows).__name__}, not a list of dicts")]
    bad = [r for r in rows if set(COLUMNS) - set(r)]
    if bad:
        lacking = sorted(set(COLUMNS) - set(bad[0]))
        return [error_row(name, f"a row lacks {', '.join(lacking)}: {bad[0]!r}")]
    return rows


def run_module(path: Path, quick: bool, timeout: float) -> list[dict]:
    """Run one benchmark module in a child process; its rows, or an error row."""
    name = path.stem
    with tempfile.TemporaryDirectory(prefix="beancan-bench-") as tmp:
        out = Path(tmp) / "rows.json"
        command = [sys.executable, str(Path(__file__).resolve()), "--child", str(path), str(out)]
        if quick:
            command.append("--quick")
        try:
            env = {**os.environ, "PYTHONPATH": _pythonpath()}
            done = subprocess.run(
                command, cwd=ROOT, timeout=timeout, capture_output=True, text=True, env=env
            )
        except subprocess.TimeoutExpired:
            return [error_row(name, f"stopped after {timeout:.0f} s")]
        if not out.is_file():
            detail = (done.stderr or done.stdout).strip() or f"exit status {done.returncode}"
            return [error_row(name, detail)]
        return check_rows(name, json.loads(out.read_text(encoding="utf-8")))


def _pythonpath() -> str:
    # Benchmarks import their siblings (bench/) and the project's test helpers.
    extra = [str(BENCH_DIR), str(ROOT)]
    return os.pathsep.join([*extra, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)


def _child(path: Path, out: Path, quick: bool) -> int:
    """In the child: import one module, run it, write its rows (or the error) as JSON."""
    import importlib.util

    try:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
        rows = module.run(quick=quick)
    except Exception:  # noqa: BLE001 - any failure of a bench is reported as its row
        rows = [error_row(path.stem, traceback.format_exc())]
    out.write_text(json.dumps(rows, default=str), encoding="utf-8")
    return 0


def format_number(value: object) -> str:
    """A figure as a person reads it: thousands separated, three significant digits."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.1f}"
    return f"{value:.3g}"


def format_table(rows: list[dict]) -> str:
    """One plain-text table of the rows: workload, Beancan, baseline, ratio, target."""
    cells = [list(HEADINGS)]
    for row in rows:
        ratio = format_number(row.get("ratio"))
        cells.append([
            str(row.get("workload", "")),
            format_number(row.get("beancan")),
            format_number(row.get("baseline")),
            ratio + ("×" if row.get("ratio") is not None else ""),
            str(row.get("target", "")),
        ])  # fmt: skip
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    right = (False, True, True, True, False)  # figures line up on the right

    def line(values: list[str]) -> str:
        columns = zip(values, widths, right, strict=True)
        parts = [v.rjust(w) if r else v.ljust(w) for v, w, r in columns]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(c) for c in cells[1:])])


def machine() -> str:
    """Where the figures come from, for the README."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            names = [line.split(":", 1)[1] for line in info if line.startswith("model name")]
        cpu = " ".join(names[0].split()) if names else cpu
    except OSError:
        pass  # not Linux: platform's answer will do
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), "
            f"Python {platform.python_version()}")  # fmt: skip


def run_all(quick: bool = False, only: str = "", folder: Path = BENCH_DIR,
            timeout: float | None = None) -> list[dict]:  # fmt: skip
    """Every benchmark's rows, in module order, each module timed out separately."""
    limit = timeout or (QUICK_TIMEOUT if quick else DEFAULT_TIMEOUT)
    rows: list[dict] = []
    for path in discover(folder, only):
        started = time.perf_counter()
        print(f"running {path.stem}{' (quick)' if quick else ''} ...", end=" ", flush=True)
        rows += run_module(path, quick, limit)
        print(f"{time.perf_counter() - started:.1f} s", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller workloads")
    parser.add_argument("--only", default="", help="run modules whose name contains this")
    parser.add_argument("--json", type=Path, help="also write the rows and machine here")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child[0], args.child[1], args.quick)
    rows = run_all(quick=args.quick, only=args.only)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\nBeancan benchmarks{' (quick)' if args.quick else ''}, {when}, {machine()}\n")
    print(format_table(rows) if rows else "no benchmarks found in bench/")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {"date": when, "machine": machine(), "quick": args.quick, "rows": rows}
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
