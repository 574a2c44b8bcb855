"""The batch engine: plan before rendering, write each document as it finishes, keep going or stop."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Iterator, Sequence

import pytest

from contractgen.batch import (
    FAILED,
    INVALID,
    SKIPPED,
    WRITTEN,
    DocumentError,
    Input,
    Result,
    Settings,
    Task,
    inputs_from_files,
    plan,
    render_task,
    report,
    run,
)
from contractgen.errors import InputError, OutputExistsError, Problem, TemplateError
from contractgen.executors import InProcess
from contractgen.pipeline import Loaded
from tests.conftest import OFFLINE_EXAMPLE, make_agreement_model

DOCX = Settings(("docx",))


def agreement(number: str) -> Input:
    return Input(f"{number}.yaml", loaded=Loaded(make_agreement_model(contract_no=number)))


def broken(label: str) -> Input:
    return Input(label, error=InputError([Problem("fees.total", "not money", file=label, line=3, column=5)]))


class Scripted:
    """An executor that hands back prepared results, checking the disk before each one."""

    def __init__(self, results: Sequence[Result], before_each=lambda index: None) -> None:
        self._results = results
        self._before_each = before_each
        self.handed_out = 0

    def results(self, tasks: Sequence[Task]) -> Iterator[Result]:
        for result in self._results:
            self._before_each(self.handed_out)
            self.handed_out += 1
            yield result


def fake_docx(index: int, size: int = 10) -> Result:
    return Result(index, files={"docx": b"PK" + bytes(size)})


# plan ----------------------------------------------------------------------------------


def test_plan_names_every_output_and_makes_a_task_per_valid_input(tmp_path):
    batch = plan([agreement("A-1"), broken("bad.yaml"), agreement("A-2")], tmp_path, ["docx", "pdf"], force=False)
    assert [t.index for t in batch.tasks] == [0, 2]
    assert batch.paths[2] == {"docx": tmp_path / "A-2.docx", "pdf": tmp_path / "A-2.pdf"}
    assert [o.status for o in batch.outcomes] == ["pending", INVALID, "pending"]


def test_without_keep_going_every_problem_of_every_input_is_raised_before_rendering(tmp_path):
    batch = plan([broken("one.yaml"), agreement("A-1"), broken("two.yaml")], tmp_path, ["docx"], force=False)
    with pytest.raises(InputError) as caught:
        batch.raise_for_failures()
    assert [p.file for p in caught.value.problems] == ["one.yaml", "two.yaml"]


def test_a_name_conflict_is_the_later_inputs_problem_compared_case_blind(tmp_path):
    batch = plan([agreement("HT-1"), agreement("ht-1")], tmp_path, ["docx"], force=False)
    assert batch.outcomes[0].status == "pending" and batch.outcomes[1].status == INVALID
    assert "would also write ht-1.docx, like HT-1.yaml" in batch.outcomes[1].problems[0].message
    assert [t.index for t in batch.tasks] == [0]


def test_an_existing_file_fails_its_document_without_force_and_stops_the_batch_before_rendering(tmp_path):
    (tmp_path / "A-2.docx").write_bytes(b"a person's edits")
    batch = plan([agreement("A-1"), agreement("A-2")], tmp_path, ["docx"], force=False)
    assert batch.outcomes[1].status == FAILED and "A-2.docx (use --force)" in batch.outcomes[1].error
    assert [t.index for t in batch.tasks] == [0]
    with pytest.raises(OutputExistsError, match="A-2.docx"):
        batch.raise_for_failures()
    assert [t.index for t in plan([agreement("A-1"), agreement("A-2")], tmp_path, ["docx"], force=True).tasks] == [0, 1]


def test_inputs_from_files_loads_each_or_keeps_its_problems(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: training_agreement\n", encoding="utf-8")
    good, wrong = inputs_from_files([OFFLINE_EXAMPLE, bad])
    assert good.loaded is not None and good.loaded.model.contract_no == "HZYX-PX-2026-018"
    assert wrong.loaded is None and wrong.error.problems and wrong.label == str(bad)


# run -----------------------------------------------------------------------------------


def test_each_document_is_on_disk_before_the_next_result_is_asked_for(tmp_path):
    batch = plan([agreement("A-1"), agreement("A-2"), agreement("A-3")], tmp_path, ["docx"], force=False)

    def earlier_ones_written(handed_out: int) -> None:
        assert sorted(p.name for p in tmp_path.iterdir()) == [f"A-{n}.docx" for n in range(1, handed_out + 1)]

    executor = Scripted([fake_docx(0), fake_docx(1), fake_docx(2)], earlier_ones_written)
    outcomes = list(run(batch, executor, force=False, keep_going=False))
    assert [o.files for o in outcomes] == [(tmp_path / f"A-{n}.docx",) for n in (1, 2, 3)]
    assert executor.handed_out == 3


def test_results_arriving_out_of_order_land_on_their_own_inputs(tmp_path):
    batch = plan([agreement("A-1"), agreement("A-2")], tmp_path, ["docx"], force=False)
    list(run(batch, Scripted([fake_docx(1, 2), fake_docx(0, 1)]), force=False, keep_going=False))
    assert (tmp_path / "A-1.docx").read_bytes() == b"PK\0" and (tmp_path / "A-2.docx").read_bytes() == b"PK\0\0"
    assert [o.label for o in batch.outcomes] == ["A-1.yaml", "A-2.yaml"]


def test_the_parent_holds_only_the_document_in_hand(tmp_path):
    """Memory stays flat: 30 documents of 4 MiB pass through, only the one in hand is alive."""
    count, size = 30, 4 * 2**20
    batch = plan([agreement(f"A-{n}") for n in range(count)], tmp_path, ["docx"], force=False)

    def produced() -> Iterator[Result]:
        for index in range(count):
            yield fake_docx(index, size)

    class Producing:
        def results(self, tasks):
            return produced()

    tracemalloc.start()
    try:
        for _ in run(batch, Producing(), force=False, keep_going=False):
            pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(list(tmp_path.glob("*.docx"))) == count
    assert peak < 5 * size  # making one fake document takes two copies; all of them would be 30


def test_without_keep_going_a_failed_render_stops_the_batch_and_what_was_written_stays(tmp_path):
    batch = plan([agreement("A-1"), agreement("A-2"), agreement("A-3")], tmp_path, ["docx"], force=False)
    results = [fake_docx(0), Result(1, error="house.docx: body: 'x' is undefined"), fake_docx(2)]
    with pytest.raises(DocumentError, match="A-2.yaml: house.docx: body: 'x' is undefined"):
        list(run(batch, Scripted(results), force=False, keep_going=False))
    assert [p.name for p in tmp_path.iterdir()] == ["A-1.docx"]
    assert [o.status for o in batch.outcomes] == [WRITTEN, FAILED, SKIPPED]


def test_a_render_error_in_this_process_is_raised_as_itself(tmp_path):
    batch = plan([agreement("A-1")], tmp_path, ["docx"], force=False)
    original = TemplateError("house.html:3: 'x' is undefined")
    with pytest.raises(TemplateError) as caught:
        list(run(batch, Scripted([Result(0, error=str(original), raised=original)]), force=False, keep_going=False))
    assert caught.value is original


def test_with_keep_going_every_good_document_is_written_and_the_bad_ones_are_reported(tmp_path):
    batch = plan([agreement("A-1"), broken("bad.yaml"), agreement("A-2"), agreement("A-3")], tmp_path, ["docx"], force=False)
    glyph = Problem("parties.client.name", "no glyph for 𠀀", file="A-2.yaml", line=9, column=11)
    results = [fake_docx(0), Result(2, problems=(glyph,)), fake_docx(3)]
    outcomes = list(run(batch, Scripted(results), force=False, keep_going=True))
    assert [o.status for o in outcomes] == [WRITTEN, INVALID, WRITTEN]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A-1.docx", "A-3.docx"]
    assert [o.status for o in batch.outcomes] == [WRITTEN, INVALID, INVALID, WRITTEN]
    assert [o.label for o in batch.failures] == ["bad.yaml", "A-2.yaml"]


def test_with_keep_going_a_file_that_appeared_meanwhile_fails_only_its_document(tmp_path):
    batch = plan([agreement("A-1"), agreement("A-2")], tmp_path, ["docx"], force=False)
    (tmp_path / "A-1.docx").write_bytes(b"someone else's")
    outcomes = list(run(batch, Scripted([fake_docx(0), fake_docx(1)]), force=False, keep_going=True))
    assert [o.status for o in outcomes] == [FAILED, WRITTEN]
    assert "use --force" in outcomes[0].error
    assert (tmp_path / "A-1.docx").read_bytes() == b"someone else's"


def test_a_result_travels_without_the_error_object():
    import pickle

    sent = Result(3, problems=(Problem("a", "b"),), raised=InputError([Problem("a", "b")]))
    received = pickle.loads(pickle.dumps(sent))
    assert received == sent and received.raised is None and received.problems == sent.problems


# render_task and the report ------------------------------------------------------------


def test_render_task_returns_bytes_or_problems():
    done = render_task(Task(0, Loaded(make_agreement_model())), DOCX)
    assert done.files is not None and done.files["docx"].startswith(b"PK") and not done.problems
    missing = render_task(Task(1, Loaded(make_agreement_model(parties__client__contact="张\U0002a6a5"))), Settings(("pdf",)))
    assert missing.files is None and "parties.client.contact" in str(missing.problems[0])


def test_the_in_process_executor_renders_what_render_renders(tmp_path):
    from contractgen.pipeline import render

    model = make_agreement_model()
    batch = plan([Input("a.yaml", loaded=Loaded(model))], tmp_path, ["docx"], force=False)
    with InProcess(DOCX) as executor:
        [outcome] = run(batch, executor, force=False, keep_going=False)
    assert outcome.files[0].read_bytes() == render(model, ["docx"])["docx"]


def test_the_report_gives_per_input_files_or_located_errors(tmp_path):
    batch = plan([agreement("A-1"), broken("bad.yaml"), agreement("A-2")], tmp_path, ["docx"], force=False)
    list(run(batch, Scripted([fake_docx(0), Result(2, error="a broken template")]), force=False, keep_going=True))
    summary = report(batch.outcomes)
    assert {k: summary[k] for k in ("total", "written", "invalid", "failed", "skipped")} == {
        "total": 3, "written": 1, "invalid": 1, "failed": 1, "skipped": 0
    }
    first, bad, second = summary["documents"]
    assert first == {"input": "A-1.yaml", "status": "written", "files": [str(tmp_path / "A-1.docx")]}
    assert bad["errors"] == [{"file": "bad.yaml", "line": 3, "column": 5, "path": "fees.total", "message": "not money"}]
    assert second["status"] == "failed" and second["errors"] == [{"message": "a broken template"}]
    assert Path(first["files"][0]).exists()
