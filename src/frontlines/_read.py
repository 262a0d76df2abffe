"""Read a CSV table into strings, with line numbers, collecting problems instead of raising at the first."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import process

from .errors import Problem

LINE = "_line"  # column holding each row's line number in its file
MAX_FIELD = 10_000  # longer cells are almost always an unclosed quote swallowing the rest of the file


@dataclass
class RawTable:
    """A table read as text: every cell a string ("" when empty), plus each row's line number."""

    path: Path
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    _distinct: dict = field(default_factory=dict, repr=False)  # column -> (codes, distinct values)

    def distinct(self, column: str) -> tuple[np.ndarray, pd.Series]:
        """Codes of each row's value in ``column`` and the distinct values, computed once per column (tables
        repeat their dates, kinds, places and actors, so work on the distinct values is work saved)."""
        if column not in self._distinct:
            values = self.frame[column]
            codes, uniques = pd.factorize(values, use_na_sentinel=False)
            self._distinct[column] = (codes, pd.Series(uniques, dtype=values.dtype))
        return self._distinct[column]

    def set_column(self, column: str, values, distinct: tuple[np.ndarray, pd.Series] | None = None) -> None:
        """Replace a column; ``distinct`` gives its codes and distinct values when known (else they are computed
        again when asked)."""
        self.frame[column] = values
        if distinct is None:
            self._distinct.pop(column, None)
        else:
            self._distinct[column] = distinct

    def by_distinct(self, column: str, fn) -> pd.Series:
        """``fn`` of each distinct value of ``column``, mapped back to every row (the column itself when ``fn``
        changes nothing)."""
        codes, uniques = self.distinct(column)
        result = fn(uniques)
        if result.dtype == uniques.dtype and bool(result.eq(uniques).all()):
            return self.frame[column]
        return pd.Series(pd.array(result).take(codes), index=self.frame.index)

    @property
    def name(self) -> str:
        return self.path.name

    def problem(self, line: int, column: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.name, line, column, message, hint))

    def problems_at(self, mask: pd.Series | np.ndarray, column: str, message: str, hint: str = "") -> None:
        """Add one problem per row selected by ``mask``; ``message`` may use ``{value}``."""
        rows = self.frame.loc[np.asarray(mask), [LINE, column]] if column in self.frame else None
        if rows is None:
            return
        for line, value in zip(rows[LINE].tolist(), rows[column].tolist(), strict=True):
            self.problem(line, column, message.format(value=_clip(value)), hint)


def _clip(value: object, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_table(path: str | Path | pd.DataFrame, columns: tuple[str, ...], required: tuple[str, ...]) -> RawTable:
    """Read ``path`` as a table of text with the expected ``columns``.

    Problems with the file itself (missing, a directory, not text, empty, missing columns) are collected in
    the returned table's ``problems``; the frame is then empty but has every expected column.
    """
    if isinstance(path, pd.DataFrame):
        return _from_frame(path, columns, required)
    path = Path(path)
    table = RawTable(path, pd.DataFrame({c: pd.Series(dtype=str) for c in (*columns, LINE)}))
    if not path.exists():
        table.problem(0, "", "file not found", f"check the path {str(path)!r}")
        return table
    if path.is_dir():
        table.problem(0, "", "is a directory, not a table", "give the path of a CSV file")
        return table
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text = _decode(raw, table)
    if text is None:
        return table
    if not text or text.isspace():
        table.problem(1, "", "the file is empty", f"a table needs a header row: {','.join(columns)}")
        return table
    end = text.find("\n")
    delimiter = _sniff_delimiter(text if end < 0 else text[:end])
    del text  # the bytes are parsed directly: no second copy of a large file as text
    frame = _parse_csv(raw, delimiter, table)
    if frame is None:
        return table
    frame.columns = [str(c).strip().lower().replace(" ", "_") for c in frame.columns]
    _check_columns(table, list(frame.columns), columns, required)
    if any(p.line == 1 for p in table.problems):
        return table
    # Per column, one factorisation; stripping, line breaks and lengths are computed on the distinct values.
    newlines = np.zeros(len(frame), dtype=np.int64)
    long_cells, distinct = {}, {}
    for column in frame.columns:
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=False)
        uniques = pd.Series(uniques, dtype=frame[column].dtype)
        stripped = uniques.str.strip()
        if not bool(stripped.eq(uniques).all()):
            recode, uniques = pd.factorize(stripped, use_na_sentinel=False)
            codes, uniques = recode[codes], pd.Series(uniques, dtype=stripped.dtype)
            frame[column] = pd.Series(pd.array(uniques).take(codes), index=frame.index)
        distinct[column] = (codes, uniques)
        newlines += uniques.str.count("\n").to_numpy(dtype=np.int64)[codes]
        long_cells[column] = (uniques.str.len() > MAX_FIELD).to_numpy(dtype=bool)[codes]
    frame[LINE] = 2 + np.arange(len(frame)) + np.concatenate([[0], np.cumsum(newlines)[:-1]])
    for column, long in long_cells.items():
        for line in frame.loc[long, LINE]:
            table.problem(line, column, f"the value is longer than {MAX_FIELD:,} characters",
                          "is a quote left open? a field must end with the quote that opens it")
    for column in columns:
        if column not in frame:
            frame[column] = ""
    table.frame = frame[[*columns, LINE]].reset_index(drop=True)
    for column in columns:
        if column in distinct:
            table.set_column(column, table.frame[column], distinct[column])
    if table.frame.empty:
        table.problem(1, "", "the table has a header but no rows", "add at least one row below the header")
    return table


def _from_frame(frame: pd.DataFrame, columns: tuple[str, ...], required: tuple[str, ...]) -> RawTable:
    """A table given as a DataFrame: checked like a file, rows numbered as the lines a CSV of it would have."""
    table = RawTable(Path("<DataFrame>"), pd.DataFrame({c: pd.Series(dtype=str) for c in (*columns, LINE)}))
    frame = frame.copy()
    frame.columns = [str(c).strip().lower().replace(" ", "_") for c in frame.columns]
    _check_columns(table, list(frame.columns), columns, required)
    if table.problems:
        return table
    for column in columns:
        if column not in frame:
            frame[column] = ""
        elif pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    text = frame[list(columns)].astype("string").fillna("").astype(str).apply(lambda s: s.str.strip())
    text[LINE] = np.arange(len(text)) + 2
    table.frame = text.reset_index(drop=True)
    if table.frame.empty:
        table.problem(1, "", "the table has no rows", "add at least one row")
    return table


def _parse_csv(raw: bytes, delimiter: str, table: RawTable) -> pd.DataFrame | None:
    """Parse CSV bytes as text columns: Arrow's multi-threaded reader (no Python object per cell), or
    pandas' C parser when Arrow refuses the file, whose messages say what is wrong."""
    try:
        return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, sep=delimiter, engine="pyarrow")
    except ValueError:  # Arrow's refusals (ArrowInvalid, ParserError): the C parser reads it or says why
        pass
    try:
        return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, sep=delimiter,
                           skipinitialspace=False, engine="c", encoding="utf-8")
    except (pd.errors.ParserError, csv.Error) as exc:
        table.problem(0, "", f"cannot be read as CSV ({exc})", "check the quoting of fields")
        return None


def _decode(raw: bytes, table: RawTable) -> str | None:
    if b"\x00" in raw[:4096]:
        table.problem(0, "", "is not a text file (it holds NUL bytes; UTF-16 or binary?)",
                      "save it as CSV in UTF-8")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        table.problem(line, "", f"is not UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start})",
                      "save the file as CSV UTF-8 (in Excel: Save As > CSV UTF-8)")
        return None


def _sniff_delimiter(header: str) -> str:
    # Spreadsheets in many locales export with semicolons; tabs come from copy and paste.
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.__getitem__) if max(counts.values()) else ","


def _check_columns(table: RawTable, found: list[str], columns: tuple[str, ...], required: tuple[str, ...]) -> None:
    missing = [c for c in required if c not in found]
    unknown = [c for c in found if c not in columns]
    for column in missing:
        guess = process.extractOne(column, unknown) if unknown else None
        hint = (f"did you mean to name column '{guess[0]}' '{column}'?" if guess and guess[1] >= 70
                else f"the header must name the columns {', '.join(required)}")
        table.problem(1, column, "required column is missing", hint)
    for column in unknown:
        if column.startswith("unnamed:") or not column:
            continue
        guess = process.extractOne(column, [c for c in columns if c not in found])
        if guess and guess[1] >= 70 and guess[0] not in required:
            table.problem(1, column, "unknown column", f"did you mean '{guess[0]}'?")


