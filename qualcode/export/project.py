"""What a REFI-QDA project holds once read, and how its codings map onto qualcode segments.

Other tools let a coder highlight any stretch of text; qualcode codes whole segments (speaker
turns, survey answers, note bullets). :meth:`QdpxProject.codings_for` bridges the two with
one rule, chosen so that sloppy highlighting still counts and a stray character does not:

    A selection codes a segment when they overlap by at least half the length of the
    shorter of the two.

So highlighting most of a turn codes that turn; highlighting a phrase inside a long turn
codes the turn (the whole phrase lies inside it); a selection spanning several turns codes
each turn it mostly covers; a selection that clips the first word of the next turn does not
code that turn. Interviewer turns are never coded, as everywhere in qualcode.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from qualcode.codebook.qdc import code_guid
from qualcode.model import Codebook, Coding, Segment

HUMAN = "human"


@dataclass(frozen=True)
class QdpxUser:
    guid: str
    name: str


@dataclass(frozen=True)
class QdpxCode:
    """A code of the project's codebook.

    ``code_id`` is the qualcode id: the one qualcode wrote (``qualcode id:`` in the
    Description) or else the name made into an id (``"Work-life balance"`` ->
    ``work_life_balance``), exactly as :func:`~qualcode.codebook.qdc.read_qdc` does.
    ``codable`` is False for the pure categories some tools write (QualCoder, NVivo folders).
    """

    guid: str
    code_id: str
    name: str
    parent_guid: str | None
    colour: str | None
    description: str
    codable: bool = True


@dataclass(frozen=True)
class QdpxSource:
    """A text source. ``text`` is LF-only, and every selection's offsets refer to it; it is
    None when the text is not inside the project (an external file), see ``problems``."""

    guid: str
    name: str
    text: str | None


@dataclass(frozen=True)
class QdpxSelection:
    """Codes one coder applied to one stretch of a source: ``text[start:end]``.

    Offsets count characters (code points) from 0; ``end`` is exclusive, as REFI-QDA
    positions lie between characters. A tool's selection coded by several users gives one
    value per user.
    """

    guid: str
    source_guid: str
    start: int
    end: int
    code_guids: tuple[str, ...]
    coder: str


@dataclass(frozen=True)
class Placement:
    """Codings placed on segments, and one line per source for selections that could not be."""

    codings: list[Coding]
    unplaced: tuple[str, ...] = ()


@dataclass(frozen=True)
class QdpxProject:
    """A REFI-QDA project as read by :func:`~qualcode.export.read_qdpx`.

    ``problems`` lists what could not be used, one readable line each (a selection outside
    its text, a source whose text is not in the file, a coding of an unknown code); the rest
    of the project is still there.
    """

    path: str
    name: str
    origin: str
    users: tuple[QdpxUser, ...]
    codes: tuple[QdpxCode, ...]
    sources: tuple[QdpxSource, ...]
    selections: tuple[QdpxSelection, ...]
    codebook: Codebook
    problems: tuple[str, ...] = ()

    def source(self, key: str) -> QdpxSource:
        """The source with this GUID or name."""
        for source in self.sources:
            if key in (source.guid, source.name):
                return source
        raise KeyError(key)

    def codings_for(self, segments_by_source: Mapping[str, Sequence[Segment]],
                    codebook: Codebook | Mapping[str, str] | None = None) -> list[Coding]:
        """The project's codings as qualcode :class:`Coding` values on ``segments``.

        ``segments_by_source`` maps a source's name (qualcode names exported sources by
        document id) or GUID to the segments of that document, offsets into the same text.
        Sources it does not name are skipped. Each code becomes its ``code_id`` unless
        ``codebook`` says otherwise: a :class:`Codebook` matches codes by GUID, id or name
        (case ignored); a mapping maps a code's GUID or name to a code id.

        >>> project.codings_for({"int_01.txt": segments}, codebook)  # doctest: +SKIP
        [Coding(segment_id='int_01.txt:3', code_id='isolation', method='human', ...)]
        """
        return self.place(segments_by_source, codebook).codings

    def place(self, segments_by_source: Mapping[str, Sequence[Segment]],
              codebook: Codebook | Mapping[str, str] | None = None) -> "Placement":
        """:meth:`codings_for`, with a line for each source named whose selections code no
        segment (an interviewer turn, or less than half of any segment), and how many."""
        code_ids = self._code_ids(codebook)
        selections_of: dict[str, list[QdpxSelection]] = {}
        for selection in self.selections:
            selections_of.setdefault(selection.source_guid, []).append(selection)
        unique: dict[tuple[str, str, str], Coding] = {}
        unplaced = []
        for source in self.sources:
            segments = _segments_of(segments_by_source, source)
            if segments is None:
                continue
            missed = 0
            for selection in selections_of.get(source.guid, ()):
                coded = _coded_segments(selection, segments)
                missed += not coded
                for segment in coded:
                    for guid in selection.code_guids:
                        coding = Coding(segment.id, code_ids[guid], HUMAN, 1.0, "", selection.coder)
                        unique[(coding.segment_id, coding.code_id, coding.coder)] = coding
            if missed:
                unplaced.append(f"source {source.name!r}: {missed} coded selection(s) cover no "
                                "codable segment (an interviewer turn, or under half of any "
                                "segment) and are not counted")
        codings = sorted(unique.values(), key=lambda c: (c.coder, c.segment_id, c.code_id))
        return Placement(codings, tuple(unplaced))

    def _code_ids(self, codebook: Codebook | Mapping[str, str] | None) -> dict[str, str]:
        ids = {code.guid: code.code_id for code in self.codes}
        if codebook is None:
            return ids
        for code in self.codes:
            if isinstance(codebook, Codebook):
                match = _match(code, codebook)
                if match is not None:
                    ids[code.guid] = match
            elif code.guid in codebook or code.name in codebook:
                ids[code.guid] = codebook.get(code.guid, codebook.get(code.name, code.code_id))
        return ids


def overlaps_enough(start: int, end: int, segment: Segment) -> bool:
    """The matching rule of this module: overlap >= half the shorter of the two spans."""
    overlap = min(end, segment.end) - max(start, segment.start)
    shorter = min(end - start, segment.end - segment.start)
    return overlap > 0 and 2 * overlap >= shorter


def _coded_segments(selection: QdpxSelection, segments: Iterable[Segment]) -> list[Segment]:
    return [segment for segment in segments if not segment.is_interviewer
            and overlaps_enough(selection.start, selection.end, segment)]


def _segments_of(segments_by_source: Mapping[str, Sequence[Segment]],
                 source: QdpxSource) -> Sequence[Segment] | None:
    if source.guid in segments_by_source:
        return segments_by_source[source.guid]
    return segments_by_source.get(source.name)


def _match(code: QdpxCode, codebook: Codebook) -> str | None:
    """The codebook's id for ``code``: by GUID first (a code qualcode exported), then by its
    id or the name a person typed, read as :meth:`Codebook.id_for` reads any code label."""
    for candidate in codebook.codes:
        if code_guid(candidate.id) == code.guid.lower():
            return candidate.id
    return codebook.id_for(code.code_id) or codebook.id_for(code.name)
