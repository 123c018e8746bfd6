"""The rules every codebook meets, whichever file it came from, and the keyword syntax.

Kept apart from the YAML reader so a codebook read from REFI-QDA XML is held to the same
rules. Problems are ``(line, message)`` pairs; :func:`raise_if_any` turns them into one
:class:`~qualcode.errors.CodebookError` listing them all, in file order.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import CodebookError
from qualcode.model import Code

# The semantic coder compares each segment with a code's examples; fewer than this gives it
# too little to go on, and a code nobody can illustrate is not ready to be applied.
MIN_EXAMPLES = 3

# Names other tools and codebook templates use for our fields; difflib cannot guess these.
ALIASES = {"description": "definition", "label": "name", "title": "name", "color": "colour",
           "inclusion": "include", "exclusion": "exclude", "parent_id": "parent",
           "cues": "keywords", "terms": "keywords", "non_examples": "counterexamples",
           "negative_examples": "counterexamples", "near_misses": "counterexamples"}

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
_WORD = re.compile(r"[\w'’&.-]*[^\W_][\w'’&.-]*")
_KEYWORD_FIX = ("write words separated by spaces; 'word*' (3+ letters before '*') matches any "
                "ending and '<word>' any inflection")


def keyword_regex(keyword: str) -> re.Pattern[str]:
    """A case-insensitive pattern for ``keyword``, for coders without a lemmatiser.

    Keywords are phrases matched on whole words, case-insensitively; ``word*`` matches any
    ending and ``<word>`` any inflection of a lemma, approximated here as ``word*`` (so
    irregular forms such as ``felt`` for ``<feel>`` need their own keyword).

    >>> bool(keyword_regex("<burn> out").search("I'm burnt out"))
    True
    """
    parts = []
    for token in keyword.split():
        body = token.strip("<>").rstrip("*")
        wildcard = token.endswith("*") or (token.startswith("<") and token.endswith(">"))
        parts.append(re.escape(body) + (r"\w*" if wildcard else ""))
    pattern = r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"
    # Typed and typographic apostrophes are both common in transcripts.
    return re.compile(re.sub(r"['’]", "['’]", pattern), re.IGNORECASE)


def setting_term_key(term: str) -> str:
    """How a codebook's setting term is compared and looked up: any case, any run of spaces."""
    return " ".join(term.split()).casefold()


def keyword_problem(keyword: str) -> str | None:
    """What is wrong with ``keyword``'s syntax, or None when it is fine."""
    for token in keyword.split() or [""]:
        lemma = len(token) > 2 and token.startswith("<") and token.endswith(">")
        body = token[1:-1] if lemma else token[:-1] if token.endswith("*") else token
        if not _WORD.fullmatch(body):
            return f"{keyword!r} is not a valid keyword; {_KEYWORD_FIX}"
        if token.endswith("*") and len(body) < 3:
            return f"{keyword!r} has a wildcard after fewer than 3 letters, which matches too much"
    return None


@dataclass(frozen=True)
class Entry:
    """A code as read, with where its fields were written and which were already reported."""

    index: int
    code: Code
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)
    reported: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return f"code {self.code.id!r}" if ID_PATTERN.match(self.code.id) else f"code #{self.index}"


def problem(path: Path, line: int, where: str, message: str) -> tuple[int, str]:
    """One problem as (line, message), the message naming file, line and field."""
    return line, f"{path}, line {line}, {where}: {message}"


def raise_if_any(path: Path, problems: list[tuple[int, str]], note: str = "") -> None:
    """Raise one CodebookError listing every problem in file order, if there are any."""
    if problems:
        listed = "\n".join(f"  {message}" for _, message in sorted(problems)) + note
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        them = "them" if len(problems) > 1 else "it"
        raise CodebookError(f"{path}: {count} in this codebook; fix {them} and load it again:\n"
                            f"{listed}")


def did_you_mean(key: str, choices: tuple[str, ...]) -> str:
    """A "; did you mean 'x'?" hint for a misspelt field or id, or "" when nothing is close."""
    guess = ALIASES.get(key.lower()) or next(
        iter(difflib.get_close_matches(key.lower(), choices, n=1, cutoff=0.6)), None)
    return f"; did you mean {guess!r}?" if guess in choices else ""


def check_codes(entries: list[Entry], path: Path) -> list[tuple[int, str]]:
    """The rules every codebook must meet, whatever file it came from."""
    problems: list[tuple[int, str]] = []

    def add(entry: Entry, name: str, message: str) -> None:
        line = entry.field_lines.get(name, entry.line)
        problems.append(problem(path, line, f"{entry.label}, field '{name}'", message))

    by_id: dict[str, Entry] = {}
    for entry in entries:
        code, skip = entry.code, entry.reported
        if "id" not in skip:
            if not code.id:
                add(entry, "id", "is missing; give every code a short unique id, e.g. 'isolation'")
            elif not ID_PATTERN.match(code.id):
                suggestion = re.sub(r"[^a-z0-9_-]+", "_", code.id.lower()).strip("_-")
                add(entry, "id", f"{code.id!r} is not a valid id; use lowercase letters, digits, "
                    f"'_' and '-', e.g. {suggestion or 'isolation'!r}")
            elif code.id in by_id:
                add(entry, "id", f"{code.id!r} is already the id of the code on line "
                    f"{by_id[code.id].line}; give each code its own id")
            else:
                by_id[code.id] = entry
        if "definition" not in skip and not code.definition:
            add(entry, "definition", "is missing or empty; write one or two sentences saying what "
                "the code captures (coders, human and automatic, apply it from this)")
        if "examples" not in skip and len(code.examples) < MIN_EXAMPLES:
            add(entry, "examples", f"has {len(code.examples)} example(s); the semantic coder "
                f"needs at least {MIN_EXAMPLES} excerpts that should get this code (10 or more, "
                "in varied wording, work best)")
        both = set(code.examples) & set(code.counterexamples)
        if both and not {"examples", "counterexamples"} & skip:
            add(entry, "counterexamples", f"{len(both)} excerpt(s) are also listed as examples; "
                "keep each excerpt in one list")
        for keyword in code.keywords if "keywords" not in skip else ():
            if message := keyword_problem(keyword):
                add(entry, "keywords", message)
        if code.colour is not None and "colour" not in skip \
                and not COLOUR_PATTERN.match(code.colour):
            add(entry, "colour", f"{code.colour!r} is not a colour; write it as \"#RRGGBB\" in "
                "quotes, e.g. \"#1f77b4\"")
    for entry in entries:
        parent = entry.code.parent
        if parent and parent not in by_id and "parent" not in entry.reported:
            add(entry, "parent", f"{parent!r} is not the id of any code; use an existing id or "
                f"null{did_you_mean(parent, tuple(by_id))}")
    for cycle in _cycles(by_id):
        add(by_id[cycle[0]], "parent", f"parents go round in a circle ({' -> '.join(cycle)}); "
            "a code cannot sit under itself, so give one of them another parent or null")
    return problems


def _cycles(by_id: dict[str, Entry]) -> list[list[str]]:
    """Each cycle of parents once, as ids from its smallest id back round to it."""
    cycles: dict[frozenset[str], list[str]] = {}
    for start in by_id:
        chain: list[str] = []
        current: str | None = start
        while current in by_id and current not in chain:
            chain.append(current)
            current = by_id[current].code.parent
        if current in chain:
            ring = chain[chain.index(current):]
            first = ring.index(min(ring))
            ring = ring[first:] + ring[:first]
            cycles.setdefault(frozenset(ring), ring + [ring[0]])
    return list(cycles.values())

