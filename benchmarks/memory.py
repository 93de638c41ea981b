"""Peak memory of the running process, measured so that a parent's size does not leak in."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB.

    On Linux ``getrusage(RUSAGE_SELF).ru_maxrss`` of a child started by fork and exec
    includes the parent's size at the fork (the kernel keeps the larger of the old and the
    new address space's high-water mark across ``exec``), so a small worker started by a
    big benchmark would report the benchmark's size. ``VmHWM`` in ``/proc/self/status`` is
    the high-water mark of this program's own address space; ``ru_maxrss`` is the fallback
    where there is no ``/proc``.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
