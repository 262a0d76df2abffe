"""Importers: other shapes of control data turned into frontlines events.

* :func:`snapshots_to_events`: a table of (date, place, actor) observations, daily or monthly, compressed
  into change events (the first observation of a place becomes ``held``, every change of actor ``captured``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._dates import format_dates, parse_dates
from ._read import LINE, read_table
from .errors import Problem, TableError

SNAPSHOT_COLUMNS = ("date", "place", "actor", "source", "url")


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
import re  # noqa: E402

_ENTRY = re.compile(r"\{[^{}]*?\b(?:lat|mark)\s*=[^{}]*\}", re.S)
_FIELD = re.compile(r"""(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?)""")
_WIKILINK = re.compile(r"\[\[(?:[^|\]]*\|)?([^\]]+)\]\]")
COLOUR_WORDS = ("light-blue", "lightblue", "red", "green", "yellow", "black", "grey", "gray", "white", "pink",
                "purple", "orange", "blue")


def parse_module_marks(text: str) -> pd.DataFrame:
    """The entries of a Lua ``marks`` table (lat, long, mark, label, link), with their line numbers."""
    rows = []
    for match in _ENTRY.finditer(text):
        fields = {k: v.strip("'\"") if v[:1] in "'\"" else float(v) for k, v in _FIELD.findall(match.group(0))}
        label = _WIKILINK.sub(r"\1", str(fields.get("label", "")))
        rows.append({"line": text.count("\n", 0, match.start()) + 1, "lat": fields.get("lat"),
                     "lon": fields.get("long", fields.get("lon")), "mark": str(fields.get("mark", "")),
                     "label": label.strip(), "link": str(fields.get("link", "")).strip()})
    return pd.DataFrame(rows, columns=["line", "lat", "lon", "mark", "label", "link"])


def classify_marks(marks: pd.Series, mapping: pd.DataFrame) -> pd.DataFrame:
    """Actor, other actor and status of each mark name, from an editable table of regular expressions.

    Rows with an actor name colours: the colour words of a mark name, in order, give its holder and (for a
    two-colour mark, stable mixed control) the other holder. Rows without an actor give the status
    (contested, besieged). The work is one pass per pattern over the distinct mark names."""
    unique = pd.Series(marks.unique(), dtype=object)
    status = pd.Series("held", index=unique.index, dtype=object)
    found = pd.DataFrame(index=unique.index)
    names = []
    for k, row in enumerate(mapping.itertuples()):  # a loop over the table's few patterns, not over marks
        if row.actor:
            names.append(row.actor)
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
    table = pd.DataFrame({"mark": unique, "actor": first, "other": np.where(second == first, "", second),
                          "status": status})
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
    report: list[str] = []
    if marks.empty:
        raise TableError([Problem(Path(path).name, 0, "", "no marks found (entries with lat = ..., long = ...)",
                                  "give the module's Lua source")])
    bad = marks["lat"].isna() | marks["lon"].isna()
    report += [f"{Path(path).name}:{r.line}: mark without lat/long skipped" for r in marks[bad].itertuples()]
    marks = marks[~bad].reset_index(drop=True)
    kinds = classify_marks(marks["mark"], mapping)
    unknown = kinds["actor"].eq("")
    report += [f"{Path(path).name}:{r.line}: mark '{r.mark}' ({r.label}) matches no actor in the mark table; "
               "add a pattern for it" for r in marks[unknown.to_numpy()].itertuples()]
    marks, kinds = marks[~unknown.to_numpy()].reset_index(drop=True), kinds[~unknown].reset_index(drop=True)
    # Places: by name or link near the mark, else a new place flagged as coming from the module.
    names = marks["label"].where(marks["label"].ne(""), marks["link"])
    match = place_index.match(names)
    found = pd.Series(match.id, dtype=object)
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
    new_places = pd.DataFrame({
        "place_id": new_ids[new], "name": names[new], "alt_names": marks["link"][new], "kind": "",
        "lat": marks["lat"][new], "lon": marks["lon"][new], "country": "", "governorate": "", "population": "",
        "parent": "", "source": f"Wikipedia: {name} (mark not in the gazetteer)", "url": "",
    }).drop_duplicates("place_id")
    status = kinds["status"].to_numpy()
    note = ("mark '" + marks["mark"] + "'" + np.where(status != "held", " (" + status + " on the module's map)", "")
            + np.where(new, "; place added from the module", ""))
    base = pd.DataFrame({"date": date, "place": found, "actor": kinds["actor"], "kind": "held",
                         "confidence": "claimed", "source": f"Wikipedia: {name}", "url": "", "notes": note})
    mixed = kinds["other"].ne("").to_numpy()
    # A two-colour mark is stable mixed control: the second colour holds part of the place.
    parts = base[mixed].assign(actor=kinds["other"][mixed].to_numpy(), kind="holds_part")
    events = pd.concat([base, parts]).sort_index(kind="stable").reset_index(drop=True)
    # A contested or besieged mark names the holder but not the attacker or besieger: the status goes into
    # the notes rather than inventing the other party.
    events.attrs["marks_imported"] = len(marks)
    return events, new_places, report
