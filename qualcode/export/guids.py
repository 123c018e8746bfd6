"""Stable GUIDs for everything qualcode writes into a REFI-QDA project.

REFI tools match users, codes and sources across imports by GUID, so a GUID must depend only
on the id of what it names, never on time or chance: exporting the same project twice gives
the same GUIDs, and a re-import updates instead of duplicating. Codes use the codebook
module's :func:`~qualcode.codebook.qdc.code_guid`, so a ``.qdc`` codebook and a ``.qdpx``
project written by qualcode agree on every code's GUID. Every other kind of object gets its
own namespace (derived from the same root) so that a user and a code that happen to share a
name still get different GUIDs, as the standard requires GUIDs to be unique in a project.
"""

from __future__ import annotations

import uuid

from qualcode.codebook.qdc import GUID_NAMESPACE, code_guid

__all__ = ["case_guid", "code_guid", "coding_guid", "selection_guid", "source_guid",
           "user_guid", "variable_guid"]


def _kind_namespace(kind: str) -> uuid.UUID:
    return uuid.uuid5(GUID_NAMESPACE, f"qualcode:{kind}")


_USER = _kind_namespace("user")
_SOURCE = _kind_namespace("source")
_CASE = _kind_namespace("case")
_VARIABLE = _kind_namespace("variable")
_SELECTION = _kind_namespace("selection")
_CODING = _kind_namespace("coding")


def user_guid(coder: str) -> str:
    """The GUID of a coder (a person, or a machine coder such as ``"qualcode:semantic"``)."""
    return str(uuid.uuid5(_USER, coder))


def source_guid(document_id: str) -> str:
    return str(uuid.uuid5(_SOURCE, document_id))


def case_guid(case_key: str) -> str:
    return str(uuid.uuid5(_CASE, case_key))


def variable_guid(name: str) -> str:
    return str(uuid.uuid5(_VARIABLE, name))


def selection_guid(segment_id: str, coder: str, code_id: str) -> str:
    """The GUID of the selection holding one coder's coding of one segment with one code.

    qualcode writes one selection per coding (see :mod:`qualcode.export.write`), so the code
    is part of what the selection names; without it two codes of one segment by one coder
    would share a GUID.
    """
    # A tab cannot occur in a segment id, a coder name read from a file header or a code id,
    # so the triple maps to one string only.
    return str(uuid.uuid5(_SELECTION, f"{segment_id}\t{coder}\t{code_id}"))


def coding_guid(segment_id: str, coder: str, code_id: str) -> str:
    return str(uuid.uuid5(_CODING, f"{segment_id}\t{coder}\t{code_id}"))
