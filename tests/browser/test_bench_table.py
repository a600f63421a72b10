"""bench/run_all.py: the table ``invoke bench`` prints, and benches that fail become rows.

No benchmark runs here: fake rows for the table, and two tiny fake bench
modules (one that works, one that raises) run through the real child processes.
"""

from __future__ import annotations

import importlib.util
import textwrap

from tests.browser.browser_support import ROOT

spec = importlib.util.spec_from_file_location("bench_run_all", ROOT / "bench" / "run_all.py")
run_all = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_all)

ROWS = [
    {"workload": "store load, 100,000 interactions", "beancan": 0.4213, "baseline": 1.9,
     "ratio": 0.2217, "target": "< 0.5 s"},
    {"workload": "send", "beancan": 12500, "baseline": 812.25, "ratio": 15.39,
     "target": ">= 6x"},
]  # fmt: skip


def test_table_has_one_aligned_line_per_row_with_readable_figures():
    assert run_all.format_table(ROWS).splitlines() == [
        "Workload                          Beancan  Baseline   Ratio  Target",
        "--------------------------------  -------  --------  ------  -------",
        "store load, 100,000 interactions    0.421       1.9  0.222×  < 0.5 s",
        "send                               12,500     812.2   15.4×  >= 6x",
    ]


def test_numbers_are_formatted_for_people():
    assert [run_all.format_number(v) for v in (None, 7, 123456, 0.000123, 3.14159, 2500.4)] == [
        "—", "7", "123,456", "0.000123", "3.14", "2,500",
    ]  # fmt: skip


def test_an_error_row_shows_the_last_line_of_the_error():
    row = run_all.error_row("bench_send", "Traceback ...\n  File x\nOSError: port in use\n")
    line = run_all.format_table([row]).splitlines()[2]
    assert line.split() == ["bench_send:", "ERROR", "—", "—", "—", "OSError:", "port", "in", "use"]


def test_rows_lacking_a_column_are_an_error_row():
    rows = run_all.check_rows("bench_x", [{"workload": "w", "beancan": 1}])
    assert [r["workload"] for r in rows] == ["bench_x: ERROR"]
    assert rows[0]["target"].startswith("a row lacks baseline, ratio, target")


def test_a_bench_that_raises_is_reported_and_the_others_still_run(tmp_path):
    (tmp_path / "bench_good.py").write_text(textwrap.dedent("""
        def run(quick=False):
            return [{"workload": "good", "beancan": 1.0, "baseline": 2.0, "ratio": 0.5,
                     "target": "quick" if quick else "full"}]
    """))  # fmt: skip
    (tmp_path / "bench_bad.py").write_text("def run(quick=False):\n    return 1 / 0\n")
    (tmp_path / "helper.py").write_text("raise SystemExit('not a bench: never imported')\n")
    rows = run_all.run_all(quick=True, folder=tmp_path, timeout=60)
    assert [r["workload"] for r in rows] == ["bench_bad: ERROR", "good"]
    assert rows[0]["target"] == "ZeroDivisionError: division by zero"
    assert rows[1]["target"] == "quick"
