"""Each submission assessed on its own, in a worker process, under its own time and memory limits.

A worker process limits its address space (``RLIMIT_AS``), so a file that would need more memory
raises ``MemoryError`` there, not in the grader. Each task runs under a timer that interrupts it
after ``time_s``; a task stuck where no timer reaches (inside C code) is caught by a deadline on
the whole batch: the workers are stopped and every unfinished task is run again alone, in a
fresh worker, with a hard limit. Whatever happens to one submission becomes that submission's
row — refused (time, memory), or an internal error with its traceback kept for the log — and
the batch goes on.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import multiprocessing
import os
import signal
import traceback
from dataclasses import dataclass
from typing import Callable

from .record import Record, Status
from .rubric import RubricError

PARENT_MB = 150  # what the grader itself holds (it never holds a member or a sheet whole)
LIBREOFFICE_CODE_MB = 200  # LibreOffice's program and libraries, beside the heap its limit bounds


@dataclass(frozen=True)
class Limits:
    """The limits of one run: each submission's time (LibreOffice's share included) and memory, and
    the memory budget of the whole process tree, from which the number of workers follows."""

    time_s: float = 60.0  # one submission: LibreOffice's recalculation and the assessment together
    memory_mb: int = 400  # one worker's address space
    budget_mb: int = 1024  # the grader, its workers and LibreOffice together

    @property
    def memory_bytes(self) -> int:
        return self.memory_mb * 2**20

    def workers(self, cores: int | None = None) -> int:
        """As many workers as the cores, and as the budget holds beside the grader."""
        cores = cores or worker_count()
        return max(1, min(cores, (self.budget_mb - PARENT_MB) // max(1, self.memory_mb)))

    @property
    def libreoffice_bytes(self) -> int:
        """LibreOffice's heap while it recalculates (no worker runs meanwhile)."""
        return max(256, self.budget_mb - PARENT_MB - LIBREOFFICE_CODE_MB) * 2**20

    def check(self) -> None:
        if self.memory_mb + PARENT_MB > self.budget_mb:
            from ..errors import XlcnnError

            raise XlcnnError(f"--memory-limit {self.memory_mb} MB does not fit in --memory-budget {self.budget_mb} MB "
                             f"beside the grader's {PARENT_MB} MB")


# Seconds beyond the jobs' own time limits before their workers are presumed stuck where no timer
# reaches (a worker's start from the preloaded server, a result's way back take milliseconds); a job
# the pool's deadline catches is run once more alone, so a slow start costs time, never a result.
SLACK = 5.0


class SubmissionTimeout(BaseException):
    """The timer of one submission ran out. A BaseException, as KeyboardInterrupt is: the readers' own
    ``except Exception`` (a damaged file is reported, not raised) must not take a time limit for a
    damaged file; only the worker's wrapper catches it."""


def _init_worker(memory_bytes: int) -> None:
    import resource

    try:  # what a worker dying of its limit prints ("MemoryError") is not the user's to read: its row says it
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass

    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ValueError, OSError):
        pass  # a platform without it: the batch deadline still bounds the time


def _on_timer(signum, frame):
    raise SubmissionTimeout()


def too_large(limits: Limits) -> str:
    return (f"too large: reading it needs more than its share of memory ({limits.memory_mb} MB of the "
            f"{limits.budget_mb} MB budget; --memory-limit, --memory-budget)")


def took_too_long(limits: Limits) -> str:
    return f"assessing it took longer than the limit of {limits.time_s:g} s (--time-limit)"


def record_of(job) -> Record:
    """The record a job is about: the job itself, or its ``record``."""
    return job if isinstance(job, Record) else job.record


def guarded(fn: Callable[..., Record], limits: Limits, job) -> Record:
    """``fn(job)`` in a worker: a timeout, the memory limit or any exception becomes the row. The
    time LibreOffice already spent on the submission counts against its limit."""
    rec = record_of(job)
    previous = signal.signal(signal.SIGALRM, _on_timer)
    signal.setitimer(signal.ITIMER_REAL, max(1.0, limits.time_s - getattr(rec, "lo_seconds", 0.0)))
    try:
        return fn(job)
    except RubricError:
        raise  # the teacher's rubric is wrong: that stops the run, with its message
    except SubmissionTimeout:
        return refused(rec, "refused: " + took_too_long(limits))
    except MemoryError:
        return refused(rec, "refused: " + too_large(limits))
    except RecursionError:
        return refused(rec, "refused: nested too deeply to be read")
    except Exception as err:  # noqa: BLE001 - one submission's failure is its own row
        rec.set_status(Status.INTERNAL_ERROR, f"internal error: {type(err).__name__}: {str(err)[:200]}; please report "
                       "it (the traceback is in xlcnn-errors.log)")
        rec.traceback = traceback.format_exc()
        return rec
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def refused(rec: Record, message: str) -> Record:
    rec.set_status(Status.REFUSED, message)
    rec.report = None
    rec.points, rec.max_points = {}, {}
    rec.total = rec.max_total = 0.0
    return rec


PRELOAD = ["xlcnn.workbook.checking", "xlcnn.grading.assess", "xlcnn.grading.pipeline", "xlcnn.notebook.report"]


def _context():
    """Workers forked from a server that imported xlcnn once (a fresh worker costs milliseconds, not
    the second its imports take: ``check`` starts one per file); ``spawn`` where there is no fork."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def start_pool(workers: int, limits: Limits) -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_worker,
                                  initargs=(limits.memory_bytes,))


def _kill(pool: cf.ProcessPoolExecutor) -> None:
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            process.kill()
        except (OSError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def run_in_workers(fn: Callable[..., Record], jobs: list, limits: Limits, pool: cf.ProcessPoolExecutor | None,
                   workers: int, progress: Callable[[str], None] | None = None) -> dict[str, Record]:
    """Every job (a Record, or an object with its ``record``) through ``fn`` in workers, each under the
    limits; record key -> finished Record. ``progress(name)`` after each."""
    done: dict[str, Record] = {}
    if not jobs:
        return done
    own = pool is None
    pool = pool or start_pool(max(1, min(workers, len(jobs))), limits)
    try:
        try:
            futures = {pool.submit(guarded, fn, limits, job): job for job in jobs}
        except (cf.process.BrokenProcessPool, RuntimeError):  # a pool broken earlier: a fresh one
            own, pool = True, start_pool(max(1, min(workers, len(jobs))), limits)
            futures = {pool.submit(guarded, fn, limits, job): job for job in jobs}
        rounds = math.ceil(len(jobs) / max(1, workers))
        deadline = limits.time_s * rounds + SLACK * rounds + SLACK
        try:
            for fut in cf.as_completed(futures, timeout=deadline):
                try:
                    rec = fut.result()
                except cf.process.BrokenProcessPool:
                    break
                done[rec.key] = rec
                if progress:
                    progress(rec.name)
        except cf.TimeoutError:
            pass
    finally:
        if len(done) < len(jobs) or own:
            _kill(pool) if len(done) < len(jobs) else pool.shutdown()
    for job in jobs:  # what a stuck or killed worker left: each alone, with a hard limit
        rec = record_of(job)
        if rec.key in done:
            continue
        done[rec.key] = _alone(fn, job, limits)
        if progress:
            progress(rec.name)
    return done


def _alone(fn: Callable[..., Record], job, limits: Limits) -> Record:
    pool = start_pool(1, limits)
    try:
        return pool.submit(guarded, fn, limits, job).result(timeout=limits.time_s + SLACK)
    except cf.TimeoutError:
        return refused(record_of(job), f"refused: assessing it did not finish within the limit of {limits.time_s:g} s "
                               "and was stopped (--time-limit)")
    except cf.process.BrokenProcessPool:
        return refused(record_of(job),
                       "refused: the worker assessing it was stopped (" + too_large(limits) + ", or it crashed)")
    finally:
        _kill(pool)


def worker_count() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _call(fn: Callable, limits: Limits, args: tuple) -> tuple[bool, object]:
    """In a worker: ``fn(*args)`` under the timer; (True, result) or (False, why it was refused). An error of
    xlcnn's own family travels back as it is."""
    previous = signal.signal(signal.SIGALRM, _on_timer)
    signal.setitimer(signal.ITIMER_REAL, limits.time_s)
    try:
        return True, fn(*args)
    except SubmissionTimeout:
        return False, took_too_long(limits)
    except MemoryError:
        return False, too_large(limits)
    except RecursionError:
        return False, "nested too deeply to be read"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_isolated(fn: Callable, args: tuple, limits: Limits) -> tuple[bool, object]:
    """``fn(*args)`` alone in a fresh worker process under ``limits``, as ``grade`` runs one submission:
    (True, result) or (False, why it was refused). A worker stuck where no timer reaches is stopped at the deadline."""
    pool = start_pool(1, limits)
    try:
        return pool.submit(_call, fn, limits, args).result(timeout=limits.time_s + 15)
    except cf.TimeoutError:
        return False, f"it did not finish within the limit of {limits.time_s:g} s and was stopped (--time-limit)"
    except cf.process.BrokenProcessPool:
        return False, "the worker reading it was stopped (" + too_large(limits) + ", or it crashed)"
    finally:
        _kill(pool)
