"""Benchmark contractgen on the offline training agreement (8 pages), in one run.

Measured, in this order:

1. load + validate   ``load(EXAMPLE)``, warm (after one call that pays the imports)
2. build IR          ``build(model)``, warm
3. DOCX alone        ``render(model, ["docx"])``, warm; includes writing the DOCX
                     and reading it back to check its sections     target <= 60 ms
4. PDF, three ways, interleaved round by round so drift hits all three alike,
   garbage collected (untimed) before each render as ``generate()`` does after each:
   - PDF warm        ``render(model, ["pdf"])``, the same document each time,
                     after one warm-up render (which cuts the document's font
                     subsets and builds their font configuration)   target <= 0.5 s
   - PDF warm, no lib  the same, with WeasyPrint's system libharfbuzz-subset
                     forced absent (``weasyprint.pdf.fonts.harfbuzz_subset =
                     None``). contractgen subsets the embedded fonts itself
                     (uharfbuzz), so this must not matter: no-lib / lib
                                                                    target <= 1.3x
                     and the two PDFs must be byte-identical.
   - PDF, a different document each time  an agreement differing in its
                     contract number and the client's contact (new characters),
                     so each render cuts new subsets and builds a new font
                     configuration; reported as a ratio to PDF warm.
5. font subsetting   calls during one PDF render, with and without the library:
                     WeasyPrint's ``Font._harfbuzz_subset`` and
                     ``Font._fonttools_subset`` (must be 0) and contractgen's
                     ``subset_glyphs`` (must be > 0).
6. PDF size          the agreement PDF's bytes, pages and bytes per page
                     (target <= 22 KB/page, 1 KB = 1024 bytes), and the part that
                     is embedded font programs (needs pypdf, else n/a).
7. cold CLI          a new ``python -m contractgen generate EXAMPLE -o TMP --force``
                     process writing both formats (imports, fonts, everything)
                                                                    target <= 2.5 s
8. regulation, house templates  the chaptered regulation (DOCX, both formats)
                     and the house-style user templates, as ratios.
9. memory            VmRSS before and after 30 ``render(model)`` (both formats),
                     with ``gc.collect()`` after each document as ``generate()``
                     does; growth per document shows whether batch runs leak.
                     The same over 30 different agreements (PDF only): a batch
                     of different contracts, each with its own font subsets and
                     font configuration. Then the peak RSS of the whole run
                     (``ru_maxrss``).

Every timing is the median of several runs: the machines are shared and noisy,
and the median ignores the odd run slowed by a neighbour or a GC pass, where the
mean would not. Compare ratios within one run (PDF/DOCX, figure/target), not
absolute numbers across runs or machines.

The exit status is 1 if a font-subsetting premise fails (WeasyPrint subset a
font, contractgen did not, or the PDF bytes depend on the library): the
figures are printed first, then what failed. If a PDF render fails outright
(WeasyPrint's fontTools fallback logs a warning, which is an error in
contractgen), nothing is timed: the error is printed and the bench stops.

    python bench/bench.py            # full run
    python bench/bench.py --quick    # fewer repetitions, a smoke test
    python bench/bench.py --json bench.json
"""

from __future__ import annotations

import argparse
import copy
import ctypes
import gc
import io
import itertools
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # benchmark this checkout, installed or not

from contractgen import ContractgenError, build, load, read_template, render  # noqa: E402

EXAMPLE = REPO / "examples" / "training_agreement_offline.yaml"
POLICY_EXAMPLE = REPO / "examples" / "training_regulation.yaml"  # chaptered, with a contents list
HOUSE = REPO / "examples" / "templates"  # the house-style user templates

# Targets in seconds, bytes, or a ratio.
DOCX_TARGET = 0.060
PDF_TARGET = 0.5
CLI_TARGET = 2.5
PAGE_BYTES_TARGET = 22 * 1024
NO_LIB_RATIO_TARGET = 1.3

FULL = {"load": 20, "build": 20, "docx": 25, "pdf": 7, "cli": 3, "memory": 30, "policy": 5}
QUICK = {"load": 3, "build": 3, "docx": 3, "pdf": 2, "cli": 1, "memory": 5, "policy": 1}

#: Characters for the client's contact in the "different document" variants: rare surnames from
#: GB 2312 (all in the shipped fonts) that the agreement does not use. Each variant takes its own
#: pair, so each has its own set of characters and so its own font subsets.
RARE_CHARACTERS = "鞠璩郗濮扈冀郏晏瞿阎庾暨阚訾毋乜蒯逯殳厍晁夔阙巩聂敖蔺邝雍桓芮邬佘缪闵"
RARE_PAIRS = ["".join(pair) for pair in itertools.combinations(RARE_CHARACTERS, 2)]


@dataclass
class Timing:
    """Seconds: median, fastest and slowest of ``runs`` runs."""

    median: float
    low: float
    high: float
    runs: int


def _timing(seconds: list[float]) -> Timing:
    return Timing(statistics.median(seconds), min(seconds), max(seconds), len(seconds))


def time_calls(fn: Callable[[], object], runs: int, warmups: int = 1) -> Timing:
    return time_interleaved({"only": fn}, runs, warmups)["only"]


def time_interleaved(
    calls: dict[str, Callable[[], object]], runs: int, warmups: int = 1, collect: bool = False
) -> dict[str, Timing]:
    """Each call once per round, in turn, so a neighbour's load slows all of them alike.

    With ``collect``, garbage is collected (untimed) before each call, so no call pays for the
    previous one's cyclic garbage: a PDF's layout tree, or fontTools' font objects.
    """
    for _ in range(warmups):
        for fn in calls.values():
            fn()
    seconds: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(runs):
        for name, fn in calls.items():
            if collect:
                gc.collect()
            start = time.perf_counter()
            fn()
            seconds[name].append(time.perf_counter() - start)
    return {name: _timing(values) for name, values in seconds.items()}


def time_cold_cli(runs: int) -> Timing:
    """A fresh interpreter per run: what a user typing the command waits for."""
    with tempfile.TemporaryDirectory() as out_dir:
        command = [sys.executable, "-m", "contractgen", "generate", str(EXAMPLE), "-o", out_dir, "--force"]
        run = lambda: subprocess.run(command, cwd=REPO, check=True, capture_output=True)  # noqa: E731
        return time_calls(run, runs, warmups=0)


# --------------------------------------------------------------------------- font subsetting


@contextmanager
def without_system_harfbuzz_subset() -> Iterator[None]:
    """WeasyPrint behaves as on a machine without libharfbuzz-subset (its fontTools fallback)."""
    from weasyprint.pdf import fonts as weasyprint_fonts

    saved = weasyprint_fonts.harfbuzz_subset
    weasyprint_fonts.harfbuzz_subset = None
    try:
        yield
    finally:
        weasyprint_fonts.harfbuzz_subset = saved


@contextmanager
def counting_subset_calls() -> Iterator[Counter]:
    """Count WeasyPrint's two subsetters and contractgen's ``subset_glyphs`` while the block runs."""
    from weasyprint.pdf.fonts import Font

    from contractgen.writers import pdf_fonts, subset

    calls: Counter = Counter()
    # pdf_fonts calls subset_glyphs through its own imported name; patch both bindings.
    targets = [
        (Font, "_harfbuzz_subset"),
        (Font, "_fonttools_subset"),
        (subset, "subset_glyphs"),
        (pdf_fonts, "subset_glyphs"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name in targets]

    def counting(name, original):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return original(*args, **kwargs)

        return wrapper

    try:
        for owner, name, original in originals:
            setattr(owner, name, counting(name, original))
        yield calls
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def subset_calls(model, without_library: bool) -> dict:
    """Which subsetters one PDF render calls; a render that fails is reported, not raised."""
    error = None
    with counting_subset_calls() as calls:
        try:
            if without_library:
                with without_system_harfbuzz_subset():
                    render(model, ["pdf"])
            else:
                render(model, ["pdf"])
        except ContractgenError as exc:  # WeasyPrint's fontTools fallback logs a warning: an error for us
            error = str(exc)
    return {
        "weasyprint_harfbuzz_subset": calls["_harfbuzz_subset"],
        "weasyprint_fonttools_subset": calls["_fonttools_subset"],
        "contractgen_subset_glyphs": calls["subset_glyphs"],
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


def pdf_timings(model, runs: int) -> tuple[dict[str, Timing], dict]:
    """PDF warm (library, no library) and a different document each time, interleaved; and what they made."""
    from contractgen.writers import pdf as pdf_writer

    made: dict[str, bytes] = {}
    variants = iter(agreement_variants(model, runs + 1, first=0))  # +1: the warm-up round

    def same() -> None:
        made["lib"] = render(model, ["pdf"])["pdf"]

    def same_without_library() -> None:
        with without_system_harfbuzz_subset():
            made["no_lib"] = render(model, ["pdf"])["pdf"]

    def different() -> None:
        render(next(variants), ["pdf"])

    misses = pdf_writer._configuration.cache_info().misses
    calls = {"lib": same, "no_lib": same_without_library, "different": different}
    timings = time_interleaved(calls, runs, collect=True)  # as generate() collects after each document
    new_configurations = pdf_writer._configuration.cache_info().misses - misses
    return timings, {
        "pdf": made["lib"],
        "identical": made["lib"] == made["no_lib"],
        "different_documents": runs + 1,
        "new_font_configurations": new_configurations,
    }


def agreement_variants(model, count: int, first: int) -> list:
    """Valid agreements ``first`` .. ``first + count - 1``, each with its own contract number and contact."""
    from contractgen.includes import resolve_includes
    from contractgen.loading import load_yaml_file

    if first + count > len(RARE_PAIRS):
        raise ValueError(f"only {len(RARE_PAIRS)} different documents available")
    base = resolve_includes(load_yaml_file(EXAMPLE), EXAMPLE.parent).data
    variants = []
    for number in range(first, first + count):
        data = copy.deepcopy(base)
        data["contract_no"] = f"HZYX-PX-2026-{1000 + number}"
        data["parties"]["client"]["contact"] = "王" + RARE_PAIRS[number]
        variants.append(type(model).model_validate(data))
    return variants


# --------------------------------------------------------------------------- size and memory


def pdf_size(pdf: bytes) -> dict:
    """Bytes, pages, bytes per page, and the bytes of the embedded font programs (pypdf, if installed)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        pages, font_bytes = len(re.findall(rb"/Type\s*/Page\b", pdf)), None
    else:
        reader = PdfReader(io.BytesIO(pdf))
        pages, font_bytes = len(reader.pages), _font_program_bytes(reader)
    return {
        "bytes": len(pdf),
        "pages": pages,
        "bytes_per_page": len(pdf) / pages if pages else None,
        "font_bytes": font_bytes,
        "font_share": font_bytes / len(pdf) if font_bytes is not None else None,
    }


def _font_program_bytes(reader) -> int:
    """The stored (compressed) length of every FontFile/FontFile2/FontFile3 stream the pages use, once each."""
    streams = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for font in (fonts.get_object() if fonts is not None else {}).values():
            font = font.get_object()
            for described in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                descriptor = described.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        reference = descriptor.raw_get(key)
                        streams[getattr(reference, "idnum", id(reference))] = len(reference.get_object()._data)
    return sum(streams.values())


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


def peak_rss_mb() -> float:
    """The largest resident set this process has had so far (``ru_maxrss``)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


def memory_growth(render_document: Callable[[int], object], documents: int) -> dict:
    """RSS before and after ``documents`` calls ``render_document(1..documents)``, collecting garbage between them."""
    render_document(0)
    gc.collect()
    before = rss_mb()
    after_each = []
    for number in range(1, documents + 1):
        render_document(number)
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


# --------------------------------------------------------------------------- the run


def measure(reps: dict, model, calls: dict) -> dict:
    timings = {
        "load_validate": time_calls(lambda: load(EXAMPLE), reps["load"]),
        "build_ir": time_calls(lambda: build(model), reps["build"]),
        "docx": time_calls(lambda: render(model, ["docx"]), reps["docx"]),
    }
    pdf_t, pdf_made = pdf_timings(model, reps["pdf"])
    timings.update(pdf_warm=pdf_t["lib"], pdf_warm_no_lib=pdf_t["no_lib"], pdf_different_document=pdf_t["different"])
    timings["cli_cold"] = time_cold_cli(reps["cli"])
    policy = load(POLICY_EXAMPLE)
    # A policy's DOCX contents list takes its page numbers from the PDF layout, so DOCX alone lays out
    # the pages too; both formats share one layout.
    timings["policy_docx"] = time_calls(lambda: render(policy, ["docx"]), reps["policy"])
    timings["policy_both"] = time_calls(lambda: render(policy), reps["policy"])
    # A user's template: lint, a forked child with limits, then the same checks on the output.
    house_docx, house_html = read_template(HOUSE / "house.docx"), read_template(HOUSE / "house.html")
    timings["house_docx"] = time_calls(lambda: render(model, ["docx"], templates=[house_docx]), reps["docx"])
    timings["house_pdf"] = time_calls(lambda: render(model, ["pdf"], templates=[house_html]), reps["pdf"])
    memory = memory_growth(lambda number: render(model), reps["memory"])
    # A batch of different contracts: each document builds its own font subsets and configuration.
    variants = agreement_variants(model, reps["memory"] + 1, first=reps["pdf"] + 1)
    memory_different = memory_growth(lambda number: render(variants[number], ["pdf"]), reps["memory"])
    memory["peak_rss_mb"] = peak_rss_mb()
    size = pdf_size(pdf_made["pdf"])
    return {
        **environment(),
        "timings_s": {name: asdict(timing) for name, timing in timings.items()},
        "targets": {
            "docx_s": DOCX_TARGET,
            "pdf_warm_s": PDF_TARGET,
            "cli_cold_s": CLI_TARGET,
            "pdf_bytes_per_page": PAGE_BYTES_TARGET,
            "no_lib_over_lib": NO_LIB_RATIO_TARGET,
        },
        "ratios": ratios({name: timing.median for name, timing in timings.items()}, size),
        "pdf_size": size,
        "font_subsetting": {
            "library": _mapped_library("libharfbuzz-subset"),
            "harfbuzz_version": _harfbuzz_version(),
            "calls": calls,
            "bytes_identical_without_library": pdf_made["identical"],
            "different_documents": pdf_made["different_documents"],
            "new_font_configurations": pdf_made["new_font_configurations"],
        },
        "memory": memory,
        "memory_different_documents": memory_different,
    }


def environment() -> dict:
    return {
        "example": str(EXAMPLE.relative_to(REPO)),
        "python": platform.python_version(),
        "weasyprint": _version("weasyprint"),
        "uharfbuzz": _version("uharfbuzz"),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def ratios(median: dict[str, float], size: dict) -> dict[str, float]:
    """Figure / target and figure / figure, from the medians of one run."""
    pdf = median["pdf_warm"]
    return {
        "docx_of_target": median["docx"] / DOCX_TARGET,
        "pdf_warm_of_target": pdf / PDF_TARGET,
        "cli_cold_of_target": median["cli_cold"] / CLI_TARGET,
        "bytes_per_page_of_target": (size["bytes_per_page"] or 0) / PAGE_BYTES_TARGET,
        "no_lib_over_lib": median["pdf_warm_no_lib"] / pdf,
        "different_over_same_document": median["pdf_different_document"] / pdf,
        "pdf_over_docx": pdf / median["docx"],
        "cli_cold_over_pdf_warm": median["cli_cold"] / pdf,
        "policy_both_over_agreement_pdf": median["policy_both"] / pdf,
        "policy_both_over_policy_docx": median["policy_both"] / median["policy_docx"],
        "house_docx_over_docx": median["house_docx"] / median["docx"],
        "house_pdf_over_pdf": median["house_pdf"] / pdf,
    }


def subsetting_problems(results: dict) -> list[str]:
    """The font-subsetting premises this run broke (empty when all hold)."""
    subsetting = results["font_subsetting"]
    problems = []
    for condition, calls in subsetting["calls"].items():
        library = "with the library" if condition == "lib" else "without the library"
        if calls["render_error"]:
            problems.append(f"{library}, the render failed")
        if calls["weasyprint_harfbuzz_subset"] or calls["weasyprint_fonttools_subset"]:
            problems.append(f"{library}, WeasyPrint subset a font itself")
        if not calls["contractgen_subset_glyphs"]:
            problems.append(f"{library}, contractgen's subset_glyphs was not called")
    if not subsetting["bytes_identical_without_library"]:
        problems.append("the PDF bytes differ without libharfbuzz-subset")
    return problems


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


# --------------------------------------------------------------------------- the report


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:.3f} s"


def _kb(size: float | None) -> str:
    return "n/a" if size is None else f"{size / 1024:.1f} KB"


def _mb(value: float | None, signed: bool = False) -> str:
    return "n/a" if value is None else (f"{value:+.2f} MB" if signed else f"{value:.1f} MB")


def _of_target(ratio: float) -> str:
    return f"{ratio:.2f}x of target" + ("  OVER" if ratio > 1 else "")


def timing_lines(results: dict) -> list[str]:
    t, r = results["timings_s"], results["ratios"]
    rows = [
        ("load + validate", t["load_validate"], _ms, None, None),
        ("build IR", t["build_ir"], _ms, None, None),
        ('DOCX: render(["docx"])', t["docx"], _ms, DOCX_TARGET, r["docx_of_target"]),
        ('PDF warm: render(["pdf"])', t["pdf_warm"], _s, PDF_TARGET, r["pdf_warm_of_target"]),
        ("PDF warm, no libhb-subset", t["pdf_warm_no_lib"], _s, None, None),
        ("PDF, new document each", t["pdf_different_document"], _s, None, None),
        ("cold CLI, docx+pdf", t["cli_cold"], _s, CLI_TARGET, r["cli_cold_of_target"]),
        ("regulation DOCX (+layout)", t["policy_docx"], _s, None, None),
        ("regulation DOCX+PDF", t["policy_both"], _s, None, None),
        ("house.docx template", t["house_docx"], _ms, None, None),
        ("house.html template (PDF)", t["house_pdf"], _s, None, None),
    ]
    lines = [f"{'measure':<27}{'median':>11}{'min..max':>22}{'runs':>6}{'target':>10}   vs target"]
    for name, timing, fmt, target, ratio in rows:
        spread = f"{fmt(timing['low'])}..{fmt(timing['high'])}"
        target_text = fmt(target) if target else "-"
        ratio_text = _of_target(ratio) if target else "-"
        lines.append(f"{name:<27}{fmt(timing['median']):>11}{spread:>22}{timing['runs']:>6}{target_text:>10}   {ratio_text}")
    return lines


def subsetting_lines(results: dict) -> list[str]:
    fs, r = results["font_subsetting"], results["ratios"]
    no_lib = r["no_lib_over_lib"]
    lines = [
        f"font subsetting (libharfbuzz-subset: {fs['library'] or 'not loaded'}; harfbuzz {fs['harfbuzz_version'] or '?'};"
        f" uharfbuzz {results['uharfbuzz'] or '?'})",
        f"  PDF warm without / with the library  {no_lib:.2f}x   (target <= {NO_LIB_RATIO_TARGET}x"
        + (", OVER)" if no_lib > NO_LIB_RATIO_TARGET else ")"),
        "  PDF bytes without / with the library "
        + ("identical" if fs["bytes_identical_without_library"] else "DIFFERENT (must be identical)"),
    ]
    for condition, label in (("lib", "with the library   "), ("no_lib", "without the library")):
        calls = fs["calls"][condition]
        lines.append(
            f"  one PDF {label}: WeasyPrint _harfbuzz_subset {calls['weasyprint_harfbuzz_subset']}x,"
            f" _fonttools_subset {calls['weasyprint_fonttools_subset']}x (must be 0);"
            f" contractgen subset_glyphs {calls['contractgen_subset_glyphs']}x (must be > 0)"
        )
        if calls["render_error"]:
            lines.append(f"    the render failed: {calls['render_error'][:200]}")
    lines.append(
        f"  new document / same document  {r['different_over_same_document']:.2f}x"
        f"   ({fs['new_font_configurations']} new font configurations for {fs['different_documents']} new documents)"
    )
    return lines


def size_lines(results: dict) -> list[str]:
    size, r = results["pdf_size"], results["ratios"]
    share = size["font_share"]
    return [
        f"PDF size: {size['bytes']:,} bytes, {size['pages']} pages,"
        f" {_kb(size['bytes_per_page'])}/page ({size['bytes_per_page'] or 0:,.0f} bytes)"
        f"   target <= {_kb(PAGE_BYTES_TARGET)}/page: {_of_target(r['bytes_per_page_of_target'])}",
        f"  embedded font programs {_kb(size['font_bytes'])}"
        + (f" ({share:.0%} of the file)" if share is not None else " (install pypdf to measure)"),
    ]


def report(results: dict, quick: bool) -> str:
    r, mem, diff = results["ratios"], results["memory"], results["memory_different_documents"]
    load_avg = results["load_average"]
    problems = subsetting_problems(results)
    lines = [
        f"contractgen bench: {results['example']} ({'quick' if quick else 'full'} run)",
        f"python {results['python']}, weasyprint {results['weasyprint']}, {results['cpus']} CPUs"
        + (f", load average {load_avg[0]:.2f}" if load_avg else ""),
        "",
        *timing_lines(results),
        "",
        f"PDF / DOCX (warm)            {r['pdf_over_docx']:.1f}x",
        f"cold CLI / warm PDF          {r['cli_cold_over_pdf_warm']:.1f}x",
        f"regulation both / agreement PDF  {r['policy_both_over_agreement_pdf']:.1f}x"
        f"  (both / its DOCX alone {r['policy_both_over_policy_docx']:.2f}x)",
        f"house.docx / built-in DOCX   {r['house_docx_over_docx']:.1f}x   (forked, limited render + output checks; lint is cached per template)",
        f"house.html / built-in PDF    {r['house_pdf_over_pdf']:.2f}x",
        "",
        *subsetting_lines(results),
        "",
        *size_lines(results),
        "",
        f"memory over {mem['documents']} render(model), gc.collect() between:",
        f"  RSS before {_mb(mem['before_mb'])}, after {_mb(mem['after_mb'])}, peak {_mb(mem.get('peak_mb'))}",
        f"  growth per document {_mb(mem['growth_per_doc_mb'], signed=True)}"
        f" (second half only: {_mb(mem.get('second_half_growth_per_doc_mb'), signed=True)})",
        f"memory over {diff['documents']} render(variant, [\"pdf\"]), a different agreement each time:",
        f"  RSS before {_mb(diff['before_mb'])}, after {_mb(diff['after_mb'])}",
        f"  growth per document {_mb(diff['growth_per_doc_mb'], signed=True)}"
        f" (second half only: {_mb(diff.get('second_half_growth_per_doc_mb'), signed=True)})",
        f"peak RSS of the whole run (ru_maxrss) {_mb(mem['peak_rss_mb'])}",
    ]
    if problems:
        lines += ["", "FONT SUBSETTING PREMISES BROKEN: " + "; ".join(problems)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions: a smoke run, not figures to quote")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to FILE as JSON")
    args = parser.parse_args(argv)

    model = load(EXAMPLE)
    calls = {"lib": subset_calls(model, False), "no_lib": subset_calls(model, True)}  # also the PDF warm-up
    failed = {condition: found["render_error"] for condition, found in calls.items() if found["render_error"]}
    if failed:  # nothing to time
        for condition, error in failed.items():
            library = "with" if condition == "lib" else "without"
            print(f"a PDF render {library} libharfbuzz-subset failed: {error[:300]}", file=sys.stderr)
        return 1
    results = measure(QUICK if args.quick else FULL, model, calls)
    print(report(results, args.quick))
    if args.json:
        args.json.write_text(json.dumps({"quick": args.quick, **results}, indent=2) + "\n", encoding="utf-8")
    return 1 if subsetting_problems(results) else 0


if __name__ == "__main__":
    sys.exit(main())
