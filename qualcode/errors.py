"""The exceptions qualcode raises on purpose.

Every error the library raises deliberately derives from :class:`QualcodeError`, so callers
(and the CLI) can tell a problem with the user's input from a bug. Messages say what is wrong
and what to do, and never contain original text from the inputs (privacy: errors end up in
logs and terminals).
"""

from __future__ import annotations


class QualcodeError(Exception):
    """Base class of every error qualcode raises on purpose."""


class InputError(QualcodeError):
    """An input file cannot be used (wrong format, corrupt, too large, undecodable...)."""

    def __init__(self, path: str, problem: str, fix: str) -> None:
        self.path = path
        self.problem = problem
        self.fix = fix
        super().__init__(f"{path}: {problem}; {fix}")


class UsageError(QualcodeError):
    """The options given do not make sense together, or name something that does not exist."""


class StoreError(QualcodeError):
    """The project database cannot be opened or written."""


class CodebookError(QualcodeError):
    """A codebook file is invalid; the message names file, line and field."""


class AgreementError(QualcodeError):
    """Agreement statistics were asked of data that cannot give them."""


class ModelError(QualcodeError):
    """A model package is missing; the message names the package to install."""
