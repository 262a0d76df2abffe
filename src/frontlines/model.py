"""Control intervals: the state of every place between one change and the next, built from the event log.

The state of a place is four independent channels, each a forward fill of what events set:

* ``controller``: set by ``captured``, ``held`` and ``holds_most``; cleared when the controller ``withdrew``.
* ``other`` (the other holder of a divided place): set by ``holds_part``, and by ``holds_most`` to the
  previous controller; cleared by ``captured``, ``held`` and when the other holder ``withdrew``.
* ``attacker`` (contested): set by ``contested``; cleared by ``repelled``, ``captured`` and when the
  attacker ``withdrew``.
* ``besieger``: set by ``besieged``; cleared by ``siege_lifted``, ``captured`` and when the besieger
  ``withdrew``.

Every channel is computed for all places at once with a grouped forward fill; no Python loop runs per
event or per place. Several events on one day are applied in file order and only the state at the end of
the day is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd

from ._dates import PRECISION_CODES
from ._names import NameIndex
from ._schema import CONFIDENCE, EVENT_KINDS
from .tables import Tables

NONE = -1  # code of "nobody" in actor channels
END_OF_TIME = np.datetime64("2262-04-11", "ns")

INTERVAL_COLUMNS = ("place", "start", "end", "controller", "other", "attacker", "besieger", "status",
                    "confidence", "since", "since_precision", "event")
STATUS_CODES = {"held": 0, "divided": 1, "contested": 2, "besieged": 3, "unknown": 4}


def _ffill_codes(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Forward fill NaN (or NaT) within each group (rows are sorted by group); NaN left before the first value.

    Pure numpy: the position of the last valid row or group start is a running maximum."""
    n = len(values)
    first = np.ones(n, dtype=bool)
    first[1:] = groups[1:] != groups[:-1]
    position = np.where(~pd.isna(values) | first, np.arange(n), 0)
    np.maximum.accumulate(position, out=position)
    return values[position]


def _previous(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Value of the row before, within the group; NaN on each group's first row."""
    shifted = np.empty_like(values)
    shifted[0] = np.nan
    shifted[1:] = values[:-1]
    first = np.ones(len(groups), dtype=bool)
    first[1:] = groups[1:] != groups[:-1]
    shifted[first] = np.nan
    return shifted


def _channel(setters: np.ndarray, clears_any: np.ndarray, withdrew: np.ndarray, actor: np.ndarray,
             groups: np.ndarray) -> np.ndarray:
    """One actor channel: ``setters`` (actor code or NaN), rows that clear it, and withdrawals by its holder."""
    held_by = _previous(_ffill_codes(setters, groups), groups)
    # A withdrawal only clears the channel when the withdrawing actor is the one the channel holds.
    # Comparing with the last setter is enough: a clear by withdrawal is idempotent.
    values = setters.copy()
    values[clears_any] = NONE
    values[withdrew & (held_by == actor)] = NONE
    return _ffill_codes(values, groups)


def _confidence_of_holders(confidence: np.ndarray, is_: dict[str, np.ndarray], place: np.ndarray) -> np.ndarray:
    """Confidence of the latest event that said who holds the place (not of a siege or an attack on it)."""
    says_who = is_["captured"] | is_["held"] | is_["holds_most"] | is_["holds_part"] | is_["withdrew"]
    filled = _ffill_codes(np.where(says_who, confidence.astype(np.float32), np.float32(np.nan)), place)
    return np.nan_to_num(filled, nan=NONE).astype(np.int8)


KINDS = tuple(EVENT_KINDS)


def _lookup(ids: pd.Series, codes: pd.Series) -> np.ndarray:
    """``codes[id]`` for every row, looked up once per distinct id."""
    index, uniques = pd.factorize(ids)
    return codes.reindex(uniques).to_numpy(np.int64)[index]


def _codes(values: pd.Series, categories) -> np.ndarray:
    """Codes of text values in ``categories`` (-1 for others), computed once per distinct value."""
    codes, uniques = pd.factorize(values)
    return pd.Categorical(uniques, categories=list(categories)).codes.astype(np.int8)[codes]


def build_intervals(events: pd.DataFrame) -> pd.DataFrame:
    """Control intervals per place from events.

    Parameters
    ----------
    events
        One row per event with integer columns ``place`` and ``actor`` (codes), ``kind`` (text),
        ``start`` (datetime64), ``precision`` and ``confidence`` (text), and ``event`` (the row's id, which
        also gives file order). Only these columns are read, and only as numbers once coded.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`INTERVAL_COLUMNS`, sorted by place then start. Actor columns hold codes, ``NONE``
        for nobody; ``end`` is the next interval's start (or the end of time).
    """
    if events.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in INTERVAL_COLUMNS})
    # Sort numbers only (text columns stay where they are): by place, then date, then file order.
    order = np.lexsort((events["event"].to_numpy(np.int64), events["start"].to_numpy("datetime64[ns]"),
                        events["place"].to_numpy(np.int64)))
    place = events["place"].to_numpy(np.int64)[order]
    actor = events["actor"].to_numpy(np.float64)[order]
    kind_code = _codes(events["kind"], KINDS)[order]
    is_ = {k: kind_code == i for i, k in enumerate(KINDS)}
    start = events["start"].to_numpy("datetime64[ns]")[order]
    precision = _codes(events["precision"], PRECISION_CODES)[order]
    event = events["event"].to_numpy(np.int64)[order]
    confidence = _codes(events["confidence"], CONFIDENCE)[order]
    nan = np.full(len(order), np.nan)

    sets_controller = is_["captured"] | is_["held"] | is_["holds_most"]
    controller = _channel(np.where(sets_controller, actor, nan), np.zeros(len(order), bool), is_["withdrew"],
                          actor, place)
    before = _previous(controller, place)
    # holds_most pushes the previous controller into the 'other' channel (if it was someone else).
    demoted = np.where(is_["holds_most"] & ~np.isnan(before) & (before != NONE) & (before != actor), before, nan)
    other = _channel(np.where(is_["holds_part"], actor, demoted), is_["captured"] | is_["held"],
                     is_["withdrew"], actor, place)
    attacker = _channel(np.where(is_["contested"], actor, nan), is_["repelled"] | is_["captured"],
                        is_["withdrew"], actor, place)
    besieger = _channel(np.where(is_["besieged"], actor, nan), is_["siege_lifted"] | is_["captured"],
                        is_["withdrew"], actor, place)

    holders = {name: np.nan_to_num(values, nan=NONE).astype(np.int32)
               for name, values in (("controller", controller), ("other", other), ("attacker", attacker),
                                    ("besieger", besieger))}
    del controller, other, attacker, besieger, before, demoted, nan, actor, kind_code, order
    state = {"place": place, "start": start, **holders,
             "confidence": _confidence_of_holders(confidence, is_, place), "precision": precision, "event": event}
    del is_
    # A place with only an 'other' holder (its controller left or was never known) is held in part by it.
    lone = (state["controller"] == NONE) & (state["other"] != NONE)
    state["controller"][lone] = state["other"][lone]
    state["other"][lone] = NONE
    clear_redundant(state)

    # Controller since: the date of the event where the controller last changed.
    changed_controller = _previous(state["controller"].astype(np.float64), place) != state["controller"]
    state["since"] = _ffill_codes(np.where(changed_controller, start, np.datetime64("NaT")), place)
    since_precision = _ffill_codes(np.where(changed_controller, precision.astype(np.float64), np.nan), place)
    state["since_precision"] = np.nan_to_num(since_precision, nan=-1).astype(np.int8)

    # Keep the state at the end of each day, and only rows where the state changed: one mask, one copy.
    last_of_day = np.ones(len(place), dtype=bool)
    last_of_day[:-1] = (place[1:] != place[:-1]) | (start[1:] != start[:-1])
    rows = np.flatnonzero(last_of_day)
    kept_place = place[rows]
    changed = np.ones(len(rows), dtype=bool)
    changed[1:] = kept_place[1:] != kept_place[:-1]
    for column in ("controller", "other", "attacker", "besieger", "confidence"):
        values = state[column][rows]
        changed[1:] |= values[1:] != values[:-1]
    rows = rows[changed]
    del last_of_day, changed
    intervals = pd.DataFrame({column: values[rows] for column, values in state.items() if column in INTERVAL_COLUMNS})
    intervals = intervals.astype({column: np.int64 for column in (*holders, "confidence")})  # built small
    place = intervals["place"].to_numpy()
    end = np.empty(len(intervals), dtype="datetime64[ns]")
    end[:-1] = intervals["start"].to_numpy()[1:]
    end[-1] = END_OF_TIME
    last = np.ones(len(intervals), dtype=bool)
    last[:-1] = place[1:] != place[:-1]
    end[last] = END_OF_TIME
    intervals["end"] = end
    intervals["status"] = status_codes(intervals)
    return intervals[list(INTERVAL_COLUMNS)]


def clear_redundant(state) -> None:
    """Drop an 'other holder' equal to the controller, and an attacker or besieger that already holds the
    whole place; in a divided place the controller may besiege or attack the other holder's part.

    ``state`` is a DataFrame or a dict of numpy arrays; it is changed in place."""
    controller, other = np.asarray(state["controller"]), np.asarray(state["other"]).copy()
    other[other == controller] = NONE
    state["other"] = other
    whole = other == NONE
    for column in ("attacker", "besieger"):
        values = np.asarray(state[column]).copy()
        values[whole & (values == controller)] = NONE
        state[column] = values


def status_codes(state) -> np.ndarray:
    """One status per state: divided before contested before besieged before held; unknown when nobody."""
    return np.select(
        [np.asarray(state["controller"]) == NONE, np.asarray(state["other"]) != NONE,
         np.asarray(state["attacker"]) != NONE, np.asarray(state["besieger"]) != NONE],
        [STATUS_CODES["unknown"], STATUS_CODES["divided"], STATUS_CODES["contested"], STATUS_CODES["besieged"]],
        STATUS_CODES["held"],
    ).astype(np.int64)


@dataclass
class Model:
    """Places, actors and events with integer codes, and the control intervals built from them.

    ``places`` and ``actors`` are indexed by code (0..n-1); events carry ``place`` and ``actor`` codes.
    """

    places: pd.DataFrame
    actors: pd.DataFrame
    events: pd.DataFrame
    intervals: pd.DataFrame
    place_index: NameIndex
    actor_index: NameIndex

    @cached_property
    def interval_arrays(self) -> dict[str, np.ndarray]:
        """The interval columns as numpy arrays, for lookups that must not pay pandas' overhead."""
        return {column: self.intervals[column].to_numpy() for column in INTERVAL_COLUMNS}

    @cached_property
    def successors(self) -> tuple[np.ndarray, np.ndarray]:
        """Per actor code: the successor's code (or NONE) and the date it took over."""
        return (self.actors["successor_code"].to_numpy(),
                self.actors["successor_start"].to_numpy(dtype="datetime64[ns]"))

    @cached_property
    def parents(self) -> np.ndarray:
        """Per place code: the parent place's code, or NONE."""
        return self.places["parent_code"].to_numpy()

    @cached_property
    def place_frame(self) -> gpd.GeoDataFrame:
        """The places' fixed columns and points, built once and copied for each answer."""
        pl = self.places
        columns = ["place_id", "name", "kind", "country", "governorate", "population", "parent"]
        return gpd.GeoDataFrame(pl[columns].reset_index(drop=True),
                                geometry=gpd.points_from_xy(pl["lon"], pl["lat"]), crs="EPSG:4326")

    @classmethod
    def from_tables(cls, tables: Tables, *, engine: str = "pandas", npartitions: int = 4) -> Model:
        """The model of validated tables; ``engine="dask"`` builds the intervals on Dask (see
        :mod:`frontlines.dask_engine`) with the event table split into ``npartitions``."""
        places = tables.places.reset_index(drop=True)
        actors = tables.actors.reset_index(drop=True)
        place_code = pd.Series(np.arange(len(places)), index=places["place_id"])
        actor_code = pd.Series(np.arange(len(actors)), index=actors["actor"])
        places["parent_code"] = places["parent"].map(place_code).fillna(NONE).astype(np.int64)
        actors["successor_code"] = actors["successor"].map(actor_code).fillna(NONE).astype(np.int64)
        events = tables.events.reset_index(drop=True)
        events["place"] = _lookup(events["place_id"], place_code)
        events["actor"] = _lookup(events["actor_id"], actor_code)
        events["event"] = np.arange(len(events))
        if engine == "dask":
            import dask.dataframe as dd

            from .dask_engine import EVENT_COLUMNS, build_intervals_dask

            coded = dd.from_pandas(events[list(EVENT_COLUMNS)], npartitions=npartitions)
            intervals = build_intervals_dask(coded).compute()
            intervals = intervals.sort_values(["place", "start"], kind="stable").reset_index(drop=True)
        elif engine == "pandas":
            intervals = build_intervals(events)
        else:
            raise ValueError(f"`engine` was {engine!r} but is expected to be in ['pandas', 'dask']")
        return cls(places, actors, events, intervals, tables.place_index, tables.actor_index)
