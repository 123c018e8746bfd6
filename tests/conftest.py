"""Shared fixtures: small inputs built by hand, so tests need no real files or models."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "corpora" / "sample"


@pytest.fixture
def write(tmp_path: Path):
    """Write bytes or text to a file under a fresh temporary folder and return its path."""

    def _write(name: str, content: bytes | str) -> Path:
        path = tmp_path / "inputs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    return _write
