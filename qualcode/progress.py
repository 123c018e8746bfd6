"""Progress on stderr, one bar per stage, so stdout stays clean for summaries and pipes."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Iterator

from tqdm import tqdm


class StageTimer:
    """Times stages and shows a bar per stage on stderr (silent when ``quiet``)."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str, total: int | None = None, unit: str = "seg") -> Iterator[tqdm]:
        """A bar with an ETA when ``total`` is known; otherwise one line when the stage ends."""
        started = time.perf_counter()
        bar = tqdm(total=total, desc=f"{name:<8}", file=sys.stderr,
                   disable=self.quiet or total is None, unit=unit, leave=True, dynamic_ncols=True)
        try:
            yield bar
            if bar.total is not None:
                bar.update(bar.total - bar.n)  # the bar's own total: a stage may reset it
        finally:
            bar.close()
            seconds = time.perf_counter() - started
            self.seconds[name] = self.seconds.get(name, 0.0) + seconds
            if total is None and not self.quiet:
                print(f"{name:<8}: done in {seconds:.1f}s", file=sys.stderr)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        """Add the time spent in the block to stage ``name``, without a bar of its own
        (for stages interleaved batch by batch under one bar)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
