"""Where a batch's documents render: this process, a pool of local processes, or a Dask cluster.

Each executor takes :class:`~contractgen.batch.Task` s and yields
:class:`~contractgen.batch.Result` s as they finish, with at most a few
documents in flight per worker, so the parent's memory stays flat however
long the batch.  Workers render and send bytes back; the parent writes.

- :class:`InProcess`: one document after another, here (``--jobs 1``).
- :class:`ProcessPool`: ``concurrent.futures`` with ``spawn``ed workers
  (a fresh interpreter each: WeasyPrint's GLib state is never forked), each
  warmed up once by :func:`warm_up` (imports, fonts, one small render).
- :class:`DaskExecutor`: a Dask ``distributed`` scheduler
  (``--scheduler tcp://host:8786``), optional: ``pip install "contractgen[dask]"``.
  Every worker needs contractgen installed, the same version.
"""

from __future__ import annotations

import concurrent.futures as futures
import gc
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterator, Sequence

from contractgen.batch import Result, Settings, Task, render_task
from contractgen.errors import ContractgenError

#: Documents in flight per worker: one rendering, one queued so the worker never waits for the parent.
IN_FLIGHT_PER_WORKER = 2

_settings: Settings | None = None  # a pool worker's settings, set once by its initializer


def warm_up(settings: Settings) -> None:
    """Import the pipeline, cut the fonts and lay out one small document, then freeze the heap.

    Everything alive after the warm-up stays for the worker's life: freezing
    it (``gc.freeze``) keeps the cycle collector, which runs after every
    document, from walking it again and again.
    """
    from contractgen.pipeline import loads, render
    from contractgen.resources import templates_dir

    starter = (templates_dir() / "starters" / "training_agreement.yaml").read_text(encoding="utf-8")
    render(loads(starter, "starter.yaml"), ["pdf"], settings.fonts)
    gc.collect()
    gc.freeze()


class InProcess:
    """Render in this process, one document after another."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def results(self, tasks: Sequence[Task]) -> Iterator[Result]:
        for task in tasks:
            yield render_task(task, self.settings)


#: Documents a pool worker renders before a fresh one takes its place.  A worker's memory grows by about
#: 4 MiB per 100 documents, below Python (the PDF engine's native caches: the Python heap stays flat), so
#: without this a worker would pass 150 MiB near 1,000 documents; a new worker costs a warm-up (~1.5 s).
MAX_DOCUMENTS_PER_WORKER = 200


class ProcessPool:
    """Render in ``jobs`` worker processes, started (and warmed up) on entering the ``with`` block.

    Enter it before the batch is planned: the workers warm up while this
    process reads the inputs.  Each worker is replaced after
    ``max_tasks_per_child`` documents (see :data:`MAX_DOCUMENTS_PER_WORKER`;
    ``None`` keeps workers for the whole batch).
    """

    def __init__(
        self, settings: Settings, jobs: int, *, max_tasks_per_child: int | None = MAX_DOCUMENTS_PER_WORKER
    ) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.settings = settings
        self.jobs = jobs
        self.max_tasks_per_child = max_tasks_per_child
        self._pool: futures.ProcessPoolExecutor | None = None

    def __enter__(self) -> ProcessPool:
        self._pool = futures.ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.settings,),
            max_tasks_per_child=self.max_tasks_per_child,
        )
        for _ in range(self.jobs):  # workers start on demand: one no-op each starts them all now
            self._pool.submit(os.getpid)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def results(self, tasks: Sequence[Task]) -> Iterator[Result]:
        if self._pool is None:
            raise RuntimeError("use ProcessPool in a with block")
        pool = self._pool
        try:
            yield from _windowed(lambda task: pool.submit(_render_in_worker, task), tasks, self.jobs)
        except BrokenProcessPool as exc:
            raise WorkerError(f"a worker process died ({exc}); rerun with --jobs 1 to see the document's own error") from None


class WorkerError(ContractgenError):
    """A worker process or the cluster failed, not a document."""


def _start_worker(settings: Settings) -> None:
    """A pool worker's initializer: Ctrl-C is the parent's to handle; warm up; keep the settings."""
    global _settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up(settings)
    _settings = settings


def _render_in_worker(task: Task) -> Result:
    assert _settings is not None, "the worker was not started by ProcessPool"
    return render_task(task, _settings)


def _windowed(submit: Callable[[Task], futures.Future], tasks: Sequence[Task], workers: int) -> Iterator[Result]:
    """Submit tasks, keeping ``IN_FLIGHT_PER_WORKER`` per worker in flight; yield results as they finish."""
    waiting = deque(tasks)
    running: set[futures.Future] = set()
    try:
        while waiting or running:
            while waiting and len(running) < workers * IN_FLIGHT_PER_WORKER:
                running.add(submit(waiting.popleft()))
            done, running = futures.wait(running, return_when=futures.FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        for future in running:  # the batch stopped early: what has not started never will
            future.cancel()


class DaskExecutor:
    """Render on a Dask cluster: ``DaskExecutor(settings, "tcp://host:8786")``, or an existing ``distributed.Client``.

    Run one thread per worker (``dask worker --nthreads 1``, or as many
    worker processes as cores): PDF work takes turns within a process.
    Entering the ``with`` block connects and warms every worker up.
    """

    def __init__(self, settings: Settings, scheduler: Any, *, connect_seconds: float = 10) -> None:
        self.settings = settings
        self.scheduler = scheduler
        self.connect_seconds = connect_seconds
        self._client: Any = None
        self._own = False
        self._shared: Any = None

    def __enter__(self) -> DaskExecutor:
        self._client, self._own = _client(self.scheduler, self.connect_seconds)
        try:
            self._client.run(warm_up, self.settings)
            self._shared = self._client.scatter(self.settings, broadcast=True, hash=False)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._own and self._client is not None:
            self._client.close()
        self._client = self._shared = None

    def results(self, tasks: Sequence[Task]) -> Iterator[Result]:
        if self._client is None:
            raise RuntimeError("use DaskExecutor in a with block")
        workers = max(1, sum(self._client.nthreads().values()))
        yield from _dask_windowed(self._client, self._shared, tasks, workers)


def _client(scheduler: Any, connect_seconds: float) -> tuple[Any, bool]:
    """A ``distributed.Client`` for an address (ours to close), or the one given (the caller's)."""
    try:
        from distributed import Client
    except ImportError:
        raise WorkerError('--scheduler needs Dask: pip install "contractgen[dask]"') from None
    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        return Client(scheduler, timeout=connect_seconds), True
    except (OSError, TimeoutError) as exc:
        raise WorkerError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def _dask_windowed(client: Any, settings: Any, tasks: Sequence[Task], workers: int) -> Iterator[Result]:
    from distributed import as_completed

    waiting = deque(tasks)
    submitted = as_completed()
    pending: set[Any] = set()

    def submit_next() -> None:
        future = client.submit(render_task, waiting.popleft(), settings, pure=False)
        pending.add(future)
        submitted.add(future)

    for _ in range(min(len(waiting), workers * IN_FLIGHT_PER_WORKER)):
        submit_next()
    try:
        for future in submitted:
            result = future.result()
            pending.discard(future)
            future.release()
            if waiting:
                submit_next()
            yield result
    finally:
        if pending:
            client.cancel(list(pending))


def default_jobs() -> int:
    """The processes to render in by default: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
