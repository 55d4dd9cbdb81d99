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

from .record import Record
from .rubric import RubricError


@dataclass(frozen=True)
class Limits:
    time_s: float = 60.0  # one submission's assessment, LibreOffice excluded (it has its own)
    memory_mb: int = 450  # one worker's address space; two workers and the grader stay under 1 GB

    @property
    def memory_bytes(self) -> int:
        return self.memory_mb * 2**20


class SubmissionTimeout(Exception):
    """The timer of one submission ran out."""


def _init_worker(memory_bytes: int) -> None:
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ValueError, OSError):
        pass  # a platform without it: the batch deadline still bounds the time


def _on_timer(signum, frame):
    raise SubmissionTimeout()


def guarded(fn: Callable[..., Record], limits: Limits, job: tuple) -> Record:
    """``fn(*job)`` in a worker: a timeout, the memory limit or any exception becomes the row."""
    rec: Record = job[0]
    previous = signal.signal(signal.SIGALRM, _on_timer)
    signal.setitimer(signal.ITIMER_REAL, limits.time_s)
    try:
        return fn(*job)
    except RubricError:
        raise  # the teacher's rubric is wrong: that stops the run, with its message
    except SubmissionTimeout:
        return refused(rec, f"refused: assessing it took longer than the limit of {limits.time_s:g} s "
                            "(--time-limit)")
    except MemoryError:
        return refused(rec, f"refused: it needs more memory than the limit of {limits.memory_mb} MB "
                            "(--memory-limit)")
    except RecursionError:
        return refused(rec, "refused: nested too deeply to be read")
    except Exception as err:  # noqa: BLE001 - one submission's failure is its own row
        rec.status = "internal error"
        rec.messages.append(f"internal error: {type(err).__name__}: {str(err)[:200]}; please report it "
                            "(the traceback is in xlcnn-errors.log)")
        rec.traceback = traceback.format_exc()
        return rec
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def refused(rec: Record, message: str) -> Record:
    rec.status = "refused"
    rec.report = None
    rec.points, rec.max_points = {}, {}
    rec.total = rec.max_total = 0.0
    rec.messages.append(message)
    return rec


def start_pool(workers: int, limits: Limits) -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=_init_worker, initargs=(limits.memory_bytes,))


def _kill(pool: cf.ProcessPoolExecutor) -> None:
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            process.kill()
        except (OSError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def run_all(fn: Callable[..., Record], jobs: list[tuple], limits: Limits, pool: cf.ProcessPoolExecutor | None,
            workers: int, progress: Callable[[str], None] | None = None) -> dict[str, Record]:
    """Every job (whose first item is its Record) through ``fn`` in workers; key -> finished Record."""
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
        deadline = limits.time_s * rounds + 10 * rounds + 10
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
        rec = job[0]
        if rec.key in done:
            continue
        done[rec.key] = _alone(fn, job, limits)
        if progress:
            progress(rec.name)
    return done


def _alone(fn: Callable[..., Record], job: tuple, limits: Limits) -> Record:
    pool = start_pool(1, limits)
    try:
        return pool.submit(guarded, fn, limits, job).result(timeout=limits.time_s + 10)
    except cf.TimeoutError:
        return refused(job[0], f"refused: assessing it did not finish within the limit of {limits.time_s:g} s "
                               "and was stopped (--time-limit)")
    except cf.process.BrokenProcessPool:
        return refused(job[0], f"refused: the worker assessing it was stopped (over the memory limit of "
                               f"{limits.memory_mb} MB, or crashed)")
    finally:
        _kill(pool)


def worker_count() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
