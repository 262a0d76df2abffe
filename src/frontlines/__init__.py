"""frontlines: maps of territorial control rebuilt from a table of sourced, dated events."""

from __future__ import annotations

from .atlas import Atlas, load
from .errors import FrontlinesError, FrontlinesWarning, OutputError, Problem, TableError, UnknownNameError

__version__ = "0.1.0"
__all__ = ["Atlas", "FrontlinesError", "FrontlinesWarning", "OutputError", "Problem", "TableError",
           "UnknownNameError", "__version__", "load"]
