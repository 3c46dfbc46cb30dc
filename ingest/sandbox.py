"""Read one report file in a child process, bounded in time and memory.

Municipalities' files are whatever their office software produced, and some may be hostile:
a decompression bomb, or a malformed object that makes a parser loop or crash. `read_pages`
runs here in a child process with an address-space limit (`RLIMIT_AS`) and a wall-clock
timeout, so such a file costs one rejection with a Swedish reason instead of a hung batch, a
machine out of memory or a dead process.

Children come from a "forkserver": a clean server process started once (fork + exec, so
nothing of the parent is inherited: not fork, because the parent may have loaded an OpenMP
embedder that deadlocks in a forked child) with the readers preloaded; each file then gets a
fresh child forked from it in about 10 ms. A child that runs too long is killed, and no
state survives from one file to the next. As with "spawn", multiprocessing imports the
program's main module in every child: keep it light and import-safe (work only under
`if __name__ == "__main__":`), as the console script `rapportassistent` is.

    read_pages_isolated(path)  # -> list[str] or UnreadableFile with the reason

Limits: the settings `ingest.file_timeout` and `ingest.file_memory_mb` (120 s and 2048 MB per
file; RAPPORTASSISTENT_FILE_TIMEOUT and RAPPORTASSISTENT_FILE_MEMORY_MB), read when a file is.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
from collections.abc import Callable
from pathlib import Path

from ingest.errors import IngestError, UnreadableFile

START_METHOD = "forkserver"
_PRELOAD = ["ingest.readers", "pypdf", "docx"]

last_child_max_rss_mb = 0.0  # peak memory of the last child that reported it (diagnostics)


class IsolatedReadError(UnreadableFile):
    """A failure of the child itself rather than a reason from the reader.

    `kind` is "timeout", "memory", "crash" (the child died) or "error" (an exception other
    than an IngestError): the last two point at a bug worth reporting; the batch goes on."""

    def __init__(self, reason: str, kind: str) -> None:
        super().__init__(reason)
        self.kind = kind


def read_pages_isolated(
    path: Path,
    timeout: float | None = None,
    memory_mb: int | None = None,
    max_bytes: int | None = None,
) -> list[str]:
    """`ingest.readers.read_pages(path)` in a child process; UnreadableFile on any failure.
    Limits not given come from the settings (`ingest.*`), read here, in the parent."""
    from ingest.readers import max_file_bytes, read_pages
    from rapport_settings import get_settings

    limits = get_settings().ingest
    return run_isolated(
        read_pages,
        Path(path),
        max_file_bytes() if max_bytes is None else max_bytes,
        timeout=limits.file_timeout if timeout is None else timeout,
        memory_mb=limits.file_memory_mb if memory_mb is None else memory_mb,
    )


def run_isolated(target: Callable, *args, timeout: float, memory_mb: int):
    """`target(*args)` in a child process; target and args must be picklable (a function
    importable by name). An IngestError raised by target is raised here as it was; every
    other failure becomes IsolatedReadError with a Swedish reason."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(sender, target, args, memory_mb), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            child.kill()
            raise IsolatedReadError(
                f"filen tog för lång tid att läsa (> {timeout:g} s) och avbröts; den kan vara "
                "skadad eller konstruerad för att låsa läsaren. Be kommunen spara rapporten "
                "som PDF på nytt, eller höj gränsen med RAPPORTASSISTENT_FILE_TIMEOUT.",
                "timeout",
            )
        try:
            status, payload, max_rss_mb = receiver.recv()
        except EOFError:
            child.join(5)
            raise _died(child.exitcode, memory_mb) from None
    finally:
        receiver.close()
        child.join(5)
        if child.is_alive():  # pragma: no cover - a child that ignores its end
            child.kill()
            child.join()
    global last_child_max_rss_mb
    last_child_max_rss_mb = max_rss_mb
    if status == "ok":
        return payload
    if status == "raise":
        raise payload
    if status == "memory":
        raise IsolatedReadError(_memory_reason(memory_mb), "memory")
    raise IsolatedReadError(f"oväntat fel vid läsning ({payload}).", "error")


def _context():
    context = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        context.set_forkserver_preload(_PRELOAD)
    return context


def _child_main(sender, target: Callable, args: tuple, memory_mb: int) -> None:
    """Runs in the child: limit memory, read, send (status, payload, peak RSS in MB)."""
    limit = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core dumps from a crashing parser
    try:
        message = ("ok", target(*args))
    except IngestError as exc:  # UnreadableFile and friends: a reason for the user
        message = ("raise", exc)
    except MemoryError:
        message = ("memory", "")
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, never lost
        text = f"{type(exc).__name__}: {exc}"
        message = ("error", text if len(text) < 200 else text[:197] + "...")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        sender.send((*message, peak))
    except MemoryError:
        sender.send(("memory", "", peak))
    sender.close()


def _memory_reason(memory_mb: int) -> str:
    return (
        f"filen kräver för mycket minne (> {memory_mb} MB) för att läsas och avbröts; den kan "
        "vara en så kallad dekomprimeringsbomb. Be kommunen spara rapporten som PDF på nytt, "
        "eller höj gränsen med RAPPORTASSISTENT_FILE_MEMORY_MB."
    )


def _died(exitcode: int | None, memory_mb: int) -> IsolatedReadError:
    if exitcode == -signal.SIGKILL:  # the kernel's OOM killer, or someone else
        return IsolatedReadError(_memory_reason(memory_mb), "memory")
    how = f"signal {-exitcode}" if exitcode and exitcode < 0 else f"slutkod {exitcode}"
    return IsolatedReadError(
        f"läsaren kraschade på filen ({how}); filen är troligen skadad. Begär en ny kopia "
        "av filen, eller spara rapporten som PDF på nytt.",
        "crash",
    )
