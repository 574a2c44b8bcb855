"""Benchmark contractgen on the offline training agreement (8 pages), in one run.

Measured, in this order:

1. load + validate   ``load(EXAMPLE)``, warm (after one call that pays the imports)
2. build IR          ``build(model)``, warm
3. DOCX alone        ``render(model, ["docx"])``, warm; includes writing the DOCX
                     and reading it back to check its sections     target <= 60 ms
4. PDF alone         ``render(model, ["pdf"])``, warm (after one warm-up render,
                     which builds WeasyPrint's font configuration)  target <= 0.5 s
5. cold CLI          a new ``python -m contractgen generate EXAMPLE -o TMP --force``
                     process writing both formats (imports, fonts, everything)
                                                                    target <= 2.5 s
6. memory            VmRSS before and after 30 ``render(model)`` (both formats),
                     with ``gc.collect()`` after each document as ``generate()``
                     does; growth per document shows whether batch runs leak
7. HarfBuzz subset   whether WeasyPrint loaded libharfbuzz-subset and so subsets
                     fonts with HarfBuzz. Without it WeasyPrint falls back to
                     fontTools (~20-25x slower PDFs) and logs a warning, which
                     contractgen's PDF writer turns into a RenderError. This is
                     checked first; if it fails the other figures are meaningless
                     and the script stops with exit status 1.

Every timing is the median of several runs: the machines are shared and noisy,
and the median ignores the odd run slowed by a neighbour or a GC pass, where the
mean would not. Compare ratios within one run (PDF/DOCX, figure/target), not
absolute numbers across runs or machines.

    python bench/bench.py            # full run
    python bench/bench.py --quick    # fewer repetitions, a smoke test
    python bench/bench.py --json bench.json
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # benchmark this checkout, installed or not

from contractgen import ContractgenError, build, load, read_template, render  # noqa: E402

EXAMPLE = REPO / "examples" / "training_agreement_offline.yaml"
POLICY_EXAMPLE = REPO / "examples" / "training_regulation.yaml"  # chaptered, with a contents list
HOUSE = REPO / "examples" / "templates"  # the house-style user templates

# Targets in seconds.
DOCX_TARGET = 0.060
PDF_TARGET = 0.5
CLI_TARGET = 2.5

FULL = {"load": 20, "build": 20, "docx": 25, "pdf": 7, "cli": 3, "memory": 30, "policy": 5}
QUICK = {"load": 3, "build": 3, "docx": 3, "pdf": 2, "cli": 1, "memory": 5, "policy": 1}


@dataclass
class Timing:
    """Seconds: median, fastest and slowest of ``runs`` runs."""

    median: float
    low: float
    high: float
    runs: int


def time_calls(fn: Callable[[], object], runs: int, warmups: int = 1) -> Timing:
    for _ in range(warmups):
        fn()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return Timing(statistics.median(seconds), min(seconds), max(seconds), runs)


def time_cold_cli(runs: int) -> Timing:
    """A fresh interpreter per run: what a user typing the command waits for."""
    with tempfile.TemporaryDirectory() as out_dir:
        command = [sys.executable, "-m", "contractgen", "generate", str(EXAMPLE), "-o", out_dir, "--force"]
        run = lambda: subprocess.run(command, cwd=REPO, check=True, capture_output=True)  # noqa: E731
        return time_calls(run, runs, warmups=0)


def rss_mb() -> float | None:
    """Resident set size of this process (Linux only)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def memory_growth(model, documents: int) -> dict:
    """RSS before and after ``documents`` renders of both formats, collecting garbage between them."""
    render(model)
    gc.collect()
    before = rss_mb()
    after_each = []
    for _ in range(documents):
        render(model)
        gc.collect()  # as generate() does: WeasyPrint's layout trees are cyclic
        after_each.append(rss_mb())
    if before is None:
        return {"documents": documents, "before_mb": None, "after_mb": None, "growth_per_doc_mb": None}
    half = documents // 2
    second_half = (after_each[-1] - after_each[half - 1]) / (documents - half) if half else None
    return {
        "documents": documents,
        "before_mb": before,
        "after_mb": after_each[-1],
        "peak_mb": max(after_each),
        "growth_per_doc_mb": (after_each[-1] - before) / documents,
        "second_half_growth_per_doc_mb": second_half,
    }


def harfbuzz_subset_status(model) -> dict:
    """Does WeasyPrint subset fonts with HarfBuzz? Checked the way it decides, then observed.

    weasyprint/text/ffi.py dlopens libharfbuzz-subset with ``allow_fail=True``
    (``harfbuzz_subset`` is None if missing); weasyprint/pdf/fonts.py
    ``Font.subset`` uses it only if ``harfbuzz.hb_version_atleast(4, 1, 0)``,
    else ``_fonttools_subset``. We also count which of the two a render calls.
    """
    from weasyprint.pdf import fonts as pdf_fonts
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    loaded = bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))
    calls = {"_harfbuzz_subset": 0, "_fonttools_subset": 0}
    error = None
    originals = {name: getattr(pdf_fonts.Font, name) for name in calls}

    def counting(name):
        def wrapper(self, *args, **kwargs):
            calls[name] += 1
            return originals[name](self, *args, **kwargs)

        return wrapper

    try:
        for name in calls:
            setattr(pdf_fonts.Font, name, counting(name))
        render(model, ["pdf"])
    except ContractgenError as exc:  # the fontTools fallback's warning is an error in contractgen
        error = str(exc)
    finally:
        for name, original in originals.items():
            setattr(pdf_fonts.Font, name, original)
    return {
        "in_use": loaded and calls["_fonttools_subset"] == 0 and error is None,
        "library_loaded": loaded,
        "library": _mapped_library("libharfbuzz-subset"),
        "harfbuzz_version": _harfbuzz_version(),
        "harfbuzz_subset_calls": calls["_harfbuzz_subset"],
        "fonttools_subset_calls": calls["_fonttools_subset"],
        "render_error": error,
    }


def _mapped_library(name: str) -> str | None:
    """The file of a shared library this process has mapped (Linux only)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            for line in maps:
                if name in line:
                    return line.split()[-1]
    except OSError:
        pass
    return None


def _harfbuzz_version() -> str | None:
    path = _mapped_library("libharfbuzz.so") or "libharfbuzz.so.0"
    try:
        hb_version_string = ctypes.CDLL(path).hb_version_string
    except (OSError, AttributeError):
        return None
    hb_version_string.restype = ctypes.c_char_p
    return hb_version_string().decode()


def measure(reps: dict, model, harfbuzz: dict) -> dict:
    load_t = time_calls(lambda: load(EXAMPLE), reps["load"])
    build_t = time_calls(lambda: build(model), reps["build"])
    docx_t = time_calls(lambda: render(model, ["docx"]), reps["docx"])
    pdf_t = time_calls(lambda: render(model, ["pdf"]), reps["pdf"])
    cli_t = time_cold_cli(reps["cli"])
    policy = load(POLICY_EXAMPLE)
    # A policy's DOCX contents list takes its page numbers from the PDF layout, so DOCX alone lays out
    # the pages too; both formats share one layout.
    policy_docx_t = time_calls(lambda: render(policy, ["docx"]), reps["policy"])
    policy_both_t = time_calls(lambda: render(policy), reps["policy"])
    # A user's template: lint, a forked child with limits, then the same checks on the output.
    house_docx, house_html = read_template(HOUSE / "house.docx"), read_template(HOUSE / "house.html")
    house_docx_t = time_calls(lambda: render(model, ["docx"], templates=[house_docx]), reps["docx"])
    house_pdf_t = time_calls(lambda: render(model, ["pdf"], templates=[house_html]), reps["pdf"])
    memory = memory_growth(model, reps["memory"])
    return {
        "example": str(EXAMPLE.relative_to(REPO)),
        "python": platform.python_version(),
        "weasyprint": _version("weasyprint"),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "timings_s": {
            "load_validate": asdict(load_t),
            "build_ir": asdict(build_t),
            "docx": asdict(docx_t),
            "pdf_warm": asdict(pdf_t),
            "cli_cold": asdict(cli_t),
            "policy_docx": asdict(policy_docx_t),
            "policy_both": asdict(policy_both_t),
            "house_docx": asdict(house_docx_t),
            "house_pdf": asdict(house_pdf_t),
        },
        "targets_s": {"docx": DOCX_TARGET, "pdf_warm": PDF_TARGET, "cli_cold": CLI_TARGET},
        "ratios": {
            "docx_of_target": docx_t.median / DOCX_TARGET,
            "pdf_warm_of_target": pdf_t.median / PDF_TARGET,
            "cli_cold_of_target": cli_t.median / CLI_TARGET,
            "pdf_over_docx": pdf_t.median / docx_t.median,
            "cli_cold_over_pdf_warm": cli_t.median / pdf_t.median,
            "policy_both_over_agreement_pdf": policy_both_t.median / pdf_t.median,
            "policy_both_over_policy_docx": policy_both_t.median / policy_docx_t.median,
            "house_docx_over_docx": house_docx_t.median / docx_t.median,
            "house_pdf_over_pdf": house_pdf_t.median / pdf_t.median,
        },
        "memory": memory,
        "harfbuzz_subset": harfbuzz,
    }


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:.3f} s"


def _mb(value: float | None, signed: bool = False) -> str:
    return "n/a" if value is None else (f"{value:+.2f} MB" if signed else f"{value:.1f} MB")


def harfbuzz_lines(hb: dict) -> list[str]:
    lines = [
        "HarfBuzz subsetting: " + ("IN USE" if hb["in_use"] else "NOT IN USE (fontTools fallback: PDFs ~25x slower)"),
        f"  libharfbuzz-subset: {hb['library'] or 'not loaded'}; harfbuzz {hb['harfbuzz_version'] or '?'}",
        f"  one PDF render called _harfbuzz_subset {hb['harfbuzz_subset_calls']}x,"
        f" _fonttools_subset {hb['fonttools_subset_calls']}x",
    ]
    if hb["render_error"]:
        lines.append(f"  the render failed: {hb['render_error'][:200]}")
    return lines


def report(results: dict, quick: bool) -> str:
    t, r, mem, hb = results["timings_s"], results["ratios"], results["memory"], results["harfbuzz_subset"]
    rows = [
        ("load + validate", t["load_validate"], _ms, None, None),
        ("build IR", t["build_ir"], _ms, None, None),
        ('DOCX: render(["docx"])', t["docx"], _ms, DOCX_TARGET, r["docx_of_target"]),
        ('PDF warm: render(["pdf"])', t["pdf_warm"], _s, PDF_TARGET, r["pdf_warm_of_target"]),
        ("cold CLI, docx+pdf", t["cli_cold"], _s, CLI_TARGET, r["cli_cold_of_target"]),
        ("regulation DOCX (+layout)", t["policy_docx"], _s, None, None),
        ("regulation DOCX+PDF", t["policy_both"], _s, None, None),
        ("house.docx template", t["house_docx"], _ms, None, None),
        ("house.html template (PDF)", t["house_pdf"], _s, None, None),
    ]
    load_avg = results["load_average"]
    lines = [
        f"contractgen bench: {results['example']} ({'quick' if quick else 'full'} run)",
        f"python {results['python']}, weasyprint {results['weasyprint']}, {results['cpus']} CPUs"
        + (f", load average {load_avg[0]:.2f}" if load_avg else ""),
        "",
        f"{'measure':<27}{'median':>11}{'min..max':>22}{'runs':>6}{'target':>10}   vs target",
    ]
    for name, timing, fmt, target, ratio in rows:
        spread = f"{fmt(timing['low'])}..{fmt(timing['high'])}"
        target_text = fmt(target) if target else "-"
        ratio_text = f"{ratio:.2f}x of target" + ("  OVER" if ratio > 1 else "") if target else "-"
        lines.append(f"{name:<27}{fmt(timing['median']):>11}{spread:>22}{timing['runs']:>6}{target_text:>10}   {ratio_text}")
    lines += [
        "",
        f"PDF / DOCX (warm)            {r['pdf_over_docx']:.1f}x",
        f"cold CLI / warm PDF          {r['cli_cold_over_pdf_warm']:.1f}x",
        f"regulation both / agreement PDF  {r['policy_both_over_agreement_pdf']:.1f}x"
        f"  (both / its DOCX alone {r['policy_both_over_policy_docx']:.2f}x)",
        f"house.docx / built-in DOCX   {r['house_docx_over_docx']:.1f}x   (forked, limited render + output checks; lint is cached per template)",
        f"house.html / built-in PDF    {r['house_pdf_over_pdf']:.2f}x",
        "",
        f"memory over {mem['documents']} render(model), gc.collect() between:",
        f"  RSS before {_mb(mem['before_mb'])}, after {_mb(mem['after_mb'])}, peak {_mb(mem.get('peak_mb'))}",
        f"  growth per document {_mb(mem['growth_per_doc_mb'], signed=True)}"
        f" (second half only: {_mb(mem.get('second_half_growth_per_doc_mb'), signed=True)})",
        "",
        *harfbuzz_lines(hb),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions: a smoke run, not figures to quote")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to FILE as JSON")
    args = parser.parse_args(argv)

    model = load(EXAMPLE)
    harfbuzz = harfbuzz_subset_status(model)  # first: without it the PDF figures mean nothing
    if not harfbuzz["in_use"]:
        print("\n".join(harfbuzz_lines(harfbuzz)), file=sys.stderr)
        print("install libharfbuzz-subset >= 4.1.0 (tools/install-system-deps.sh), then rerun", file=sys.stderr)
        return 1
    results = measure(QUICK if args.quick else FULL, model, harfbuzz)
    print(report(results, args.quick))
    if args.json:
        args.json.write_text(json.dumps({"quick": args.quick, **results}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
