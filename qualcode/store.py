"""The project store: one SQLite database in the output folder.

It holds documents, segments and their attributes, codes and codings (with coder and
method), and runs with their settings. Each input file is written in one transaction, keyed
by its source id and content hash: re-ingesting an unchanged file changes nothing, a changed
file replaces its old documents and segments, and a failure leaves the store as it was.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from qualcode.errors import StoreError
from qualcode.model import Code, Codebook, Coding, Document, Segment, frozen_mapping

DATABASE_NAME = "qualcode.db"
ADDED, UNCHANGED, UPDATED = "added", "unchanged", "updated"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
    ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL, text TEXT NOT NULL,
    attributes TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS segments (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    speaker TEXT, role TEXT NOT NULL, attributes TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS codes (
    codebook TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL,
    parent TEXT, PRIMARY KEY (codebook, id));
CREATE TABLE IF NOT EXISTS codings (
    segment_id TEXT NOT NULL, code_id TEXT NOT NULL, coder TEXT NOT NULL, method TEXT NOT NULL,
    confidence REAL NOT NULL, evidence TEXT NOT NULL, run_id INTEGER,
    PRIMARY KEY (segment_id, code_id, coder));
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, command TEXT NOT NULL, started_at TEXT NOT NULL,
    finished_at TEXT, status TEXT, settings TEXT NOT NULL, versions TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS segments_by_doc ON segments(doc_id, position);
"""


class Store:
    """The project database. Use as a context manager: ``with Store.open(out) as store:``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None

    @classmethod
    def open(cls, folder: str | Path) -> "Store":
        folder = Path(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            store = cls(folder / DATABASE_NAME)
            connection = sqlite3.connect(store.path)
            connection.execute("PRAGMA foreign_keys = ON")
            connection.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"{folder}: cannot open the project database ({error}); "
                             "choose an output folder you can write to") from None
        store._connection = connection
        return store

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._connection

    # -- sources, documents, segments -------------------------------------------------------

    def source_hash(self, source_id: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM sources WHERE id = ?", (source_id,)).fetchone()
        return row[0] if row else None

    def put_source(self, source_id: str, path: str, sha256: str, size: int,
                   documents: Iterable[Document], segments: Iterable[Segment]) -> str:
        """Store one input file's documents and segments atomically; returns what happened."""
        previous = self.source_hash(source_id)
        if previous == sha256:
            return UNCHANGED
        with self.db:  # one transaction: all of this file or none of it
            # Codes name segments by position: on a changed file they would mark other text.
            self.db.execute("DELETE FROM codings WHERE segment_id IN (SELECT g.id FROM segments g "
                            "JOIN documents d ON d.id = g.doc_id WHERE d.source_id = ?)", (source_id,))
            self.db.execute("DELETE FROM sources WHERE id = ?", (source_id,))
            self.db.execute("INSERT INTO sources VALUES (?, ?, ?, ?, ?)",
                            (source_id, path, sha256, size, _now()))
            self.db.executemany(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(d.id, source_id, i, d.kind, d.source_path, d.text, _json(d.attributes))
                 for i, d in enumerate(documents)])
            self.db.executemany(
                "INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(s.id, s.doc_id, i, s.start, s.end, s.text, s.speaker, s.role, _json(s.attributes))
                 for i, s in enumerate(segments)])
        return ADDED if previous is None else UPDATED

    def documents(self) -> list[Document]:
        rows = self.db.execute("SELECT d.id, d.text, d.kind, d.path, d.attributes FROM documents d "
                               "JOIN sources s ON s.id = d.source_id ORDER BY s.id, d.position")
        return [Document(id=r[0], text=r[1], kind=r[2], source_path=r[3],
                         attributes=_mapping(r[4])) for r in rows]

    def segments(self) -> list[Segment]:
        rows = self.db.execute(
            'SELECT g.id, g.doc_id, g.start, g."end", g.text, g.speaker, g.role, g.attributes '
            "FROM segments g JOIN documents d ON d.id = g.doc_id JOIN sources s ON s.id = d.source_id "
            "ORDER BY s.id, d.position, g.position")
        return [Segment(id=r[0], doc_id=r[1], start=r[2], end=r[3], text=r[4], speaker=r[5],
                        role=r[6], attributes=_mapping(r[7])) for r in rows]

    def count(self, table: str) -> int:
        if table not in {"sources", "documents", "segments", "codes", "codings", "runs"}:
            raise ValueError(table)
        return self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    # -- codes and codings ------------------------------------------------------------------

    def put_codes(self, codebook: str, codes: Iterable[Code]) -> None:
        with self.db:
            self.db.execute("DELETE FROM codes WHERE codebook = ?", (codebook,))
            self.db.executemany("INSERT INTO codes VALUES (?, ?, ?, ?, ?)",
                                [(codebook, c.id, c.name, c.definition, c.parent) for c in codes])

    def put_codings(self, codings: Iterable[Coding], run_id: int | None = None) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO codings VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(c.segment_id, c.code_id, c.coder, c.method, c.confidence, c.evidence, run_id)
                 for c in codings])

    def replace_codings(self, codings: Sequence[Coding], command: str) -> int:
        """Store ``codings`` as one recorded run, first removing the codings earlier stored for
        the same coders with the same methods, so a corrected file imported again replaces its
        old codes (and nothing of another method, such as qualcode's own, is touched)."""
        coders = sorted({c.coder for c in codings})
        methods = sorted({c.method for c in codings})
        with self.db:  # one transaction: the old codes stay if anything fails
            self.db.executemany("DELETE FROM codings WHERE coder = ? AND method = ?",
                                [(c, m) for c in coders for m in methods])
            cursor = self.db.execute(
                "INSERT INTO runs (command, started_at, finished_at, status, settings, versions) "
                "VALUES (?, ?, ?, 'ok', ?, '{}')", (command, _now(), _now(), _json({"coders": coders})))
            run_id = int(cursor.lastrowid)
            self.db.executemany(
                "INSERT OR REPLACE INTO codings VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(c.segment_id, c.code_id, c.coder, c.method, c.confidence, c.evidence, run_id)
                 for c in codings])
        return run_id

    def codings_with_sources(self, method: str) -> list[tuple[Coding, str, str]]:
        """Codings of one method, each with the id and sha256 of the file its segment is from."""
        rows = self.db.execute(
            "SELECT c.segment_id, c.code_id, c.method, c.confidence, c.evidence, c.coder, s.id, s.sha256 "
            "FROM codings c JOIN segments g ON g.id = c.segment_id JOIN documents d ON d.id = g.doc_id "
            "JOIN sources s ON s.id = d.source_id WHERE c.method = ? ORDER BY c.segment_id, c.code_id, c.coder",
            (method,))
        return [(Coding(*row[:6]), row[6], row[7]) for row in rows]

    def coders(self, excluding_method: str) -> set[str]:
        """Names of the coders with codings stored of any method but ``excluding_method``."""
        rows = self.db.execute("SELECT DISTINCT coder FROM codings WHERE method != ?", (excluding_method,))
        return {row[0] for row in rows}

    def code_ids(self) -> list[str]:
        """Ids of every code stored with a codebook (empty for a store made by ingest)."""
        return [row[0] for row in self.db.execute("SELECT DISTINCT id FROM codes ORDER BY id")]

    def codebook(self) -> Codebook | None:
        """The codes stored by ``qualcode run`` (ids, names, definitions), or None for a store
        made by ingest."""
        rows = self.db.execute("SELECT id, MIN(name), MIN(definition), MIN(parent) FROM codes "
                               "GROUP BY id ORDER BY id").fetchall()
        return Codebook(tuple(Code(*row) for row in rows)) if rows else None

    def codings(self, coder: str | None = None) -> list[Coding]:
        query = "SELECT segment_id, code_id, method, confidence, evidence, coder FROM codings"
        rows = (self.db.execute(query + " WHERE coder = ? ORDER BY segment_id, code_id", (coder,))
                if coder else self.db.execute(query + " ORDER BY segment_id, code_id, coder"))
        return [Coding(*row) for row in rows]

    # -- runs -------------------------------------------------------------------------------

    def start_run(self, command: str, settings: Mapping[str, object],
                  versions: Mapping[str, str]) -> int:
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO runs (command, started_at, settings, versions) VALUES (?, ?, ?, ?)",
                (command, _now(), _json(settings), _json(versions)))
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, status: str) -> None:
        with self.db:
            self.db.execute("UPDATE runs SET finished_at = ?, status = ? WHERE id = ?",
                            (_now(), status, run_id))


def _json(values: Mapping[str, object]) -> str:
    return json.dumps(dict(values), ensure_ascii=False, sort_keys=True)


def _mapping(text: str) -> Mapping[str, str]:
    return frozen_mapping(json.loads(text))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
