"""Write requirements.lock with exact versions and sha256 hashes for every package.

Usage (from the repo root, with .venv present):
    .venv/bin/pip install --dry-run --ignore-installed --quiet --report /tmp/report.json \
        -r requirements.lock            # or: -e ".[dev]" after changing pyproject.toml
    .venv/bin/python .ci/lock.py /tmp/report.json > requirements.lock
"""

from __future__ import annotations

import json
import sys

HEADER = """\
# Exact versions and hashes qualcode is tested with; `make` installs these with
# --require-hashes, then qualcode itself. Regenerate with .ci/lock.py (see its docstring).
"""


def main(report_path: str) -> None:
    report = json.load(open(report_path))
    lines = []
    for item in report["install"]:
        name = item["metadata"]["name"]
        if name.lower() == "qualcode":
            continue
        digest = item["download_info"]["archive_info"]["hashes"]["sha256"]
        lines.append(f"{name}=={item['metadata']['version']} --hash=sha256:{digest}")
    sys.stdout.write(HEADER + "\n".join(sorted(lines, key=str.lower)) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
