"""Public exceptions and warnings of frontlines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in an input table, located by file, line and column."""

    file: str
    line: int
    column: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        column = f" column '{self.column}':" if self.column else ""
        hint = f"; {self.hint}" if self.hint else ""
        return f"{where}:{column} {self.message}{hint}"


class FrontlinesError(Exception):
    """Base class of every error frontlines raises on purpose."""


class TableError(FrontlinesError, ValueError):
    """One or more input tables have problems; ``problems`` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownNameError(FrontlinesError, LookupError):
    """A place or actor name that resolves to nothing, or to several things."""

    def __init__(self, message: str, suggestions: Iterable[str] = ()):
        self.suggestions = list(suggestions)
        super().__init__(message)

    def __str__(self) -> str:  # LookupError would quote the message like a key
        return str(self.args[0])


class OutputError(FrontlinesError, OSError):
    """An output file cannot be written where it was asked for."""


class FrontlinesWarning(UserWarning):
    """Something in the data is odd but usable."""
