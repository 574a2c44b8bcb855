"""Limits for untrusted template code: time, memory, output size.

A user template is code.  Jinja2's sandbox stops attribute tricks, but not a
loop of ten billion steps or a string of a gigabyte.  Three fences:

- **Operators**: ``*`` and ``**`` are intercepted in the sandbox, so
  ``'a' * 10**8`` is refused before it allocates anything.
- **Output size**: templates render chunk by chunk and stop when the text
  passes :attr:`Limits.output_chars`.
- **Time and memory**: on POSIX the render runs in a forked child with an
  address-space limit; the parent waits :attr:`Limits.seconds` and then kills
  it.  (Where ``fork`` does not exist the render runs in-process, fenced by
  the first two only.)
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from dataclasses import dataclass
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
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, function, args, limits.memory_bytes), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(limits.seconds):
            raise LimitError(f"the template ran longer than {limits.seconds:g} s and was stopped")
        try:
            status, payload = receiver.recv()
        except EOFError:
            raise LimitError(_died_message(child, limits)) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if status == "ok":
        return payload
    error_type, message = payload
    raise error_type(message)


def _died_message(child: Any, limits: Limits) -> str:
    child.join()
    return (
        f"the template stopped without a result (exit code {child.exitcode}); "
        f"it may have used more than {limits.memory_bytes // 2**20} MiB of memory"
    )


def _child(sender: Any, function: Callable[..., Any], args: tuple, memory_bytes: int) -> None:
    _limit_memory(memory_bytes)
    try:
        result = ("ok", function(*args))
    except MemoryError:
        result = ("error", (LimitError, f"the template used more than {memory_bytes // 2**20} MiB of memory"))
    except ContractgenError as exc:
        # TemplateError and its subclasses take the message alone, so the parent can rebuild them
        result = ("error", (type(exc) if isinstance(exc, TemplateError) else TemplateError, str(exc)))
    except Exception as exc:  # noqa: BLE001 - everything a template does wrong becomes a TemplateError
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" ({last[0].name})" if last else ""
        result = ("error", (TemplateError, f"{type(exc).__name__}: {exc}{where}"))
    try:
        sender.send(result)
    finally:
        sender.close()
        os._exit(0)  # skip atexit handlers and pytest's: this is a fork


def _limit_memory(extra_bytes: int) -> None:
    try:
        import resource

        with open("/proc/self/statm") as statm:
            in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (in_use + extra_bytes, in_use + extra_bytes))
    except (ImportError, OSError, ValueError):  # pragma: no cover - not Linux: time limit only
        pass
