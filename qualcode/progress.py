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
    def stage(self, name: str, total: int | None = None) -> Iterator[tqdm]:
        started = time.perf_counter()
        bar = tqdm(total=total, desc=f"{name:<8}", file=sys.stderr, disable=self.quiet,
                   unit="seg", leave=True, dynamic_ncols=True)
        try:
            yield bar
            if total is not None:
                bar.update(total - bar.n)
        finally:
            bar.close()
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
