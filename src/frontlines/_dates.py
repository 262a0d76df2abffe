"""Dates with a precision: "2015-05-21" (day), "2015-05" (some time in May 2015) or "2015" (some time in 2015)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

DATE_PATTERN = r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$"


def parse_dates(values: pd.Series, distinct: tuple[np.ndarray, pd.Series] | None = None) -> pd.DataFrame:
    """Parse text dates; the work is done once per distinct text (event tables repeat their dates).
    ``distinct`` gives the values' codes and distinct values when they are already known."""
    codes, uniques = distinct if distinct is not None else pd.factorize(values.astype(str).str.strip())
    parsed = _parse_unique(pd.Series(uniques, dtype=object))
    out = parsed.iloc[codes].reset_index(drop=True)
    out.index = values.index
    return out


def _parse_unique(values: pd.Series) -> pd.DataFrame:
    """Parse text dates, vectorised.

    Returns a frame with ``start`` (first day of the period, ``datetime64[ns]``, NaT when invalid),
    ``end`` (first day after the period), ``precision`` ("D", "M" or "Y", "" when invalid) and ``error``
    (why a value is invalid, "" when it is valid).
    """
    text = values.astype(str).str.strip()
    parts = text.str.extract(DATE_PATTERN)
    precision = np.select([parts["d"].notna(), parts["m"].notna(), parts["y"].notna()], ["D", "M", "Y"], "")
    year = pd.to_numeric(parts["y"], errors="coerce")
    plausible = year.between(1800, 2200).to_numpy()  # also keeps dates inside datetime64[ns]
    iso = (parts["y"] + "-" + parts["m"].fillna("01") + "-" + parts["d"].fillna("01")).where(plausible)
    start = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
    error = np.where(precision == "", "not a date",
                     np.where(~plausible, "implausible year", np.where(start.isna(), "impossible date", "")))
    end = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for code, offset in (("D", pd.DateOffset(days=1)), ("M", pd.DateOffset(months=1)),
                         ("Y", pd.DateOffset(years=1))):
        mask = (precision == code) & start.notna().to_numpy()
        end[mask] = start[mask] + offset
    return pd.DataFrame({"start": start.astype("datetime64[ns]"), "end": end, "precision": precision,
                         "error": error}, index=values.index)


def format_dates(start: pd.Series, precision: pd.Series) -> pd.Series:
    """Text of dates at their precision ("D", "M" or "Y"): the inverse of :func:`parse_dates`."""
    codes = pd.Series(precision).map(PRECISION_CODES).fillna(-1).to_numpy(np.int64)
    return pd.Series(format_coded(pd.Series(start).to_numpy(), codes), index=pd.Series(start).index)


PRECISION_CODES = {"D": 0, "M": 1, "Y": 2}


def format_coded(start: np.ndarray, precision: np.ndarray) -> np.ndarray:
    """Like :func:`format_dates` for arrays: ``precision`` holds codes (0 day, 1 month, 2 year, -1 none)."""
    day = np.datetime_as_string(np.asarray(start, dtype="datetime64[ns]").astype("datetime64[D]"))
    text = np.where(precision == 0, day, np.where(precision == 1, day.astype("U7"), day.astype("U4")))
    return np.where((precision < 0) | (day == "NaT"), "", text).astype(object)


def parse_query_date(value: object) -> pd.Timestamp:
    """A single date asked for by a user (``"2017-01-25"``, a ``date`` or a ``Timestamp``)."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return pd.Timestamp(value.strip())
        except ValueError:
            pass  # an impossible date: explained below
    if isinstance(value, str):
        parsed = parse_dates(pd.Series([value]))
        if parsed["error"].iloc[0]:
            raise ValueError(f"date {value!r} is {parsed['error'].iloc[0]}: write it as YYYY-MM-DD, "
                             "e.g. 2017-01-25")
        return pd.Timestamp(parsed["start"].iloc[0])
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"date {value!r} is not a date: write it as YYYY-MM-DD, e.g. 2017-01-25") from exc
    if stamp is pd.NaT:
        raise ValueError("date is missing: write it as YYYY-MM-DD, e.g. 2017-01-25")
    return stamp.tz_localize(None).normalize() if stamp.tzinfo else stamp.normalize()
