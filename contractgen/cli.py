"""The command line: the only module that prints or chooses an exit code.

Exit codes: 0 success, 2 invalid input (or, with --keep-going, any document
failed), 1 anything else, 130 interrupted.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from pathlib import Path
from typing import Iterable, Sequence

from tqdm import tqdm

from contractgen.batch import WRITTEN, Batch, Executor, Settings, Source, inputs_from_files, plan, report, run
from contractgen.errors import ContractgenError, InputError, Problem
from contractgen.executors import DaskExecutor, InProcess, ProcessPool, default_jobs
from contractgen.kinds import KINDS
from contractgen.output import display_path, write_outputs
from contractgen.pipeline import FORMATS, checked_formats, read_template, template_formats
from contractgen.user_templates import lint
from contractgen.resources import templates_dir
from contractgen.schema import kind_schema

EXIT_OK, EXIT_ERROR, EXIT_INVALID, EXIT_INTERRUPTED = 0, 1, 2, 130

#: Below this many documents per process, a batch renders in this process: starting a worker costs about a second.
POOL_MIN_PER_JOB = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contractgen",
        description="Turn a YAML file into a finished Chinese contract or policy (DOCX and PDF).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    gen = commands.add_parser(
        "generate", help="write DOCX and/or PDF from YAML files",
        description="Write DOCX and/or PDF from YAML files, or one document per row of a spreadsheet. "
        "Every input is checked before anything renders; each document's files are written as soon as it is "
        "rendered. Without --keep-going the first document that fails stops the batch: the documents written "
        "before it stay written.",
    )
    gen.add_argument(
        "files", nargs="+", type=Path, metavar="FILE",
        help="the YAML file(s) (the kind: key says what each is), or with --rows the one base file",
    )
    _add_rows_arguments(gen)
    gen.add_argument("-o", "--output-dir", type=Path, default=Path("."), help="folder for the files (default: .)")
    gen.add_argument(
        "--format", dest="formats", action="append", choices=FORMATS,
        help="docx or pdf; repeat for both (default: both, or what the --template files make)",
    )
    gen.add_argument(
        "--template", dest="templates", action="append", type=Path, default=[], metavar="FILE",
        help="your own template: house.docx (docxtpl tags) makes the DOCX, house.html (Jinja2 + CSS) the PDF; "
        "repeat to give both",
    )
    gen.add_argument("--force", action="store_true", help="overwrite existing output files")
    gen.add_argument("--serif-font", type=Path, help="a font file for body text instead of the bundled one")
    gen.add_argument("--sans-font", type=Path, help="a font file for headings instead of the bundled one")
    gen.add_argument(
        "-j", "--jobs", type=_positive, default=None, metavar="N",
        help=f"render in N processes (default: the cores available, here {default_jobs()}); "
        f"fewer than {POOL_MIN_PER_JOB} documents per process render in this one",
    )
    gen.add_argument(
        "--keep-going", action="store_true",
        help="write every document that can be made, report the others at the end (exit 2 if any failed)",
    )
    gen.add_argument("--report", type=Path, metavar="FILE.json", help="write a JSON summary: per input, its files or its errors")
    gen.add_argument(
        "--scheduler", metavar="ADDRESS",
        help='render on a Dask cluster, e.g. tcp://host:8786 (needs pip install "contractgen[dask]")',
    )

    check = commands.add_parser("validate", help="check YAML files (or spreadsheet rows) without writing anything")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE", help="the YAML file(s), or with --rows the base file")
    _add_rows_arguments(check)

    schema = commands.add_parser("schema", help="print the JSON Schema of a kind")
    schema.add_argument("kind", nargs="?", default="training_agreement", choices=sorted(KINDS))

    new = commands.add_parser("new", help="print an annotated starter YAML for a kind")
    new.add_argument("kind", choices=sorted(KINDS))

    lint = commands.add_parser("lint", help="check your own .docx or .html template without rendering it")
    lint.add_argument("template", type=Path, help="house.docx or house.html")
    lint.add_argument("--kind", required=True, choices=sorted(KINDS), help="the kind of document the template makes")
    return parser


def _add_rows_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rows", type=Path, metavar="SHEET",
        help="shops.xlsx or .csv: one document per row, each column (parties.client.name, fees.total …) "
        "overriding that key of the base file",
    )
    parser.add_argument("--sheet", help="the worksheet to read (default: the first)")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        _print_problems(exc.problems, "nothing was written.")
        return EXIT_INVALID
    except ContractgenError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _print_problems(problems: Sequence[Problem], tail: str) -> None:
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"{len(problems)} problem(s); {tail}", file=sys.stderr)


def _generate(args: argparse.Namespace) -> int:
    settings = _settings(args)
    sources = _sources(args)
    with _executor(args, settings) as executor:  # pool workers warm up while the inputs are read
        batch = plan(sources, args.output_dir, settings.formats, args.force)
        gc.collect()
        gc.freeze()  # what is alive now lives through the batch: the collector after each document skips it
        try:
            if not args.keep_going:
                batch.raise_for_failures()  # nothing is written if any input is wrong or any file is in the way
            _run(batch, executor, args)
        except _Stopped as stopped:
            return stopped.exit_code
        finally:
            gc.unfreeze()
            batch.skip_rest()
            if args.report:
                write_outputs({args.report: _report_json(batch)}, force=True)
    return _summary(batch)


def _settings(args: argparse.Namespace) -> Settings:
    fonts = None
    if args.serif_font or args.sans_font:
        from contractgen.writers.fonts import FontSet

        fonts = FontSet.with_overrides(serif=args.serif_font, sans=args.sans_font)
    templates = tuple(read_template(path) for path in args.templates)
    formats = args.formats or (template_formats(templates) if templates else FORMATS)
    return Settings(checked_formats(formats), fonts, templates)


def _sources(args: argparse.Namespace) -> Iterable[Source]:
    if args.rows is None:
        return inputs_from_files(args.files)
    if len(args.files) != 1:
        raise InputError([Problem("--rows", f"give one base YAML file with --rows, not {len(args.files)}")])
    from contractgen.rows import load_rows  # openpyxl loads only when a spreadsheet is read

    return load_rows(args.files[0], args.rows, sheet=args.sheet)


def _executor(args: argparse.Namespace, settings: Settings) -> InProcess | ProcessPool | DaskExecutor:
    if args.scheduler:
        return DaskExecutor(settings, args.scheduler)
    jobs = args.jobs or default_jobs()
    expected = len(args.files) if args.rows is None else None  # a spreadsheet's rows are counted later
    if jobs == 1 or (expected is not None and expected < POOL_MIN_PER_JOB * jobs):
        return InProcess(settings)  # starting workers would cost more than they save
    return ProcessPool(settings, jobs)


def _run(batch: Batch, executor: Executor, args: argparse.Namespace) -> None:
    """Render and write, one line per file on stdout as it is written, a progress bar on a terminal."""
    written = 0
    with tqdm(total=len(batch.tasks), desc="documents", unit="doc", file=sys.stderr,
              disable=not sys.stderr.isatty(), dynamic_ncols=True) as bar:
        try:
            for outcome in run(batch, executor, force=args.force, keep_going=args.keep_going):
                for path in outcome.files:
                    bar.write(_shown(path), file=sys.stdout)
                written += outcome.status == WRITTEN
                bar.update()
        except InputError as exc:
            bar.close()
            _print_problems(exc.problems, _stopped(written))
            raise _Stopped(EXIT_INVALID) from None
        except (ContractgenError, OSError) as exc:
            bar.close()
            print(f"error: {exc}", file=sys.stderr)
            print(_stopped(written).capitalize(), file=sys.stderr)
            raise _Stopped(EXIT_ERROR) from None


class _Stopped(Exception):
    """The batch stopped at a failed document; its message is printed, the report still to write."""

    def __init__(self, exit_code: int) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code


def _stopped(written: int) -> str:
    if not written:
        return "nothing was written."
    return f"the batch stopped; the {written} document(s) written before it stay written."


def _summary(batch: Batch) -> int:
    """After a --keep-going batch: each failed input's problems, then the count."""
    failures = batch.failures
    for outcome in failures:
        for problem in outcome.problems:
            print(f"error: {problem}", file=sys.stderr)
        if outcome.error:
            print(f"error: {outcome.label}: {outcome.error}", file=sys.stderr)
    if failures:
        written = sum(o.status == WRITTEN for o in batch.outcomes)
        print(f"{len(failures)} of {len(batch.outcomes)} document(s) failed; {written} written.", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _report_json(batch: Batch) -> bytes:
    text = json.dumps(report(batch.outcomes), ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8", "backslashreplace")  # a non-UTF-8 file name stays a valid JSON escape


def _shown(path: Path | str) -> str:
    """A path as the terminal can print it, whatever bytes its name has."""
    return display_path(Path(path))


def _validate(args: argparse.Namespace) -> int:
    batch = plan(_sources(args), Path("."), FORMATS, force=True)  # name conflicts too, as generate would find
    kinds = {task.index: task.loaded.model.kind for task in batch.tasks}
    for index, outcome in enumerate(batch.outcomes):
        if index in kinds:
            print(f"{_shown(outcome.label)}: valid {kinds[index]}")
    problems = [problem for outcome in batch.outcomes for problem in outcome.problems]
    if problems:
        raise InputError(problems)
    return EXIT_OK


def _lint(args: argparse.Namespace) -> int:
    template = read_template(args.template)
    lint(template, KINDS[args.kind])
    print(f"{args.template}: no problems found for {args.kind}")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(kind_schema(args.kind), ensure_ascii=False, indent=2))
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    sys.stdout.write((templates_dir() / "starters" / f"{args.kind}.yaml").read_text(encoding="utf-8"))
    return EXIT_OK


COMMANDS = {"generate": _generate, "validate": _validate, "schema": _schema, "new": _new, "lint": _lint}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
