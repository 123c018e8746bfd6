"""The recogniser protocol and the registry that picks recognisers by name.

A recogniser finds spans in text and knows nothing of the others; the redactor runs the ones
named in its settings and resolves their overlaps. Pattern recognisers are cheap and
stateless; the NER recogniser loads a model lazily and prefers whole batches, so the protocol
has an optional batched method.
"""

from __future__ import annotations

from typing import Callable, Protocol, Sequence, runtime_checkable

from ..errors import UsageError
from ..model import Span


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


_REGISTRY: dict[str, Callable[[], Recogniser]] = {}


def register(name: str, factory: Callable[[], Recogniser]) -> None:
    """Make a recogniser available by name (a factory, so nothing loads at import time)."""
    _REGISTRY[name] = factory


def available() -> tuple[str, ...]:
    _ensure_builtins()
    return tuple(sorted(_REGISTRY))


def create(name: str) -> Recogniser:
    """A new recogniser of the registered ``name``."""
    _ensure_builtins()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise UsageError(f"unknown recogniser {name!r}; choose from: {known}") from None
    return factory()


# Rule-based recognisers, run always; "ner" is added when the redactor uses the model.
RULE_RECOGNISERS: tuple[str, ...] = (
    "identifiers", "contacts", "dates", "ages", "addresses", "organisations", "names", "name-cues",
    "places",
)


def _ensure_builtins() -> None:
    # Imported late: the recogniser modules import this one to register themselves.
    from . import addresses, contacts, identifiers, name_cues, names, ner, organisations, places, temporal  # noqa: F401
