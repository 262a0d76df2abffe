"""Importers: other shapes of control data turned into frontlines events.

* :func:`snapshots_to_events`: a table of (date, place, actor) observations, daily or monthly, compressed
  into change events (the first observation of a place becomes ``held``, every change of actor ``captured``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._dates import format_dates, parse_dates
from ._read import LINE, read_table
from .errors import Problem, TableError

SNAPSHOT_COLUMNS = ("date", "place", "actor", "source", "url")


def _new_places(ids: pd.Series, names: pd.Series, alt_names, lat: pd.Series, lon: pd.Series, source: str
                ) -> pd.DataFrame:
    """Rows for the places table (its columns) for places an import found outside the gazetteer."""
    return pd.DataFrame({"place_id": ids, "name": names, "alt_names": alt_names, "kind": "", "lat": lat,
                         "lon": lon, "country": "", "governorate": "", "population": "", "parent": "",
                         "source": source, "url": ""}).drop_duplicates("place_id")


def snapshots_to_events(path, *, source: str = "") -> pd.DataFrame:
    """Compress snapshot observations into events, vectorised (no loop per row or place).

    Each row says who held a place on a date. Consecutive observations of the same actor collapse into one
    event; rows must have a date, a place and an actor. ``source`` fills rows without one.
    """
    table = read_table(path, SNAPSHOT_COLUMNS, ("date", "place", "actor"))
    frame = table.frame
    for column in ("date", "place", "actor"):
        table.problems_at(frame[column].eq(""), column, "value is missing", f"fill in '{column}'")
    dates = parse_dates(frame["date"])
    table.problems_at(frame["date"].ne("") & dates["error"].ne(""), "date", "'{value}' is not a valid date",
                      "write YYYY-MM-DD, YYYY-MM or YYYY")
    if not source:
        table.problems_at(frame["source"].eq(""), "source", "value is missing",
                          "fill in 'source' or give --source for the whole file")
    if table.problems:
        raise TableError(table.problems)
    frame = frame.assign(start=dates["start"], precision=dates["precision"],
                         source=frame["source"].where(frame["source"].ne(""), source))
    frame = frame.sort_values(["place", "start", LINE], kind="stable")
    duplicated = frame.duplicated(["place", "start"], keep=False) & ~frame.duplicated(["place", "start", "actor"],
                                                                                     keep=False)
    if duplicated.any():
        lines = frame.loc[duplicated, LINE].tolist()
        raise TableError(Problem(table.name, int(line), "actor", "two actors hold the same place on the same date",
                                 "keep one observation per place and date") for line in lines)
    frame = frame.drop_duplicates(["place", "start"])
    place = frame["place"].to_numpy()
    actor = frame["actor"].to_numpy()
    first = np.ones(len(frame), dtype=bool)
    first[1:] = place[1:] != place[:-1]
    changed = first.copy()
    changed[1:] |= actor[1:] != actor[:-1]
    events = frame[changed]
    return pd.DataFrame({
        "date": format_dates(events["start"], events["precision"]).to_numpy(),
        "place": events["place"].to_numpy(), "actor": events["actor"].to_numpy(),
        "kind": np.where(first[changed], "held", "captured"), "confidence": "confirmed",
        "source": events["source"].to_numpy(), "url": events["url"].to_numpy(),
        "notes": np.where(first[changed], "first observation in the snapshot table",
                          "the snapshot table shows a new holder from this date"),
    })


# -- Wikipedia detailed-map modules ---------------------------------------------------------------------------
_ENTRY = re.compile(r"\{[^{}]*?\b(?:lat|mark)\s*=[^{}]*\}", re.S)
_FIELD = re.compile(r"""(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?)""")
_WIKILINK = re.compile(r"\[\[(?:[^|\]]*\|)?([^\]]+)\]\]")

_LUA_TOKENS = re.compile(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|--\[(=*)\[.*?\]\2\]|--[^\n]*""", re.S)
_MARK_KEY = re.compile(r"\bmark\s*=")


def _strip_lua_comments(text: str) -> str:
    """Lua comments (``-- ...`` and ``--[[ ... ]]``) blanked, line breaks kept, strings left alone."""
    def blank(match: re.Match) -> str:
        return match.group(0) if match.group(1) else re.sub(r"[^\n]", " ", match.group(0))
    return _LUA_TOKENS.sub(blank, text)


def parse_module_marks(text: str) -> pd.DataFrame:
    """The entries of a Lua ``marks`` table (lat, long, mark, label, link), with their line numbers.

    Comments are ignored. Coordinates may be numbers or quoted numbers; anything else becomes NaN (reported by
    the importer). An entry that names a ``mark`` but cannot be read (e.g. a brace inside a label) comes back
    with an empty ``mark`` and NaN coordinates, so that it is reported rather than lost."""
    code = _strip_lua_comments(text)
    breaks = np.array([m.start() for m in re.finditer("\n", code)], dtype=np.int64)

    def line_of(offset: int) -> int:
        return int(np.searchsorted(breaks, offset)) + 1

    rows, covered = [], []
    for match in _ENTRY.finditer(code):
        fields = {k: re.sub(r"\\(.)", r"\1", v[1:-1]) if v[:1] in "'\"" else v
                  for k, v in _FIELD.findall(match.group(0))}
        label = _WIKILINK.sub(r"\1", str(fields.get("label", "")))
        rows.append({"line": line_of(match.start()), "lat": fields.get("lat"),
                     "lon": fields.get("long", fields.get("lon")), "mark": str(fields.get("mark", "")),
                     "label": label.strip(), "link": str(fields.get("link", "")).strip()})
        covered.append((match.start(), match.end()))
    starts = np.array([c[0] for c in covered]) if covered else np.zeros(0, dtype=int)
    ends = np.array([c[1] for c in covered]) if covered else np.zeros(0, dtype=int)
    for key in _MARK_KEY.finditer(code):  # every mark key must fall inside a parsed entry
        if not ((starts <= key.start()) & (key.start() < ends)).any():
            rows.append({"line": line_of(key.start()), "lat": None, "lon": None,
                         "mark": "", "label": "(entry could not be read)", "link": ""})
    frame = pd.DataFrame(rows, columns=["line", "lat", "lon", "mark", "label", "link"])
    for column in ("lat", "lon"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame.sort_values("line", kind="stable").reset_index(drop=True)


def classify_marks(marks: pd.Series, mapping: pd.DataFrame) -> pd.DataFrame:
    """Actor, other actor and status of each mark name, from an editable table of regular expressions.

    Rows with an actor name colours: the colour words of a mark name, in order, give its holder and (for a
    two-colour mark, stable mixed control) the other holder; a row's optional ``other`` names a second holder
    for a colour that stands for two (a truce). Rows without an actor give the status (contested, besieged,
    or ignore for icons without a side). The work is one pass per pattern over the distinct mark names."""
    unique = pd.Series(marks.unique(), dtype=object)
    status = pd.Series("held", index=unique.index, dtype=object)
    found = pd.DataFrame(index=unique.index)
    names, partners = [], []
    has_other = "other" in mapping.columns  # optional column: a colour that stands for two holders (a truce)
    for k, row in enumerate(mapping.itertuples()):  # a loop over the table's few patterns, not over marks
        if row.actor:
            names.append(row.actor)
            partners.append(row.other if has_other else "")
            where = unique.str.lower().str.replace("_", "-").apply(  # first position of the pattern in the name
                lambda name, p=row.pattern: (m.start() if (m := re.search(p, name)) else -1))
            found[k] = where
        else:
            status[unique.str.contains(row.pattern, regex=True) & status.eq("held")] = row.status
    actors = np.array(names, dtype=object)
    positions = found.to_numpy(dtype=float)
    positions[positions < 0] = np.inf
    order = np.argsort(positions, axis=1, kind="stable")
    first = np.where(np.isfinite(positions[np.arange(len(unique)), order[:, 0]]), actors[order[:, 0]], "") \
        if len(unique) else np.array([], dtype=object)
    second = np.where(np.isfinite(positions[np.arange(len(unique)), order[:, 1]]) if positions.shape[1] > 1
                      else False, actors[order[:, 1]] if positions.shape[1] > 1 else "", "")
    second = np.where(second == first, "", second)
    if len(unique) and positions.shape[1]:  # a colour that names both holders gives the other one
        fixed = np.array(partners, dtype=object)[order[:, 0]]
        second = np.where((second == "") & (first != ""), fixed, second)
    table = pd.DataFrame({"mark": unique, "actor": first, "other": second, "status": status})
    return table.set_index("mark").reindex(marks.to_numpy()).reset_index(drop=True)


def module_to_events(path, date: str, *, places: pd.DataFrame, place_index, mapping: pd.DataFrame,
                     module_name: str = "", max_km: float = 10.0) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Events (``held`` / ``contested`` / ``besieged`` at ``date``), new places, and a report line for every
    mark that could not be imported."""
    from pathlib import Path

    import geopandas as gpd

    text = Path(path).read_text(encoding="utf-8")
    marks = parse_module_marks(text)
    name = module_name or Path(path).stem
    skipped: list[tuple[int, str]] = []  # (line, why), reported in the module's order
    if marks.empty:
        raise TableError([Problem(Path(path).name, 0, "", "no marks found (entries with lat = ..., long = ...)",
                                  "give the module's Lua source")])
    bad = marks["lat"].isna() | marks["lon"].isna()
    skipped += [(r.line, f"mark {r.label or r.mark!r} without readable lat/long; skipped")
                for r in marks[bad].itertuples()]
    marks = marks[~bad].reset_index(drop=True)
    kinds = classify_marks(marks["mark"], mapping)
    icon = kinds["status"].eq("ignore").to_numpy()
    skipped += [(r.line, f"mark '{r.mark}' is an icon without a side (status 'ignore' in the mark table); skipped")
                for r in marks[icon].itertuples()]
    marks, kinds = marks[~icon].reset_index(drop=True), kinds[~icon].reset_index(drop=True)
    unknown = kinds["actor"].eq("")
    skipped += [(r.line, f"mark '{r.mark}' ({r.label}) matches no actor in the mark table; add a pattern for it")
                for r in marks[unknown.to_numpy()].itertuples()]
    marks, kinds = marks[~unknown.to_numpy()].reset_index(drop=True), kinds[~unknown].reset_index(drop=True)
    # Places: by name or link near the mark, else a new place flagged as coming from the module.
    names = marks["label"].where(marks["label"].ne(""), marks["link"])
    match = place_index.match(names)
    found = pd.Series(match.id, dtype=object)
    by_link = place_index.match(marks["link"]).id  # the article linked, when the label is not a known name
    found = found.where(found.ne("") | marks["link"].eq(""), pd.Series(by_link, dtype=object))
    by_id = places.set_index("place_id")
    near = found.ne("")
    if near.any():
        theirs = by_id.loc[found[near], ["lat", "lon"]].to_numpy(dtype=float)
        points = gpd.GeoSeries(gpd.points_from_xy(marks["lon"][near], marks["lat"][near]), crs=4326).to_crs(3857)
        known = gpd.GeoSeries(gpd.points_from_xy(theirs[:, 1], theirs[:, 0]), crs=4326).to_crs(3857)
        far = points.distance(known).to_numpy() > max_km * 1000
        found[near.to_numpy().nonzero()[0][far]] = ""
    new = found.eq("")
    slug = names.str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    new_ids = "wp:" + slug + "-" + marks["lat"].round(3).astype(str) + "-" + marks["lon"].round(3).astype(str)
    found[new] = new_ids[new]
    new_places = _new_places(new_ids[new], names[new], marks["link"][new], marks["lat"][new], marks["lon"][new],
                             f"Wikipedia: {name} (mark not in the gazetteer)")
    status = kinds["status"].to_numpy()
    note = ("mark '" + marks["mark"] + "'" + np.where(status != "held", " (" + status + " on the module's map)", "")
            + np.where(new, "; place added from the module", ""))
    # A ring is drawn in the besieger's colour around the holder's dot (a mark of its own at the same spot).
    kind = np.where(status == "besieged", "besieged", "held")
    base = pd.DataFrame({"date": date, "place": found, "actor": kinds["actor"], "kind": kind,
                         "confidence": "claimed", "source": f"Wikipedia: {name}", "url": "", "notes": note})
    second = kinds["other"].ne("").to_numpy() & (status != "besieged")
    # A second colour: part held (stable mixed control), or, on a contested mark, the attacker; which of the two
    # colours attacks is not drawn, so that reading is said in the notes.
    parts = base[second].assign(
        actor=kinds["other"][second].to_numpy(),
        kind=np.where(status[second] == "contested", "contested", "holds_part"),
        notes=base["notes"][second] + np.where(status[second] == "contested",
                                               "; the second colour is read as the attacker", ""))
    events = pd.concat([base, parts]).sort_index(kind="stable").reset_index(drop=True)
    # A town often has several marks (its dot, an air base or border icon in the same colour): one observation.
    events = events.drop_duplicates(["date", "place", "actor", "kind"]).reset_index(drop=True)
    events.attrs["marks_imported"] = len(marks)
    report = [f"{Path(path).name}:{line}: {why}" for line, why in sorted(skipped)]
    return events, new_places, report


# -- ACLED ----------------------------------------------------------------------------------------------------
ACLED_TERRITORY = ("Government regains territory", "Non-state actor overtakes territory",
                   "Non-violent transfer of territory")
ACLED_COLUMNS = ("event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "inter1",
                 "inter2", "location", "latitude", "longitude", "geo_precision", "source", "notes")
STATE_INTER = {"1", "state forces"}  # old exports number the actor types, new ones name them


def acled_to_events(path, *, places: pd.DataFrame, place_index, actor_index, max_km: float = 10.0
                    ) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Territory events of an ACLED export as frontlines events, new places, and a report.

    Actor order in ACLED carries no meaning, so the winner is read from the sub-event type (the state actor
    for "Government regains territory", the non-state one for "Non-state actor overtakes territory") or, for
    transfers, from the notes (the actor named after "to" or before "took"); every winner read this way is
    flagged as inferred. ``time_precision`` 1 keeps the day, 2 the day with a note (within a week), 3 the month;
    ``geo_precision`` goes into the notes as the match quality.
    """
    import geopandas as gpd

    table = read_table(path, ACLED_COLUMNS, ("event_date", "sub_event_type", "actor1", "location", "latitude",
                                             "longitude"))
    if table.problems:
        raise TableError(table.problems)
    frame = table.frame[table.frame["sub_event_type"].isin(ACLED_TERRITORY)].reset_index(drop=True)
    report = [f"{table.name}: {len(table.frame) - len(frame)} rows are not territory events and were skipped"]
    dates = pd.to_datetime(frame["event_date"], errors="coerce", format="mixed", dayfirst=True)
    bad = dates.isna()
    report += [f"{table.name}:{line}: unreadable event_date '{d}' skipped"
               for line, d in zip(frame.loc[bad, LINE], frame.loc[bad, "event_date"], strict=True)]
    frame, dates = frame[~bad].reset_index(drop=True), dates[~bad].reset_index(drop=True)
    state1 = frame["inter1"].str.lower().isin(STATE_INTER)
    state2 = frame["inter2"].str.lower().isin(STATE_INTER)
    sub = frame["sub_event_type"]
    winner = np.select(
        [sub.eq(ACLED_TERRITORY[0]) & state2 & ~state1, sub.eq(ACLED_TERRITORY[0]),
         sub.eq(ACLED_TERRITORY[1]) & state1 & frame["actor2"].ne(""), sub.eq(ACLED_TERRITORY[1])],
        [frame["actor2"], frame["actor1"], frame["actor2"], frame["actor1"]], "")
    transfer = sub.eq(ACLED_TERRITORY[2]).to_numpy()
    # Transfers: the actor whose name the notes give as receiving the ground.
    named2 = np.zeros(len(frame), dtype=bool)
    rows = np.flatnonzero(transfer)  # transfers only, and a row-specific text search: a loop over those few rows
    named2[rows] = [bool(a) and (f"to {a}".lower() in n.lower() or f"{a} took".lower() in n.lower())
                    for a, n in zip(frame["actor2"].to_numpy()[rows], frame["notes"].to_numpy()[rows], strict=True)]
    winner = np.where(transfer, np.where(named2, frame["actor2"], frame["actor1"]), winner)
    inferred = np.where(transfer & ~named2, "winner inferred (actor1; the notes do not say who took over)",
                        "winner inferred from the sub-event type" + np.where(transfer, " and the notes", ""))
    # ACLED names ("QSD: Syrian Democratic Forces", "Islamic State (Syria)") resolve by alias, once per name.
    resolved = {name: _acled_actor(actor_index, name) for name in pd.unique(winner)}
    found_actor = pd.Series(winner).map(resolved).to_numpy()
    actor = np.where(found_actor != "", found_actor, winner)
    report += [f"{table.name}:{line}: actor '{a}' is not in the actors table; add it or an alias"
               for line, a, ok in zip(frame[LINE], winner, found_actor != "", strict=True) if not ok]
    # Places: by name near the coordinates, else the nearest gazetteer place within max_km, else new.
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=4326).to_crs(3857)
    gazetteer = gpd.GeoDataFrame(places[["place_id"]], geometry=gpd.points_from_xy(places["lon"], places["lat"]),
                                 crs=4326).to_crs(3857)
    nearest = gpd.sjoin_nearest(gpd.GeoDataFrame(geometry=points), gazetteer, max_distance=max_km * 1000,
                                distance_col="distance")
    nearest = nearest[~nearest.index.duplicated()]
    by_name = pd.Series(place_index.match(frame["location"]).id)
    place = by_name.where(by_name.ne("") & nearest["place_id"].reindex(by_name.index).eq(by_name),
                          nearest["place_id"].reindex(by_name.index)).fillna("")
    new = place.eq("")
    new_ids = "acled:" + frame["location"].str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    place[new] = new_ids[new]
    new_places = _new_places(new_ids[new], frame["location"][new], "", lat[new], lon[new],
                             "ACLED location (not in the gazetteer)")
    precision = frame["time_precision"].replace("", "1")
    date_text = np.where(precision.eq("3"), dates.dt.strftime("%Y-%m"), dates.dt.strftime("%Y-%m-%d"))
    notes = (frame["sub_event_type"] + "; " + inferred
             + np.where(precision.eq("2"), "; date within a week (time_precision 2)", "")
             + "; geo_precision " + frame["geo_precision"].replace("", "?")
             + np.where(new, "; place added from ACLED", "") + ". " + frame["notes"].str.slice(0, 300))
    events = pd.DataFrame({"date": date_text, "place": place, "actor": actor, "kind": "captured",
                           "confidence": "claimed", "source": "ACLED: " + frame["source"], "url": "",
                           "notes": notes})
    return events, new_places, report


def _acled_actor(actor_index, name: str) -> str:
    """The actor id of an ACLED actor name: the whole name, else either side of its "ABBR: Full name" colon,
    each also without a trailing "(Syria)" or "(2000-)"; a typo is accepted only as :meth:`resolve_one` allows."""
    name = str(name).strip()
    if not name:
        return ""
    parts = [name, *(part.strip() for part in name.split(":"))] if ":" in name else [name]
    candidates = [*parts, *(re.sub(r"\s*\([^)]*\)\s*$", "", part) for part in parts)]
    for candidate in dict.fromkeys(c for c in candidates if c):
        found, _ = actor_index.resolve_one(candidate, fuzzy=False)
        if found:
            return found
    return actor_index.resolve_one(name)[0]
