"""Batch figures: documents per second with 1 and 2 processes, worker memory over a long batch, Dask.

    python bench/batch.py            # about 10 minutes on 2 cores
    python bench/batch.py --quick    # about 2 minutes: checks the script works, not figures to quote
    python bench/batch.py --json out.json

1. CLI rate       ``contractgen generate`` on N agreements (both formats), a
                  new process each run, ``--jobs 1`` and ``--jobs 2``
                  interleaved, 3 rounds; docs/s = N / wall time, start-up
                  and all.  The figure to read is the ratio jobs 2 / jobs 1
                  (target ≥ 1.8x on 100 agreements): of the medians, per
                  round, and of the best run of each (the least disturbed
                  by neighbours).
2. Worker memory  the library's ``ProcessPool`` (2 workers, each replaced
                  after MAX_DOCUMENTS_PER_WORKER documents, as the CLI runs
                  it) on LONG agreements; VmRSS of each worker, sampled every
                  10 documents, and of this (the parent) process when 1, 100,
                  … LONG documents are written.  Target: ≤ 150 MiB per
                  worker, flat from 100 to LONG.
3. Dask           a ``LocalCluster`` (2 worker processes, 1 thread each,
                  127.0.0.1, no dashboard) rendering the N agreements through
                  ``DaskExecutor``; docs/s from entering the executor (which
                  warms the workers up) to the last file, and its ratio to the
                  CLI's ``--jobs 2``.

The agreements are the offline example with a new ``contract_no`` and a
client contact of two other characters each, so every document cuts its own
font subsets, as a batch of different contracts does.  The machine is
shared: compare ratios within one run, and see the ``other load`` column
(CPU seconds used by processes not ours during the measurement).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # benchmark this checkout, installed or not

from contractgen.batch import Settings, inputs_from_files, plan, run  # noqa: E402
from contractgen.executors import MAX_DOCUMENTS_PER_WORKER, ProcessPool  # noqa: E402

EXAMPLE = REPO / "examples" / "training_agreement_offline.yaml"
CONTACT_CHARACTERS = "梓涵宇轩浩然欣怡子墨雨桐思远嘉懿俊熙若汐沐宸语桐昊天铭泽诗涵一诺梦琪瑾瑜皓轩"
BOTH = ("docx", "pdf")
MIB = 2**20


def write_agreements(folder: Path, count: int) -> list[Path]:
    """``count`` variants of the offline example beside its shared data."""
    shutil.copytree(REPO / "examples" / "shared", folder / "shared", dirs_exist_ok=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    paths = []
    for n in range(count):
        pair = CONTACT_CHARACTERS[n % len(CONTACT_CHARACTERS)] + CONTACT_CHARACTERS[(n * 7 + 3) % len(CONTACT_CHARACTERS)]
        variant = text.replace("HZYX-PX-2026-018", f"BENCH-{n:05d}").replace("contact: 王喆", f"contact: 王{pair}")
        path = folder / f"a{n:05d}.yaml"
        path.write_text(variant, encoding="utf-8")
        paths.append(path)
    return paths


def busy_ticks() -> int:
    """CPU time the whole machine has spent busy, in clock ticks."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait


def cli_run(inputs: list[Path], jobs: int, out: Path) -> dict[str, float]:
    """One ``contractgen generate`` process; its wall time and the machine's other load meanwhile."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "contractgen", "generate", *map(str, inputs), "-o", str(out), "--jobs", str(jobs)]
    ticks, before = os.sysconf("SC_CLK_TCK"), os.times()
    busy, started = busy_ticks(), time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"contractgen generate --jobs {jobs} failed:\n{done.stderr}")
    after = os.times()
    ours = (after.children_user + after.children_system) - (before.children_user + before.children_system)
    other = max(0.0, (busy_ticks() - busy) / ticks - ours)
    return {"wall_s": wall, "docs_per_s": len(inputs) / wall, "cpu_s": ours, "other_load_cpu_s": other}


def cli_rates(inputs: list[Path], rounds: int, scratch: Path) -> dict[str, object]:
    runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    for round_number in range(rounds):
        for jobs in (1, 2):
            figures = cli_run(inputs, jobs, scratch / f"cli-{jobs}")
            runs[jobs].append(figures)
            print(
                f"  round {round_number + 1}, --jobs {jobs}: {figures['wall_s']:6.1f} s  {figures['docs_per_s']:5.2f} docs/s"
                f"  (cpu {figures['cpu_s']:.0f} s, other load {figures['other_load_cpu_s']:.1f} cpu-s)",
                flush=True,
            )
    rate = {jobs: statistics.median(r["docs_per_s"] for r in runs[jobs]) for jobs in runs}
    best = {jobs: max(r["docs_per_s"] for r in runs[jobs]) for jobs in runs}
    paired = [two["docs_per_s"] / one["docs_per_s"] for one, two in zip(runs[1], runs[2])]
    return {
        "runs": runs, "docs_per_s": rate, "ratio_per_round": paired, "ratio": rate[2] / rate[1],
        "best_docs_per_s": best, "best_ratio": best[2] / best[1],
    }


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def pool_workers() -> list[int]:
    """This process's spawned worker processes (not multiprocessing's resource tracker)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read()
        except OSError:
            continue
        if parent == os.getpid() and b"spawn_main" in command:
            found.append(int(entry))
    return sorted(found)


def worker_memory(inputs: list[Path], checkpoints: list[int], scratch: Path) -> dict[str, object]:
    """RSS of the pool's workers and of this process as the batch goes on (sampled every 10 documents)."""
    out = scratch / "memory"
    shutil.rmtree(out, ignore_errors=True)
    samples: list[dict[str, object]] = []
    highest, seen = 0.0, set()
    settings = Settings(BOTH)
    started = time.perf_counter()
    with ProcessPool(settings, 2) as pool:
        batch = plan(inputs_from_files(inputs), out, BOTH, force=False)
        for done, _ in enumerate(run(batch, pool, force=False, keep_going=False), start=1):
            if done % 10 and done not in checkpoints:
                continue
            workers = {pid: rss_bytes(pid) / MIB for pid in pool_workers()}
            seen.update(workers)
            highest = max([highest, *workers.values()])
            if done in checkpoints:
                samples.append({"documents": done, "workers_mib": workers, "parent_mib": rss_bytes(os.getpid()) / MIB})
                shown = ", ".join(f"{mib:.0f}" for mib in workers.values())
                print(f"  after {done:5d} documents: workers {shown} MiB (highest so far {highest:.0f}); "
                      f"parent {samples[-1]['parent_mib']:.0f} MiB", flush=True)
            if done % 50 == 0:
                shutil.rmtree(out, ignore_errors=True)  # keep the disk small; the folder is made again
                out.mkdir()
    elapsed = time.perf_counter() - started
    first, last = samples[1] if len(samples) > 1 else samples[0], samples[-1]
    return {
        "samples": samples,
        "max_worker_mib": highest,
        "worker_growth_mib": max(last["workers_mib"].values()) - max(first["workers_mib"].values()),
        "worker_processes": len(seen),
        "from_documents": first["documents"],
        "to_documents": last["documents"],
        "docs_per_s": len(inputs) / elapsed,
    }


def dask_rate(inputs: list[Path], scratch: Path) -> dict[str, float]:
    from distributed import LocalCluster

    from contractgen.executors import DaskExecutor

    out = scratch / "dask"
    shutil.rmtree(out, ignore_errors=True)
    cluster_args = dict(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)
    with LocalCluster(**cluster_args, silence_logs=40) as cluster:
        batch = plan(inputs_from_files(inputs), out, BOTH, force=False)
        started = time.perf_counter()
        with DaskExecutor(Settings(BOTH), cluster.scheduler_address) as executor:
            warm = time.perf_counter()
            count = sum(1 for _ in run(batch, executor, force=False, keep_going=False))
        finished = time.perf_counter()
    return {
        "docs_per_s": count / (finished - started),
        "steady_docs_per_s": count / (finished - warm),
        "warm_up_s": warm - started,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20 agreements, memory over 100, one round")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON")
    args = parser.parse_args()
    count, long_count, rounds = (20, 100, 1) if args.quick else (100, 1000, 3)
    checkpoints = sorted({1, min(100, long_count), long_count // 2, long_count})

    with tempfile.TemporaryDirectory(prefix="contractgen-batch-bench-") as folder:
        scratch = Path(folder)
        agreements = write_agreements(scratch / "in", long_count)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
        print(f"1. CLI, {count} agreements (DOCX + PDF), --jobs 1 and 2 interleaved, {rounds} round(s)")
        cli = cli_rates(agreements[:count], rounds, scratch)
        print(f"2. worker memory, ProcessPool(2) over {long_count} agreements")
        memory = worker_memory(agreements, checkpoints, scratch)
        print(f"3. Dask LocalCluster (2 processes x 1 thread), {count} agreements")
        dask = dask_rate(agreements[:count], scratch)

    rate = cli["docs_per_s"]
    print()
    print(f"CLI --jobs 1           {rate[1]:6.2f} docs/s")
    print(f"CLI --jobs 2           {rate[2]:6.2f} docs/s   ratio {cli['ratio']:.2f}x (per round: "
          f"{', '.join(f'{r:.2f}x' for r in cli['ratio_per_round'])}; best run of each: {cli['best_ratio']:.2f}x; "
          f"target >= 1.80x){'' if cli['ratio'] >= 1.8 else '  UNDER'}")
    print(f"worker RSS             max {memory['max_worker_mib']:.0f} MiB (target <= 150), "
          f"{memory['worker_growth_mib']:+.1f} MiB from document {memory['from_documents']} "
          f"to {memory['to_documents']}; {memory['worker_processes']} worker processes in all "
          f"(each replaced after {MAX_DOCUMENTS_PER_WORKER} documents){'' if memory['max_worker_mib'] <= 150 else '  OVER'}")
    print(f"pool rate (library)    {memory['docs_per_s']:6.2f} docs/s over {long_count} documents")
    print(f"Dask LocalCluster      {dask['docs_per_s']:6.2f} docs/s with warm-up ({dask['warm_up_s']:.1f} s), "
          f"{dask['steady_docs_per_s']:.2f} after it; {dask['docs_per_s'] / rate[2]:.2f}x the CLI's --jobs 2")
    if args.json:
        figures = {"agreements": count, "long_batch": long_count, "cli": cli, "memory": memory, "dask": dask}
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
