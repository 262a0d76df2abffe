"""Read and validate the three tables (places, actors, events), reporting every problem at once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
from rapidfuzz import process

from ._dates import parse_dates
from ._names import NameIndex
from ._paths import bundled
from ._read import LINE, RawTable, read_table
from ._schema import (
    ACTOR_COLUMNS,
    ACTOR_REQUIRED,
    CONFIDENCE,
    EVENT_COLUMNS,
    EVENT_KINDS,
    EVENT_REQUIRED,
    PLACE_COLUMNS,
    PLACE_REQUIRED,
)
from .errors import TableError

Source: TypeAlias = str | Path | pd.DataFrame  # a CSV file, or a table already in memory
COLOUR_PATTERN = r"^#[0-9A-Fa-f]{6}$"
URL_PATTERN = r"^https?://[^\s<>\"']+$"


@dataclass
class Tables:
    """The three validated tables (problems raise :class:`TableError` before one is made)."""

    places: pd.DataFrame
    actors: pd.DataFrame
    events: pd.DataFrame
    place_index: NameIndex
    actor_index: NameIndex


def _require(table: RawTable, columns: tuple[str, ...]) -> None:
    for column in columns:
        table.problems_at(table.frame[column].eq(""), column, "value is missing", f"fill in '{column}'")


def read_places(path: Source) -> RawTable:
    table = read_table(path, PLACE_COLUMNS, PLACE_REQUIRED)
    frame = table.frame
    _require(table, PLACE_REQUIRED)
    for column, low, high in (("lat", -90, 90), ("lon", -180, 180)):
        value = pd.to_numeric(frame[column], errors="coerce")
        table.problems_at(value.isna() & frame[column].ne(""), column, "'{value}' is not a number",
                          "write decimal degrees, e.g. 35.95")
        projected = value.abs() > 1000
        table.problems_at(projected, column, f"{{value}} is outside {low}..{high}",
                          "this looks like projected coordinates in metres: give WGS84 degrees (EPSG:4326)")
        table.problems_at(((value < low) | (value > high)) & ~projected, column,
                          f"{{value}} is outside {low}..{high}", "are lat and lon swapped?")
        frame[column] = value
    population = pd.to_numeric(frame["population"].str.replace(",", ""), errors="coerce")
    table.problems_at(population.isna() & frame["population"].ne(""), "population", "'{value}' is not a number",
                      "write a whole number or leave it empty")
    frame["population"] = population.astype("Float64").round().astype("Int64")
    duplicated = frame["place_id"].duplicated(keep="first") & frame["place_id"].ne("")
    first_line = frame.drop_duplicates("place_id").set_index("place_id")[LINE]
    for line, pid in zip(frame.loc[duplicated, LINE], frame.loc[duplicated, "place_id"], strict=True):
        table.problem(line, "place_id", f"duplicate id '{pid}' (first at line {first_line[pid]})",
                      "give every place its own id")
    _check_countries(table)
    parent_unknown = frame["parent"].ne("") & ~frame["parent"].isin(frame["place_id"])
    table.problems_at(parent_unknown, "parent", "parent '{value}' is not a place_id in this table",
                      "use the place_id of the containing place")
    return table


COUNTRY_TOLERANCE_KM = 6.0  # the bundled boundaries are simplified; the Golan lies in Israel's polygon


def _check_countries(table: RawTable) -> None:
    """Places with coordinates outside their country (when the bundled boundaries know it), and swapped lat/lon."""
    frame = table.frame
    countries = _countries()
    usable = frame["country"].isin(countries.index) & frame["lat"].between(-90, 90) & frame["lon"].between(-180, 180)
    if not usable.any():
        return
    rows = frame[usable]
    own = gpd.GeoSeries(countries.geometry.reindex(rows["country"]).to_numpy(), crs=countries.crs)
    points = gpd.GeoSeries(gpd.points_from_xy(rows["lon"], rows["lat"]), crs=4326).to_crs(countries.crs)
    swapped = gpd.GeoSeries(gpd.points_from_xy(rows["lat"], rows["lon"]), crs=4326).to_crs(countries.crs)
    far = points.distance(own).to_numpy() > COUNTRY_TOLERANCE_KM * 1000
    swap_fits = swapped.distance(own).to_numpy() <= COUNTRY_TOLERANCE_KM * 1000
    for line, country, lat, lon, fits in zip(rows[LINE][far], rows["country"][far], rows["lat"][far],
                                             rows["lon"][far], swap_fits[far], strict=True):
        hint = "lat and lon look swapped" if fits else "check the coordinates and the country code"
        table.problem(line, "lat", f"({lat}, {lon}) lies outside {country}", hint)


@lru_cache(maxsize=1)
def _countries() -> gpd.GeoDataFrame:
    frame = gpd.read_file(bundled("geo/countries.geojson"))
    return frame.dissolve("country").to_crs(3857)


def read_actors(path: Source) -> RawTable:
    table = read_table(path, ACTOR_COLUMNS, ACTOR_REQUIRED)
    frame = table.frame
    _require(table, ACTOR_REQUIRED)
    table.problems_at(frame["colour"].ne("") & ~frame["colour"].str.match(COLOUR_PATTERN), "colour",
                      "'{value}' is not a colour", "write a hex colour like #1F77B4")
    table.problems_at(frame["actor"].duplicated() & frame["actor"].ne(""), "actor", "duplicate actor '{value}'",
                      "list each actor once; put other names in 'aliases'")
    unknown = frame["successor"].ne("") & ~frame["successor"].isin(frame["actor"])
    table.problems_at(unknown, "successor", "successor '{value}' is not an actor in this table",
                      "add it as an actor or fix the name")
    dates = parse_dates(frame["successor_date"])
    table.problems_at(frame["successor_date"].ne("") & dates["error"].ne(""), "successor_date",
                      "'{value}' is not a valid date", "write YYYY-MM-DD, YYYY-MM or YYYY")
    table.problems_at(frame["successor"].ne("") & frame["successor_date"].eq(""), "successor_date",
                      "a successor needs the date it took over", "write YYYY-MM-DD, YYYY-MM or YYYY")
    frame["successor_start"] = dates["start"]
    return table


def read_events(path: Source, places: NameIndex, actors: NameIndex, *, latest: pd.Timestamp | None = None
                ) -> RawTable:
    table = read_table(path, EVENT_COLUMNS, EVENT_REQUIRED)
    frame = table.frame
    _require(table, EVENT_REQUIRED)
    dates = parse_dates(frame["date"], distinct=table.distinct("date"))
    bad_date = frame["date"].ne("") & dates["error"].ne("")
    table.problems_at(bad_date & dates["error"].eq("not a date"), "date", "'{value}' is not a date",
                      "write YYYY-MM-DD, YYYY-MM (month known) or YYYY (year known)")
    table.problems_at(bad_date & dates["error"].eq("impossible date"), "date", "'{value}' is not a real date",
                      "check the day and month")
    table.problems_at(bad_date & dates["error"].eq("implausible year"), "date", "'{value}' has an implausible year",
                      "check the year")
    latest = latest if latest is not None else pd.Timestamp.now().normalize()
    table.problems_at(dates["start"] > latest, "date", "'{value}' is in the future", "check the year")
    frame["start"], frame["end"], frame["precision"] = dates["start"], dates["end"], dates["precision"]

    kinds = table.by_distinct("kind", lambda u: u.str.lower().str.replace(r"[\s-]+", "_", regex=True))
    for value, line in zip(frame.loc[kinds.ne("") & ~kinds.isin(list(EVENT_KINDS)), "kind"],
                           frame.loc[kinds.ne("") & ~kinds.isin(list(EVENT_KINDS)), LINE], strict=True):
        guess = process.extractOne(value.lower(), list(EVENT_KINDS))
        hint = f"did you mean '{guess[0]}'?" if guess and guess[1] >= 60 else ""
        table.problem(line, "kind", f"unknown kind '{value}'",
                      (hint + " " if hint else "") + "kinds are " + ", ".join(EVENT_KINDS))
    table.set_column("kind", kinds)
    confidence = table.by_distinct("confidence", lambda u: u.str.lower().replace("", "confirmed"))
    table.problems_at(~confidence.isin(CONFIDENCE), "confidence", "unknown confidence '{value}'",
                      "use " + ", ".join(CONFIDENCE) + " (empty means confirmed)")
    table.set_column("confidence", confidence)
    bad_url = table.by_distinct("url", lambda u: u.ne("") & ~u.str.match(URL_PATTERN)).to_numpy(dtype=bool)
    table.problems_at(pd.Series(bad_url, index=frame.index), "url",
                      "'{value}' is not an http(s) URL", "give the source's web address starting with https://")

    _resolve_column(table, "place", places, "place")
    _resolve_column(table, "actor", actors, "actor")
    _check_duplicates(table)
    return table


def _resolve_column(table: RawTable, column: str, index: NameIndex, what: str) -> None:
    """Add ``<column>_id``: the id each row's name resolves to ("" when it does not); names are matched once
    each, and every unknown or ambiguous name is a problem."""
    frame = table.frame
    codes, names = table.distinct(column)
    match = index.match(names)
    bad_name = ((match.how == "unknown") | (match.how == "ambiguous")) & names.ne("").to_numpy()
    for row in np.flatnonzero(bad_name[codes]):
        value, line = frame[column].iat[row], frame[LINE].iat[row]
        candidates = match.candidates(value)
        if match.how[codes[row]] == "ambiguous":
            table.problem(line, column, f"{what} '{value}' is ambiguous: it may be {index.describe(candidates)}",
                          f"write the {what} id instead")
        elif candidates:
            names_ = " or ".join(index.display.get(c, c) for c in candidates[:3])
            table.problem(line, column, f"unknown {what} '{value}'", f"did you mean {names_}?")
        else:
            table.problem(line, column, f"unknown {what} '{value}'", f"add it to the {what}s table")
    ids = np.where(bad_name, "", match.id.astype(object))
    id_codes, id_values = pd.factorize(ids)
    table.set_column(f"{column}_id", ids[codes], (id_codes[codes], pd.Series(id_values, dtype=object)))


def _check_duplicates(table: RawTable) -> None:
    frame = table.frame
    key = ["date", "place_id", "actor_id", "kind"]
    valid = frame["place_id"].ne("") & frame["date"].ne("")
    # Rows compared by the codes of their values (integers), not by their text.
    codes = pd.DataFrame({c: table.distinct(c)[0] for c in ("date", "place_id", "actor_id", "kind")},
                         index=frame.index)
    same = frame[valid & codes.duplicated(keep=False)]
    first = same.drop_duplicates(key).set_index(key)[LINE]
    repeats = same[same.duplicated(key, keep="first")]
    for line, first_line in zip(repeats[LINE], first.reindex(pd.MultiIndex.from_frame(repeats[key])), strict=True):
        table.problem(line, "", f"duplicate of the event at line {first_line}", "remove one of the two rows")
    taking = frame[valid & frame["kind"].isin(["captured"]) & frame["precision"].eq("D")]
    clash = taking[taking.duplicated(["date", "place_id"], keep=False)]
    clash = clash.drop_duplicates(["date", "place_id", "actor_id"])
    clash = clash[clash.duplicated(["date", "place_id"], keep=False)]
    for (date, _), group in clash.groupby(["date", "place_id"], sort=False):
        lines = group[LINE].tolist()
        table.problem(lines[-1], "actor",
                      f"conflicting captures of '{group['place'].iat[0]}' on {date} by "
                      f"{' and '.join(group['actor'])} (lines {', '.join(map(str, lines))})",
                      "keep the one your sources support, or mark the other 'contested'")


def place_index(places: pd.DataFrame) -> NameIndex:
    return NameIndex(places["place_id"], places["name"], places["alt_names"], places["population"].fillna(0))


def actor_index(actors: pd.DataFrame) -> NameIndex:
    return NameIndex(actors["actor"], actors["actor"], actors["aliases"])


def read_tables(events: Source, places: Source, actors: Source, *,
                latest: pd.Timestamp | None = None) -> Tables:
    """Read and check the three tables; raise :class:`TableError` listing every problem found."""
    place_table, actor_table = read_places(places), read_actors(actors)
    pindex, aindex = place_index(place_table.frame), actor_index(actor_table.frame)
    event_table = read_events(events, pindex, aindex, latest=latest)
    problems = [*place_table.problems, *actor_table.problems, *event_table.problems]
    if problems:
        raise TableError(problems)
    return Tables(place_table.frame, actor_table.frame, event_table.frame, pindex, aindex)
