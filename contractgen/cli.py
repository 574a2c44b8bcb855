"""The command line: the only module that prints or chooses an exit code.

Exit codes: 0 success, 2 invalid input, 1 anything else.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from contractgen.errors import ContractgenError, InputError
from contractgen.kinds import KINDS
from contractgen.pipeline import FORMATS, generate_batch, load, read_template, template_formats
from contractgen.user_templates import lint
from contractgen.resources import templates_dir
from contractgen.schema import kind_schema

EXIT_OK, EXIT_ERROR, EXIT_INVALID = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contractgen",
        description="Turn a YAML file into a finished Chinese contract or policy (DOCX and PDF).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    gen = commands.add_parser("generate", help="write DOCX and/or PDF from YAML files")
    gen.add_argument(
        "files", nargs="+", type=Path, metavar="FILE",
        help="the YAML file(s) (the kind: key says what each is); all are checked before any file is written",
    )
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

    check = commands.add_parser("validate", help="check a YAML file without writing anything")
    check.add_argument("file", type=Path)

    schema = commands.add_parser("schema", help="print the JSON Schema of a kind")
    schema.add_argument("kind", nargs="?", default="training_agreement", choices=sorted(KINDS))

    new = commands.add_parser("new", help="print an annotated starter YAML for a kind")
    new.add_argument("kind", choices=sorted(KINDS))

    lint = commands.add_parser("lint", help="check your own .docx or .html template without rendering it")
    lint.add_argument("template", type=Path, help="house.docx or house.html")
    lint.add_argument("--kind", required=True, choices=sorted(KINDS), help="the kind of document the template makes")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); nothing was written.", file=sys.stderr)
        return EXIT_INVALID
    except ContractgenError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _generate(args: argparse.Namespace) -> int:
    fonts = None
    if args.serif_font or args.sans_font:
        from contractgen.writers.fonts import FontSet

        fonts = FontSet.with_overrides(serif=args.serif_font, sans=args.sans_font)
    templates = [read_template(path) for path in args.templates]
    formats = args.formats or (template_formats(templates) if templates else FORMATS)
    for path in generate_batch(args.files, args.output_dir, formats, args.force, fonts, templates):
        print(path)
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    model = load(args.file)
    print(f"{args.file}: valid {model.kind}")
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
