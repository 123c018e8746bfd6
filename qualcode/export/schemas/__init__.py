"""The REFI-QDA (QDA-XML 1.0) schemas, shipped with qualcode; provenance in README.md here.

Loaded from the package's own files, so they work from a checkout and from an installed wheel
alike, and loaded once: a schema takes a moment to build.

>>> project_schema().is_valid(open("project.qde", "rb"))  # doctest: +SKIP
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import xmlschema

PROJECT_SCHEMA = "Project-mrt2019.xsd"
CODEBOOK_SCHEMA = "Codebook.xsd"


@cache
def project_schema() -> xmlschema.XMLSchema:
    """The schema of ``project.qde``, the XML inside a ``.qdpx`` (namespace
    ``urn:QDA-XML:project:1.0``, root ``Project``)."""
    return _load(PROJECT_SCHEMA)


@cache
def codebook_schema() -> xmlschema.XMLSchema:
    """The schema of a ``.qdc`` codebook (namespace ``urn:QDA-XML:codebook:1.0``, root
    ``CodeBook``)."""
    return _load(CODEBOOK_SCHEMA)


def _load(name: str) -> xmlschema.XMLSchema:
    # Neither schema imports or includes another, so reading from a stream (no base URL) is
    # enough, and a stream also works where the package is not a plain folder.
    with resources.files(__package__).joinpath(name).open("rb") as stream:
        return xmlschema.XMLSchema(stream)
