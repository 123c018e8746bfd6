"""One input file as the readers see it: a stable id, a name to show, and its bytes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Source:
    path: Path
    id: str  # stable across runs: the file's path relative to the folder it was found in

    @property
    def display(self) -> str:
        return str(self.path)

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()
