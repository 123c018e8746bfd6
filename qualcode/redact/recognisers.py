"""The recogniser protocol and the registry that picks recognisers by name (a table of the
built-ins, and :func:`register` for others, as Presidio's registry does).

A recogniser finds spans in text and knows nothing of the others; the redactor runs the ones
named in its settings and resolves their overlaps. Pattern recognisers are cheap and
stateless; the NER recogniser loads a model lazily and prefers whole batches, so the protocol
has an optional batched method.
"""

from __future__ import annotations

from typing import Callable, Protocol, Sequence, runtime_checkable

from ..errors import UsageError
from ..model import Span
from .addresses import AddressRecogniser
from .contacts import ContactRecogniser
from .identifiers import IdentifierRecogniser
from .name_cues import NameCueRecogniser
from .names import NameRecogniser
from .ner import NerRecogniser
from .organisations import OrganisationRecogniser
from .places import PlaceRecogniser
from .temporal import AgeRecogniser, DateRecogniser


@runtime_checkable
class Recogniser(Protocol):
    """Finds spans to redact in one text. Offsets are into that text."""

    name: str

    def find(self, text: str) -> list[Span]:
        ...


def find_batch(recogniser: Recogniser, texts: Sequence[str]) -> list[list[Span]]:
    """Run ``recogniser`` over many texts, through its batched method when it has one."""
    batched = getattr(recogniser, "find_batch", None)
    if batched is not None:
        return batched(texts)
    return [recogniser.find(text) for text in texts]


# The built-in recognisers by name. The table is the one place that knows them all; they
# know nothing of it (no module registers itself), so the imports run one way only.
BUILTINS: dict[str, Callable[[], Recogniser]] = {
    "identifiers": IdentifierRecogniser,
    "contacts": ContactRecogniser,
    "dates": DateRecogniser,
    "ages": AgeRecogniser,
    "addresses": AddressRecogniser,
    "organisations": OrganisationRecogniser,
    "names": NameRecogniser,
    "name-cues": NameCueRecogniser,
    "places": PlaceRecogniser,
    "ner": NerRecogniser,
}
_REGISTRY: dict[str, Callable[[], Recogniser]] = dict(BUILTINS)

# Rule-based recognisers, run always; "ner" is added when the redactor uses the model.
RULE_RECOGNISERS: tuple[str, ...] = (
    "identifiers", "contacts", "dates", "ages", "addresses", "organisations", "names", "name-cues",
    "places",
)


def register(name: str, factory: Callable[[], Recogniser]) -> None:
    """Make another recogniser available by name (a factory, so nothing loads at import time)."""
    _REGISTRY[name] = factory


def available() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


def create(name: str) -> Recogniser:
    """A new recogniser of the registered ``name``."""
    try:
        factory = _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise UsageError(f"unknown recogniser {name!r}; choose from: {known}") from None
    return factory()
