"""Many documents at once: plan every output, render in workers, write each document as it finishes.

    inputs ──plan──▶ Batch (an outcome per input; tasks) ──executor──▶ Result per document ──write──▶ files

- **Plan** (:func:`plan`): every input is loaded and validated, name
  conflicts and existing files are found, before anything renders.  Each
  input gets an :class:`Outcome`; the ones that can be made become
  :class:`Task` s.
- **Render**: an executor (:mod:`contractgen.executors`: this process, a
  process pool, Dask) calls :func:`render_task` per task, anywhere, and
  hands back :class:`Result` s as they finish: bytes, or the problems.
- **Write** (:func:`run`): each document's files are written together, in
  this process, as soon as its result arrives (``output.write_outputs``), so
  memory holds only the documents in flight.

Without ``keep_going`` the first failed document stops the batch (documents
already written stay written); with it, every document that can be made is
made and the rest are reported.  The library raises; the CLI prints.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Protocol, Sequence

from pydantic import BaseModel

from contractgen.errors import ContractgenError, InputError, OutputExistsError, Problem
from contractgen.output import display_path, refuse_overwrites, write_outputs
from contractgen.pipeline import Loaded, checked_formats, load_file, output_paths, render
from contractgen.user_templates import TemplateSource
from contractgen.writers.fonts import FontSet

WRITTEN, INVALID, FAILED, SKIPPED, PENDING = "written", "invalid", "failed", "skipped", "pending"


class Source(Protocol):
    """One document to make (a YAML file, a spreadsheet row): its label, and its model or what is wrong."""

    label: str
    loaded: Loaded | None
    error: InputError | None


@dataclass(frozen=True)
class Input:
    label: str
    loaded: Loaded | None = None
    error: InputError | None = None


def inputs_from_files(paths: Iterable[str | Path]) -> Iterator[Input]:
    """Each YAML file loaded and validated, or the problems that stop it."""
    for path in paths:
        try:
            yield Input(str(path), loaded=load_file(Path(path)))
        except InputError as exc:
            yield Input(str(path), error=exc)


def inputs_from(sources: Iterable[str | Path | BaseModel]) -> Iterator[Input]:
    """Paths are loaded; models are taken as they are (named ``document N``)."""
    for number, source in enumerate(sources, start=1):
        if isinstance(source, BaseModel):
            yield Input(f"document {number}", loaded=Loaded(source))
        else:
            yield from inputs_from_files([source])


@dataclass(frozen=True)
class Settings:
    """What every document of a batch is rendered with (sent to each worker once)."""

    formats: tuple[str, ...]
    fonts: FontSet | None = None
    templates: tuple[TemplateSource, ...] = ()


@dataclass(frozen=True)
class Task:
    """One document for a worker: its place in the batch and its validated model."""

    index: int
    loaded: Loaded


@dataclass(frozen=True)
class Result:
    """What a worker sends back: the files' bytes by format, or why there are none."""

    index: int
    files: dict[str, bytes] | None = None
    problems: tuple[Problem, ...] = ()  # the input is wrong (e.g. a character no font has): exit 2
    error: str | None = None  # anything else (a broken template, a font): exit 1
    raised: ContractgenError | None = field(default=None, compare=False, repr=False)  # the error itself, never sent

    def __getstate__(self) -> dict[str, Any]:
        """Errors travel as data: not every error type pickles (an InputError takes its problems)."""
        return {name: value for name, value in self.__dict__.items() if name != "raised"}


def render_task(task: Task, settings: Settings) -> Result:
    """Render one document; runs in a worker."""
    try:
        loaded = task.loaded
        files = render(loaded.model, settings.formats, settings.fonts, loaded.source, settings.templates)
    except InputError as exc:
        return Result(task.index, problems=exc.problems, raised=exc)
    except ContractgenError as exc:
        return Result(task.index, error=str(exc), raised=exc)
    finally:
        gc.collect()  # WeasyPrint's layout trees are cyclic: without this a long batch grows
    return Result(task.index, files)


@dataclass(frozen=True)
class Outcome:
    """What became of one input: the files written, or the problems, or that it was not reached."""

    label: str
    status: str = PENDING
    files: tuple[Path, ...] = ()
    problems: tuple[Problem, ...] = ()
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status in (INVALID, FAILED)


@dataclass
class Batch:
    """A planned batch: an outcome per input (in input order) and the tasks still to render."""

    outcomes: list[Outcome]
    tasks: list[Task]
    paths: dict[int, dict[str, Path]] = field(default_factory=dict)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failed]

    def skip_rest(self) -> None:
        """The batch ends here: every input not yet made is ``skipped``."""
        self.outcomes[:] = [replace(o, status=SKIPPED) if o.status == PENDING else o for o in self.outcomes]

    def raise_for_failures(self) -> None:
        """Before rendering, without keep-going: the problems of all inputs, or the files in the way."""
        problems = [p for o in self.outcomes if o.status == INVALID for p in o.problems]
        if problems:
            raise InputError(problems)
        planned = [path for i, o in enumerate(self.outcomes) if o.status == FAILED for path in self.paths[i].values()]
        refuse_overwrites([path for path in planned if os.path.lexists(path)], force=False)


def plan(sources: Iterable[Source], out_dir: Path, formats: Sequence[str], force: bool) -> Batch:
    """Every input checked and every output named, before anything renders."""
    formats = checked_formats(formats)
    outcomes: list[Outcome] = []
    loaded: dict[int, Loaded] = {}
    for index, source in enumerate(sources):
        outcomes.append(Outcome(source.label) if source.loaded is not None else _invalid(source.label, source.error))
        if source.loaded is not None:
            loaded[index] = source.loaded
    paths = {index: output_paths(item.model, out_dir, formats) for index, item in loaded.items()}
    _mark_name_conflicts(outcomes, paths)
    _mark_existing(outcomes, paths, force)
    tasks = [Task(index, loaded[index]) for index in paths if outcomes[index].status == PENDING]
    return Batch(outcomes, tasks, paths)


def _invalid(label: str, error: InputError | None) -> Outcome:
    problems = error.problems if error else (Problem("", "no document", file=label),)
    return Outcome(label, INVALID, problems=problems)


def _mark_name_conflicts(outcomes: list[Outcome], paths: dict[int, dict[str, Path]]) -> None:
    """File names are compared case-blind, as Windows and macOS file systems do; the first input keeps its name."""
    owners: dict[str, int] = {}
    for index, planned in paths.items():
        for path in planned.values():
            owner = owners.setdefault(path.name.casefold(), index)
            if owner != index:
                message = (
                    f"would also write {path.name}, like {outcomes[owner].label}: give the documents different "
                    "numbers (contract_no / info.doc_no), or generate them into different folders"
                )
                problem = Problem("", message, file=outcomes[index].label)
                outcomes[index] = replace(outcomes[index], status=INVALID, problems=(*outcomes[index].problems, problem))


def _mark_existing(outcomes: list[Outcome], paths: dict[int, dict[str, Path]], force: bool) -> None:
    if force:
        return
    try:  # first puts back a set a killed run left half-written, so its files do not count
        refuse_overwrites([path for planned in paths.values() for path in planned.values()], force=False)
        return
    except OutputExistsError:
        pass
    for index, planned in paths.items():
        existing = [display_path(path) for path in planned.values() if os.path.lexists(path)]
        if existing and outcomes[index].status == PENDING:
            message = f"refusing to overwrite {', '.join(existing)} (use --force)"
            outcomes[index] = replace(outcomes[index], status=FAILED, error=message)


class Executor(Protocol):
    """Renders tasks somewhere, with the settings it was made with; yields results as they finish (any order)."""

    def results(self, tasks: Sequence[Task]) -> Iterator[Result]: ...


def run(batch: Batch, executor: Executor, *, force: bool, keep_going: bool) -> Iterator[Outcome]:
    """Render and write; yields each document's outcome as it is written (or fails).

    Without ``keep_going`` the first failure is raised: the error itself when
    the document rendered in this process, else an :class:`InputError` with
    its problems or a :class:`DocumentError`; the documents not reached are
    ``skipped``.
    """
    results = executor.results(batch.tasks)
    try:
        for result in results:
            outcome = _written(batch, result, force, keep_going)
            batch.outcomes[result.index] = outcome
            yield outcome
            if outcome.failed and not keep_going:
                raise result.raised or _error_of(outcome)
    finally:
        results.close()  # stops the workers' pending documents when the batch stops early
        batch.skip_rest()


def _written(batch: Batch, result: Result, force: bool, keep_going: bool) -> Outcome:
    outcome = batch.outcomes[result.index]
    if result.problems:
        return replace(outcome, status=INVALID, problems=result.problems)
    if result.files is None:
        return replace(outcome, status=FAILED, error=result.error)
    planned = batch.paths[result.index]
    try:
        written = write_outputs({planned[fmt]: data for fmt, data in result.files.items()}, force)
    except (ContractgenError, OSError) as exc:
        if not keep_going:
            raise
        return replace(outcome, status=FAILED, error=str(exc))
    return replace(outcome, status=WRITTEN, files=tuple(written))


class DocumentError(ContractgenError):
    """One document of a batch could not be made (a broken template, a font, a file in the way)."""


def _error_of(outcome: Outcome) -> ContractgenError:
    if outcome.status == INVALID:
        return InputError(outcome.problems)
    return DocumentError(f"{outcome.label}: {outcome.error}")


def report(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """The batch as plain data for ``--report``: per input, the files written or the problems."""
    counts = {status: sum(o.status == status for o in outcomes) for status in (WRITTEN, INVALID, FAILED, SKIPPED)}
    return {"total": len(outcomes), **counts, "documents": [_reported(o) for o in outcomes]}


def _reported(outcome: Outcome) -> dict[str, Any]:
    entry: dict[str, Any] = {"input": outcome.label, "status": outcome.status, "files": [str(p) for p in outcome.files]}
    errors = [_problem(p) for p in outcome.problems] + ([{"message": outcome.error}] if outcome.error else [])
    if errors:
        entry["errors"] = errors
    return entry


def _problem(problem: Problem) -> dict[str, Any]:
    fields = {"file": problem.file, "line": problem.line, "column": problem.column, "path": problem.path}
    return {**{k: v for k, v in fields.items() if v not in (None, "")}, "message": problem.message}
