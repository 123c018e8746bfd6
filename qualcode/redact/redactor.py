"""The redaction stage: one object that finds identifiers in texts and replaces them.

>>> redactor = Redactor(use_ner=False)
>>> [result] = redactor.redact_texts(["i spoke to sarah on 07700 900123"])
>>> result.text
'i spoke to [PERSON_1] on [PHONE_1]'

A :class:`Redactor` owns its pseudonym map, so every call on the same instance shares
numbering: the same person is ``[PERSON_1]`` in the first file and the last. Nothing is loaded
in the constructor; the spaCy model loads on first use, once per process.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from ..errors import UsageError
from ..model import Span
from . import gazetteer, recognisers
from .coordination import recipient_lines, spread_in_address_blocks, spread_over_lists
from .entities import PERSON, Entity, RedactionResult
from .operators import MASK, Operator
from .pseudonyms import PseudonymMap, RedactionKey
from .resolve import ProtectedTerms, resolve
from .sweep import KnownNames


class Redactor:
    """Finds personal data in texts and replaces it consistently across all calls.

    ``operator``: ``tag`` | ``pseudonym`` | ``mask`` | ``remove`` (see :mod:`.operators`).
    ``protected_terms``: terms never redacted; ``None`` means the shipped list
    (``data/protected_terms.txt``); ``extra_protected_terms`` are added to whichever is used.
    ``use_ner``: run spaCy NER as well as the rule recognisers (slower, finds unlisted names
    and places). ``recogniser_names`` overrides the recogniser set entirely (registry names).
    ``batch_size`` and ``n_process`` go to the NER recogniser (``n_process=2`` forks workers
    for inputs over 100k characters).

    Detection runs in passes over the whole batch: every recogniser; span resolution; list
    members and postal-block lines next to what was found; then a sweep for names already
    known anywhere in the corpus. Replacement then walks the texts in input order, so
    numbering follows first appearance.
    """

    def __init__(
        self,
        operator: str = "tag",
        protected_terms: Iterable[str] | None = None,
        use_ner: bool = True,
        *,
        extra_protected_terms: Iterable[str] = (),
        recogniser_names: Sequence[str] | None = None,
        batch_size: int = 256,
        n_process: int = 1,
        month_year_dates: bool = True,
    ) -> None:
        self.operator = operator
        # Policy: a month of a year ("June 2022") is a date finer than a year, redacted by
        # default as the ICO's guidance and HIPAA Safe Harbor treat it; False keeps it.
        self.month_year_dates = month_year_dates
        self.protected_terms = protected_terms
        self.use_ner = use_ner
        self.extra_protected_terms = extra_protected_terms
        self.recogniser_names = recogniser_names
        self.batch_size = batch_size
        self.n_process = n_process
        self._pseudonyms: PseudonymMap | None = None
        self._recognisers: list[recognisers.Recogniser] | None = None
        self._protected: ProtectedTerms | None = None
        self._known = KnownNames()
        self._count = 0

    @property
    def key(self) -> RedactionKey:
        """The re-identification key built so far (original -> replacement, per label)."""
        return self._map().key

    def redact_texts(
        self,
        texts: Iterable[str],
        ids: Iterable[str] | None = None,
        speakers: Iterable[str | None] | None = None,
        detected: Sequence[Sequence[Span]] | None = None,
    ) -> list[RedactionResult]:
        """Redact many texts in one batch; one result per text, in input order.

        ``ids`` name the records in the audit trail (default: a running count across calls).
        ``speakers`` gives each text's speaker label (or None); names among them are replaced
        with the same pseudonyms as their mentions in text (``result.speaker``), and their
        mentions anywhere in the batch are redacted. ``detected``: what :meth:`detect` returned
        for ``texts``, computed elsewhere (on a worker, or stored by an interrupted run);
        without it detection runs here.
        """
        texts = list(texts)
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise UsageError(f"text {index} is a {type(text).__name__}, not a string; pass text only")
        ids = self._ids(ids, len(texts))
        speaker_list = self._aligned(speakers, len(texts), "speakers")
        for speaker in speaker_list:
            if speaker and not is_role_label(speaker):
                self._known.add(speaker)
        found = self.find_spans(texts, detected)
        results = []
        for text, record_id, speaker, spans in zip(texts, ids, speaker_list, found):
            redacted_speaker = self.redact_name(speaker) if speaker is not None else None
            results.append(self._apply(text, record_id, spans, redacted_speaker))
        return results

    def redact_text(self, text: str, id: str | None = None, speaker: str | None = None) -> RedactionResult:
        """Redact one text (prefer :meth:`redact_texts` for many: NER is batched)."""
        return self.redact_texts([text], None if id is None else [id], None if speaker is None else [speaker])[0]

    @property
    def known_name_count(self) -> int:
        """How many person names the sweep knows so far (it only grows)."""
        return len(self._known)

    def redact_name(self, name: str) -> str:
        """A speaker label's replacement, consistent with mentions of the same person in text.

        Role labels ("Interviewer", "I", "P4", "Participant 3", "Speaker 1") come back as they are.
        With the ``remove`` operator a name label becomes ``[REDACTED]`` rather than nothing.
        """
        if not name.strip() or is_role_label(name):
            return name
        self._known.add(name)
        replacement = self._map().replace(PERSON, name.strip())
        return replacement or MASK

    def find_spans(self, texts: Sequence[str],
                   detected: Sequence[Sequence[Span]] | None = None) -> list[list[Span]]:
        """Resolved spans per text (nothing replaced or recorded, but names found are
        remembered for the sweep of this and later batches).

        Two steps: :meth:`detect` (pure, the costly part) and a sweep for names known from
        anywhere in the corpus so far (stateful, cheap).
        """
        if detected is None:
            detected = self.detect(texts)
        elif len(detected) != len(texts):
            raise UsageError(f"{len(detected)} detections given for {len(texts)} texts; pass one per text")
        protected = self._protected_terms()
        for text, spans in zip(texts, detected):
            self._known.update(
                (text[s.start:s.end], s.source != "ner") for s in spans if s.label == PERSON
            )
        return [_resolve_with(text, list(spans), self._known.find(text), protected)
                for text, spans in zip(texts, detected)]

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        """What the recognisers find in each text, resolved; depends on the texts alone.

        Pure, so it can run on another process or machine, and be stored and replayed.
        Identical texts (survey answers repeat a lot) are analysed once.
        """
        unique = list(dict.fromkeys(texts))
        active = self._active_recognisers()
        protected = self._protected_terms()
        per_text: list[list[Span]] = [[] for _ in unique]
        for recogniser in active:
            for index, spans in enumerate(recognisers.find_batch(recogniser, unique)):
                per_text[index].extend(spans)
        found = {text: self._with_layout(text, resolve(text, spans, protected), protected)
                 for text, spans in zip(unique, per_text)}
        return [list(found[text]) for text in texts]

    @staticmethod
    def _with_layout(text: str, spans: list[Span], protected: ProtectedTerms) -> list[Span]:
        """Add list members and address-block organisations next to what was found."""
        extra = spread_over_lists(text, spans)
        if "\n" in text:
            extra += spread_in_address_blocks(text, spans) + recipient_lines(text, spans)
        return _resolve_with(text, spans, extra, protected)

    def detection_settings(self) -> tuple[tuple[str, object], ...]:
        """What :meth:`detect` depends on, as hashable items: ``Redactor(**dict(items))``
        detects the same spans (a worker builds its own redactor from these; the pseudonym
        map, which holds original text, never leaves this object)."""
        def frozen(values):
            return None if values is None else tuple(values)

        return (("batch_size", self.batch_size), ("extra_protected_terms", frozen(self.extra_protected_terms)),
                ("month_year_dates", self.month_year_dates), ("protected_terms", frozen(self.protected_terms)),
                ("recogniser_names", frozen(self.recogniser_names)), ("use_ner", self.use_ner))

    def _apply(self, text: str, record_id: str, spans: list[Span], speaker: str | None) -> RedactionResult:
        pseudonyms = self._map()
        pieces, found, cursor = [], [], 0
        for span in spans:
            replacement = pseudonyms.replace(span.label, text[span.start:span.end])
            pieces.append(text[cursor:span.start])
            pieces.append(replacement)
            cursor = span.end
            found.append(Entity(span.start, span.end, span.label, replacement, span.source, span.score))
        pieces.append(text[cursor:])
        return RedactionResult(record_id, "".join(pieces), tuple(found), speaker)

    def _map(self) -> PseudonymMap:
        if self._pseudonyms is None:
            self._pseudonyms = PseudonymMap(Operator(self.operator))
        return self._pseudonyms

    def _active_recognisers(self) -> list[recognisers.Recogniser]:
        if self._recognisers is None:
            self._map()  # validates the operator before any work
            names = list(self.recogniser_names or recognisers.RULE_RECOGNISERS)
            if self.recogniser_names is None and self.use_ner:
                names.append("ner")
            made = [recognisers.create(name) for name in names]
            self._recognisers = [self._configured(r) for r in made]
        return self._recognisers

    def _configured(self, recogniser: recognisers.Recogniser) -> recognisers.Recogniser:
        """A built-in recogniser with this redactor's settings for it."""
        if recogniser.name == "ner":
            return type(recogniser)(batch_size=self.batch_size, n_process=self.n_process)  # type: ignore[call-arg]
        if recogniser.name == "dates":
            return type(recogniser)(month_year=self.month_year_dates)  # type: ignore[call-arg]
        return recogniser

    def _protected_terms(self) -> ProtectedTerms:
        if self._protected is None:
            base = gazetteer.default_protected_terms() if self.protected_terms is None else tuple(self.protected_terms)
            self._protected = ProtectedTerms((*base, *self.extra_protected_terms))
        return self._protected

    def _ids(self, ids: Iterable[str] | None, count: int) -> list[str]:
        if ids is None:
            start, self._count = self._count, self._count + count
            return [str(start + offset) for offset in range(count)]
        self._count += count
        return [str(i) for i in self._aligned(ids, count, "ids")]

    @staticmethod
    def _aligned(values: Iterable | None, count: int, what: str) -> list:
        if values is None:
            return [None] * count
        values = list(values)
        if len(values) != count:
            raise UsageError(f"{len(values)} {what} given for {count} texts; pass one per text (or None)")
        return values


def _resolve_with(text: str, spans: list[Span], extra: list[Span], protected: ProtectedTerms) -> list[Span]:
    """Resolve again only when something was added (resolving is the costly part)."""
    return resolve(text, spans + extra, protected) if extra else spans


def is_role_label(label: str) -> bool:
    """Whether a speaker label names a role ("Interviewer", "P4") rather than a person."""
    return bool(gazetteer.ROLE_LABEL.match(label))
