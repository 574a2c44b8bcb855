"""The Dask executor on a LocalCluster of real worker processes (127.0.0.1 only, no dashboard)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from contractgen.batch import Input, Settings, plan, run
from contractgen.cli import main
from contractgen.executors import DaskExecutor, WorkerError
from contractgen.pipeline import Loaded, render
from contractgen.user_templates import read_template
from tests.conftest import OFFLINE_EXAMPLE, ONLINE_EXAMPLE, make_agreement_model

HOUSE_DOCX = Path(__file__).resolve().parent.parent / "examples" / "templates" / "house.docx"


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local


def test_the_cli_renders_on_the_cluster_the_bytes_this_process_renders(cluster, tmp_path, capsys):
    args = ["generate", str(OFFLINE_EXAMPLE), str(ONLINE_EXAMPLE), "--format", "docx", "-o", str(tmp_path)]
    assert main([*args, "--scheduler", cluster.scheduler_address]) == 0
    written = sorted(tmp_path.iterdir())
    assert [p.name for p in written] == ["HZYX-PX-2026-018.docx", "SHLM-2027-PX-003.docx"]
    assert sorted(capsys.readouterr().out.split()) == [str(p) for p in written]
    local = tmp_path / "local"
    assert main([*args[:-1], str(local), "--jobs", "1"]) == 0
    assert [p.read_bytes() for p in written] == [local.joinpath(p.name).read_bytes() for p in written]


def test_the_workers_are_daemonic_and_a_user_template_still_renders_there(cluster, tmp_path):
    """The sandbox forks with os.fork: multiprocessing refuses children in a daemonic process."""
    with Client(cluster.scheduler_address) as client:
        assert set(client.run(lambda: multiprocessing.current_process().daemon).values()) == {True}
        model = make_agreement_model()
        settings = Settings(("docx",), templates=(read_template(HOUSE_DOCX),))
        batch = plan([Input("a.yaml", loaded=Loaded(model))], tmp_path, ["docx"], force=False)
        with DaskExecutor(settings, client) as executor:
            [outcome] = run(batch, executor, force=False, keep_going=False)
        assert client.status == "running"  # the caller's client is the caller's to close
    assert outcome.status == "written"
    assert outcome.files[0].read_bytes() == render(model, ["docx"], templates=[read_template(HOUSE_DOCX)])["docx"]


def test_keep_going_on_the_cluster_reports_the_bad_document(cluster, tmp_path):
    good = make_agreement_model(contract_no="D-1")
    bad = make_agreement_model(contract_no="D-2", parties__client__contact="张\U0002a6a5")
    inputs = [Input("good.yaml", loaded=Loaded(good)), Input("bad.yaml", loaded=Loaded(bad))]
    batch = plan(inputs, tmp_path, ["pdf"], force=False)
    with DaskExecutor(Settings(("pdf",)), cluster.scheduler_address) as executor:
        outcomes = {o.label: o for o in run(batch, executor, force=False, keep_going=True)}
    assert outcomes["good.yaml"].status == "written" and (tmp_path / "D-1.pdf").read_bytes().startswith(b"%PDF")
    assert outcomes["bad.yaml"].status == "invalid" and "parties.client.contact" in str(outcomes["bad.yaml"].problems[0])


def test_an_unreachable_scheduler_is_a_message():
    with pytest.raises(WorkerError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1"):
        with DaskExecutor(Settings(("docx",)), "tcp://127.0.0.1:1", connect_seconds=1):
            pass
