"""Limits for untrusted template code: time, memory, output size.

A user template is code.  Jinja2's sandbox stops attribute tricks, but not a
loop of ten billion steps or a string of a gigabyte.  Three fences:

- **Operators**: ``*`` and ``**`` are intercepted in the sandbox, so
  ``'a' * 10**8`` is refused before it allocates anything.
- **Output size**: templates render chunk by chunk and stop when the text
  passes :attr:`Limits.output_chars`.
- **Time and memory**: on POSIX the render runs in a child made with
  ``os.fork`` (not ``multiprocessing``, which refuses to start children in
  the daemonic worker processes of Celery's prefork pool or a Dask worker)
  with an address-space limit; the child sends its result through a pipe
  (a ``multiprocessing.connection.Connection`` on its two ends), and the
  parent waits :attr:`Limits.seconds` for it and then kills it.  (Where ``fork`` does not exist the render runs in-process, fenced by
  the first two only.)
"""

from __future__ import annotations

import os
import signal
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable

from contractgen.errors import ContractgenError, TemplateError


class LimitError(TemplateError):
    """A user template broke a limit (time, memory, output size, operator size)."""


@dataclass(frozen=True)
class Limits:
    seconds: float = 20.0
    memory_bytes: int = 512 * 1024 * 1024  # on top of what the process already holds
    output_chars: int = 2_000_000  # a long contract is ~100 000 characters of XML or HTML
    sequence_items: int = 100_000  # 'a' * n, [x] * n: the longest sequence an operator may build
    exponent: int = 1_000  # 10 ** n: no larger n
    number_bits: int = 100_000  # (10 ** 999) ** 999: no larger result


DEFAULT_LIMITS = Limits()


def run_limited(function: Callable[..., Any], *args: Any, limits: Limits = DEFAULT_LIMITS) -> Any:
    """``function(*args)`` under the time and memory limits; its result or its error, re-raised here.

    The child is forked, so the arguments need no pickling; the result must pickle.
    """
    if not hasattr(os, "fork"):  # pragma: no cover - Windows: no fork, no address-space limit
        return function(*args)
    receiver, sender = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns to the caller
        _child(receiver, sender, function, args, limits.memory_bytes)
    os.close(sender)
    channel = Connection(receiver, writable=False)
    try:
        received = _receive(channel, limits.seconds)
    finally:
        channel.close()
        exit_code = _reap(pid)
    if received is _TIMED_OUT:
        raise LimitError(f"the template ran longer than {limits.seconds:g} s and was stopped")
    if received is _NOTHING:
        raise LimitError(_died_message(exit_code, limits))
    status, payload = received
    if status == "ok":
        return payload
    error_type, message = payload
    raise error_type(message)


_TIMED_OUT, _NOTHING = object(), object()


def _receive(channel: Connection, seconds: float) -> Any:
    """The child's outcome; ``_TIMED_OUT`` after ``seconds``, ``_NOTHING`` if it died before sending one."""
    if not channel.poll(seconds):
        return _TIMED_OUT
    try:
        return channel.recv()
    except EOFError:
        return _NOTHING


def _reap(pid: int) -> int:
    """Wait for the child, killing it first if it still runs; its exit code (-N when killed by signal N)."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
        if not done:
            os.kill(pid, signal.SIGKILL)
            done, status = os.waitpid(pid, 0)
    except ChildProcessError:  # pragma: no cover - reaped by someone else's SIGCHLD handler
        return 0
    return os.waitstatus_to_exitcode(status)


def _died_message(exit_code: int, limits: Limits) -> str:
    return (
        f"the template stopped without a result (exit code {exit_code}); "
        f"it may have used more than {limits.memory_bytes // 2**20} MiB of memory"
    )


def _child(receiver: int, sender: int, function: Callable[..., Any], args: tuple, memory_bytes: int) -> None:
    """Render, send the outcome, and leave with ``os._exit``, whatever happens."""
    try:
        os.close(receiver)
        channel = Connection(sender, readable=False)
        _limit_memory(memory_bytes)
        try:
            channel.send(("ok", function(*args)))  # pickled whole before a byte is written
        except BaseException as exc:  # noqa: BLE001 - in a fork: everything becomes an outcome or an exit
            channel.send(("error", _error(exc, memory_bytes)))
    finally:
        os._exit(0)  # skip atexit handlers, pytest's and the caller's code: this is a fork


def _error(exc: BaseException, memory_bytes: int) -> tuple[type[TemplateError], str]:
    """The error type (one the parent can rebuild from a message) and the message."""
    if isinstance(exc, MemoryError):
        return LimitError, f"the template used more than {memory_bytes // 2**20} MiB of memory"
    if isinstance(exc, ContractgenError):
        # TemplateError and its subclasses take the message alone, so the parent can rebuild them
        return (type(exc) if isinstance(exc, TemplateError) else TemplateError), str(exc)
    if not isinstance(exc, Exception):
        raise exc  # SystemExit, KeyboardInterrupt: no outcome; the finally above ends the child
    last = traceback.extract_tb(exc.__traceback__)[-1:]
    where = f" ({last[0].name})" if last else ""
    return TemplateError, f"{type(exc).__name__}: {exc}{where}"  # everything a template does wrong


def _limit_memory(extra_bytes: int) -> None:
    try:
        import resource

        with open("/proc/self/statm") as statm:
            in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (in_use + extra_bytes, in_use + extra_bytes))
    except (ImportError, OSError, ValueError):  # pragma: no cover - not Linux: time limit only
        pass
