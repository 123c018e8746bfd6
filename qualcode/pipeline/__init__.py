"""One path from input to outputs, for every command and for Python callers.

- :mod:`.settings`: :class:`RunOptions`, every setting of a run with its default.
- :mod:`.process`: read, segment, redact, embed and code in batches: the privacy boundary,
  the only path to redacted text.
- :mod:`.analyse`: the corpus-wide stages (supervised coding, agreement, topics, quotes).
- :mod:`.write`: every output file.
- :mod:`.run`: the three in one call, as ``qualcode run``.
- :mod:`.ingest`: ``qualcode ingest``, originals into a project store.

The public names are re-exported by :mod:`qualcode` itself (``import qualcode as qc``); this
package face imports nothing, so reading the settings does not load the stages' libraries.
"""
