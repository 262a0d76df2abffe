"""The interval build and ``control_at`` on Dask, for event tables larger than memory.

Every place's intervals depend only on that place's events, so the table is partitioned by place
(``shuffle``) and the pandas engine (:func:`frontlines.model.build_intervals`) runs on each partition; the
answer for a date is a filter over the partitions. Point a :class:`distributed.Client` at a real cluster
(``Client("tcp://scheduler:8786")``) before calling these functions and the work runs there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .model import INTERVAL_COLUMNS, NONE, build_intervals

EVENT_COLUMNS = ("place", "actor", "kind", "start", "precision", "confidence", "event")


def _meta() -> pd.DataFrame:
    dtypes = {"place": "int64", "start": "datetime64[ns]", "end": "datetime64[ns]", "controller": "int64",
              "other": "int64", "attacker": "int64", "besieger": "int64", "status": "int64", "confidence": "int64",
              "since": "datetime64[ns]", "since_precision": "int8", "event": "int64"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in INTERVAL_COLUMNS})


def _build_partition(events: pd.DataFrame) -> pd.DataFrame:
    if events.empty:
        return _meta()
    out = build_intervals(events.reset_index(drop=True))
    return out.astype({c: str(t) for c, t in _meta().dtypes.items()})


def build_intervals_dask(events):
    """Control intervals from a Dask DataFrame of coded events (the columns of :data:`EVENT_COLUMNS`),
    partitioned by place; returns a Dask DataFrame of intervals (lazy)."""
    by_place = events[list(EVENT_COLUMNS)].shuffle(on="place")
    return by_place.map_partitions(_build_partition, meta=_meta())


def snapshot_rows_dask(intervals, date: pd.Timestamp) -> pd.DataFrame:
    """The intervals active on ``date`` (one per place with events), computed on the cluster."""
    day = np.datetime64(date, "ns")
    active = intervals[(intervals["start"] <= day) & (intervals["end"] > day)]
    return active.compute().sort_values("place").reset_index(drop=True)


def control_codes_dask(intervals, date: pd.Timestamp, n_places: int) -> pd.DataFrame:
    """Controller, other holder, attacker, besieger and status codes of every place on ``date`` (before
    renames and parts, which :func:`frontlines.control.snapshot` adds from the small actor and place tables)."""
    rows = snapshot_rows_dask(intervals, date)
    out = pd.DataFrame({c: np.full(n_places, NONE, dtype=np.int64)
                        for c in ("controller", "other", "attacker", "besieger")})
    out["status"] = 4
    for column in ("controller", "other", "attacker", "besieger", "status"):
        values = out[column].to_numpy().copy()
        values[rows["place"].to_numpy()] = rows[column].to_numpy()
        out[column] = values
    return out
