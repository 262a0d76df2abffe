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


# -- event tables larger than memory ---------------------------------------------------------------------------
def _read_block(block: pd.DataFrame, first_line: int, file: str, place_index, actor_index):
    """One block of the events CSV read and checked like a whole table; lines counted from ``first_line``."""
    from dataclasses import replace

    from ._read import LINE
    from .tables import read_events

    table = read_events(block, place_index, actor_index)
    problems = [replace(p, file=file, line=p.line + first_line - 2 if p.line else 0) for p in table.problems]
    frame = table.frame
    frame[LINE] = frame[LINE] + first_line - 2
    return frame, problems


def _block_problems(block, first_line, file, place_index, actor_index):
    return _read_block(block, first_line, file, place_index, actor_index)[1]


def _coded_block(block, first_line, file, place_index, actor_index, place_code, actor_code):
    frame, _ = _read_block(block, first_line, file, place_index, actor_index)
    return pd.DataFrame({
        "place": place_code.reindex(frame["place_id"]).to_numpy(np.int64),
        "actor": actor_code.reindex(frame["actor_id"]).to_numpy(np.int64),
        "kind": frame["kind"].to_numpy(dtype=object), "start": frame["start"].to_numpy("datetime64[ns]"),
        "precision": frame["precision"].to_numpy(dtype=object),
        "confidence": frame["confidence"].to_numpy(dtype=object),
        "event": first_line - 2 + np.arange(len(frame), dtype=np.int64),
    })


def read_events_dask(path, places: pd.DataFrame, actors: pd.DataFrame, *, blocksize: str | int = "64MB"):
    """An events CSV too large for memory, read in blocks on Dask and checked block by block with the same
    rules as :func:`frontlines.tables.read_events`.

    ``places`` and ``actors`` are the (small) checked reference tables, e.g. ``fl.load().places`` and
    ``.actors``. Every problem of every block is collected, with its file line, and raised together as a
    :class:`~frontlines.errors.TableError`; otherwise the coded events come back as a lazy Dask DataFrame with
    the columns of :data:`EVENT_COLUMNS`, ready for :func:`build_intervals_dask`. Two passes read the file
    (checks, then codes), so the table is never held whole. Limits: values may not contain line breaks (Dask
    splits the file at newlines), and a duplicate row is only reported when both copies fall in one block.
    """
    from pathlib import Path

    import dask
    import dask.dataframe as dd

    from .errors import TableError
    from .tables import actor_index, place_index

    pindex, aindex = place_index(places), actor_index(actors)
    blocks = dd.read_csv(path, dtype=str, keep_default_na=False, blocksize=blocksize)
    sizes = blocks.map_partitions(len).compute().to_numpy()
    first_lines = (2 + np.concatenate([[0], np.cumsum(sizes)[:-1]])).astype(int).tolist()
    file = Path(path).name
    parts = blocks.to_delayed()
    found = dask.compute(*[dask.delayed(_block_problems)(part, line, file, pindex, aindex)
                           for part, line in zip(parts, first_lines, strict=True)])
    problems = [p for block in found for p in block]
    if problems:
        raise TableError(problems)
    place_code = pd.Series(np.arange(len(places)), index=places["place_id"].to_numpy())
    actor_code = pd.Series(np.arange(len(actors)), index=actors["actor"].to_numpy())
    meta = pd.DataFrame({"place": pd.Series(dtype="int64"), "actor": pd.Series(dtype="int64"),
                         "kind": pd.Series(dtype=object), "start": pd.Series(dtype="datetime64[ns]"),
                         "precision": pd.Series(dtype=object), "confidence": pd.Series(dtype=object),
                         "event": pd.Series(dtype="int64")})
    coded = [dask.delayed(_coded_block)(part, line, file, pindex, aindex, place_code, actor_code)
             for part, line in zip(parts, first_lines, strict=True)]
    return dd.from_delayed(coded, meta=meta, verify_meta=False)
