"""Which process holds a run's lease, and whether that process still exists.

A worker that claims a run records who it is (``MigrationRun.holder_host``,
``holder_pid``, ``holder_started``): the machine (hostname and, on Linux, the pid
namespace, so two containers that share a hostname are not confused), the process id, and
when that process started (boot id and start time from ``/proc``, so a reused pid is not
mistaken for the holder). A worker on the same machine can then tell at once that the
holder is gone — killed, crashed, its container restarted — instead of waiting for the
lease to expire: at start-up (``migration_runs_reconcile``) and when it receives a
delivery of the run (``migration_run_claim``).

A holder is only declared gone when its process does not exist AND the run's heartbeat
has been silent for ``silence_seconds()`` (a few seconds: the heartbeat beats every
second): helpers of a run split across workers keep writing under the run's token after
its coordinator died, and are left to finish. Another machine's holder is never judged
here; its lease expires as before.
"""

import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.utils import timezone

from datamigration import conf

#: How long a gone holder's run must have been silent before it is taken over (seconds).
SILENCE_SECONDS = 5


@dataclass(frozen=True)
class Holder:
    host: str
    pid: int | None
    started: str

    def as_fields(self) -> dict:
        """The ``MigrationRun`` fields naming this holder."""
        return {"holder_host": self.host, "holder_pid": self.pid, "holder_started": self.started}


def _read(path: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return ""


@cache
def host_id() -> str:
    """This machine as lease holders are compared: hostname, plus the pid namespace on Linux."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return f"{socket.gethostname()} {namespace}".strip()[:255]


def _stat_fields(pid: int) -> list[str] | None:
    """``/proc/<pid>/stat`` after the command name (field 3 onwards), or ``None``."""
    text = _read(f"/proc/{pid}/stat")
    if ")" not in text:
        return None
    return text.rsplit(")", 1)[1].split()


def process_started(pid: int) -> str:
    """When process ``pid`` started (boot id and start time in clock ticks); empty where unknown."""
    fields = _stat_fields(pid)
    boot = _read("/proc/sys/kernel/random/boot_id")
    if not fields or len(fields) < 20 or not boot:
        return ""
    return f"{boot}:{fields[19]}"[:64]


def current() -> Holder:
    """The process running this code, as a lease names it."""
    pid = os.getpid()
    return Holder(host=host_id(), pid=pid, started=process_started(pid))


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OSError:
        return False
    fields = _stat_fields(pid)
    return not (fields and fields[0] in ("Z", "X"))  # a zombie is dead, only not reaped yet


def process_gone(host: str, pid: int | None, started: str) -> bool:
    """``True`` if the holder ran on this machine and that process no longer exists.

    ``False`` when it cannot be told: another machine, a lease that names no process (a
    run claimed before holders were recorded), or no ``/proc`` to compare a pid with.
    """
    if not host or not pid or host != host_id():
        return False
    if pid == os.getpid():
        # This process, unless the pid was reused (a restarted container's worker is pid 1 again).
        return bool(started) and started != current().started
    if not _exists(pid):
        return True
    return bool(started) and process_started(pid) not in ("", started)


def silence_seconds() -> int:
    return min(SILENCE_SECONDS, conf.lease_seconds())


def seconds_silent(heartbeat_at) -> float:
    if heartbeat_at is None:
        return float("inf")
    return (timezone.now() - heartbeat_at).total_seconds()


def gone(*, holder_host: str, holder_pid: int | None, holder_started: str, heartbeat_at, **_) -> bool:
    """The holder process is gone and the run has been silent long enough to take it over."""
    return process_gone(holder_host, holder_pid, holder_started) and seconds_silent(heartbeat_at) >= silence_seconds()


def holder_gone(run) -> bool:
    return gone(
        holder_host=run.holder_host,
        holder_pid=run.holder_pid,
        holder_started=run.holder_started,
        heartbeat_at=run.heartbeat_at,
    )


#: The run fields ``gone`` reads (for ``values(*FIELDS)``).
FIELDS = ("holder_host", "holder_pid", "holder_started", "heartbeat_at")


def lease_expired(run) -> bool:
    """The run's heartbeat is older than the lease: any worker, on any machine, may take it over."""
    return run.heartbeat_at is not None and run.heartbeat_at < timezone.now() - timedelta(seconds=conf.lease_seconds())
