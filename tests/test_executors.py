"""Executors: worker processes render the same bytes as this process, a few documents in flight at a time."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from contractgen.batch import Input, Result, Settings, Task, plan, run
from contractgen.executors import InProcess, ProcessPool, _windowed, default_jobs
from contractgen.pipeline import Loaded, render
from tests.conftest import make_agreement_model

DOCX = Settings(("docx",))


def tasks(count: int) -> list[Task]:
    model = make_agreement_model()
    return [Task(index, Loaded(model)) for index in range(count)]


def test_a_process_pool_renders_what_this_process_renders(tmp_path):
    models = [make_agreement_model(contract_no=f"P-{n}") for n in range(3)]
    batch = plan([Input(f"{n}.yaml", loaded=Loaded(m)) for n, m in enumerate(models)], tmp_path, ["docx"], force=False)
    with ProcessPool(DOCX, 2) as pool:
        outcomes = list(run(batch, pool, force=False, keep_going=False))
    assert len(outcomes) == 3
    for model in models:
        assert (tmp_path / f"{model.contract_no}.docx").read_bytes() == render(model, ["docx"])["docx"]


def test_pool_workers_are_other_processes_and_send_problems_back_as_data():
    missing = Task(1, Loaded(make_agreement_model(parties__client__contact="张\U0002a6a5")))
    with ProcessPool(Settings(("pdf",)), 1) as pool:
        [result] = pool.results([missing])
    assert result.files is None and "parties.client.contact" in str(result.problems[0])
    assert result.raised is None  # errors travel as data; the exception stayed in the worker


def test_the_pool_must_be_entered_first():
    with pytest.raises(RuntimeError, match="with block"):
        next(ProcessPool(DOCX, 1).results(tasks(1)))


def test_at_most_two_documents_per_worker_are_in_flight():
    submitted: list[int] = []
    yielded: list[int] = []
    with ThreadPoolExecutor(1) as threads:

        def submit(task: Task):
            submitted.append(task.index)
            return threads.submit(Result, task.index)

        for result in _windowed(submit, tasks(12), workers=2):
            assert len(submitted) - len(yielded) <= 4
            yielded.append(result.index)
    assert sorted(yielded) == list(range(12))


def test_stopping_early_cancels_what_has_not_started():
    with ThreadPoolExecutor(1) as threads:
        futures = []

        def submit(task: Task):
            futures.append(threads.submit(Result, task.index))
            return futures[-1]

        results = _windowed(submit, tasks(12), workers=3)
        next(results)
        results.close()
    assert len(futures) <= 6 + 1 and any(f.cancelled() for f in futures)


def test_in_process_renders_here():
    with InProcess(DOCX) as executor:
        [result] = executor.results(tasks(1))
    assert result.files["docx"].startswith(b"PK")


def test_default_jobs_is_the_cores_this_process_may_use():
    assert default_jobs() == len(os.sched_getaffinity(0))
