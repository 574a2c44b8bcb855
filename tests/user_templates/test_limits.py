"""The sandbox's child process: os.fork, so it works inside daemonic workers; results, deaths and time-outs."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from contractgen.errors import TemplateError
from contractgen.user_templates import LimitError, Limits
from contractgen.user_templates.limits import run_limited

HOUSE_DOCX = Path(__file__).resolve().parents[2] / "examples" / "templates" / "house.docx"


def _render_house_docx(results) -> None:
    """In a daemonic process: render with the house template (its sandbox forks a child)."""
    try:
        from contractgen.pipeline import render
        from contractgen.user_templates import read_template
        from tests.conftest import make_agreement_model

        files = render(make_agreement_model(), ["docx"], templates=[read_template(HOUSE_DOCX)])
        results.put(("ok", files["docx"][:2], multiprocessing.current_process().daemon))
    except BaseException as exc:  # noqa: BLE001 - report anything to the test
        results.put(("error", f"{type(exc).__name__}: {exc}", multiprocessing.current_process().daemon))


def test_a_user_template_renders_inside_a_daemonic_process():
    """Celery's prefork pool and Dask's workers are daemonic; multiprocessing refuses children there."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    worker = context.Process(target=_render_house_docx, args=(results,), daemon=True)
    worker.start()
    try:
        status, payload, daemonic = results.get(timeout=120)
    finally:
        worker.join(30)
    assert daemonic
    assert (status, payload) == ("ok", b"PK")


def test_the_result_comes_back_through_the_pipe_whole():
    big = b"x" * (3 * 2**20)  # far more than a pipe's buffer
    assert run_limited(lambda: big) == big


def test_an_error_in_the_child_is_raised_here_with_its_message():
    def broken():
        raise TemplateError("house.html:3: 'amout' is undefined")

    with pytest.raises(TemplateError, match="house.html:3: 'amout' is undefined"):
        run_limited(broken)


def test_a_result_that_cannot_travel_is_an_error_not_a_hang():
    with pytest.raises(TemplateError, match="pickle|Pickl"):
        run_limited(lambda: (lambda: None))


def test_a_child_that_dies_without_a_result_is_a_limit_error_with_its_exit_code():
    with pytest.raises(LimitError, match=r"stopped without a result \(exit code -9\)"):
        run_limited(lambda: os.kill(os.getpid(), signal.SIGKILL))


def test_a_child_past_its_time_is_killed_and_reaped(monkeypatch):
    forked = []
    real_fork = os.fork

    def recording_fork():
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)
    started = time.monotonic()
    with pytest.raises(LimitError, match="ran longer than 0.5 s"):
        run_limited(time.sleep, 30, limits=Limits(seconds=0.5))
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):  # reaped: not even a zombie is left
        os.waitpid(forked[0], os.WNOHANG)


def test_the_child_never_returns_into_the_callers_code(tmp_path):
    """Even a SystemExit in the template's code ends the child there: only this process goes on."""
    went_on = tmp_path / "went-on"
    try:
        with pytest.raises(LimitError, match="without a result"):
            run_limited(lambda: exit(3), limits=Limits(seconds=2))
    finally:
        with went_on.open("a") as marker:
            marker.write(f"{os.getpid()}\n")
    time.sleep(0.2)
    assert went_on.read_text().split() == [str(os.getpid())]
