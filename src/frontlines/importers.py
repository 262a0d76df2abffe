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
