"""Who controlled what on a date, a place's history, and what changed between two dates."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ._dates import format_coded, format_dates
from ._schema import CONFIDENCE, STATUSES, UNKNOWN
from .model import NONE, STATUS_CODES, Model, clear_redundant, status_codes

STATUS_NAMES = np.array(sorted(STATUS_CODES, key=STATUS_CODES.__getitem__))
STATUS_ORDER = np.array([STATUSES.index(name) for name in STATUS_NAMES])  # status code -> STATUSES position
CONTROL_COLUMNS = ("place_id", "name", "controller", "status", "since", "other_holder", "attacker", "besieger",
                   "contested", "besieged", "confidence", "kind", "country", "governorate", "population",
                   "parent", "geometry")


STATE_COLUMNS = ("controller", "other", "attacker", "besieger", "status", "confidence", "since", "since_precision",
                 "event")


def snapshot(model: Model, date: pd.Timestamp) -> pd.DataFrame:
    """State codes of every place on ``date``: one row per place code, in place order."""
    return pd.DataFrame(snapshot_arrays(model, date))


def snapshot_arrays(model: Model, date: pd.Timestamp) -> dict[str, np.ndarray]:
    """:func:`snapshot` as a dict of numpy arrays."""
    iv = model.interval_arrays
    day = np.datetime64(date, "ns")
    rows = np.flatnonzero((iv["start"] <= day) & (day < iv["end"]))
    at = iv["place"][rows]
    n = len(model.places)
    fill = {"status": STATUS_CODES["unknown"], "since": np.datetime64("NaT", "ns")}
    state = {}
    for column in STATE_COLUMNS:
        values = np.full(n, fill.get(column, NONE), dtype=iv[column].dtype)
        values[at] = iv[column][rows]
        state[column] = values
    _apply_successors(model, state, day)
    _divide_parents(model, state)
    clear_redundant(state)
    state["status"] = status_codes(state)
    return state


def _apply_successors(model: Model, state: dict[str, np.ndarray], day: np.datetime64) -> None:
    """Show an actor renamed or absorbed before ``day`` (YPG -> SDF) as its successor."""
    successor, starts = model.successors
    current: np.ndarray = np.arange(len(successor))
    for _ in range(len(successor)):  # follow chains of renames; bounded by the number of actors
        step = (successor[current] != NONE) & (starts[current] <= day)
        if not step.any():
            break
        current = np.where(step, successor[current], current)
    if (current == np.arange(len(successor))).all():
        return
    for column in ("controller", "other", "attacker", "besieger"):
        codes = state[column]
        state[column] = np.where(codes == NONE, NONE, current[np.maximum(codes, 0)])


def _divide_parents(model: Model, state: dict[str, np.ndarray]) -> None:
    """A place whose parts (an airport, a district, a city half) are held by others is divided."""
    parent = model.parents
    controller, other = state["controller"], state["other"]
    child = np.flatnonzero((parent != NONE) & (controller != NONE))
    # A part whose own controller is unknown is held by the place's controller (east Mosul before 2016).
    unknown_part = np.flatnonzero((parent != NONE) & (controller == NONE))
    inherit = unknown_part[controller[parent[unknown_part]] != NONE]
    for column in ("controller", "confidence", "since", "since_precision"):
        state[column][inherit] = state[column][parent[inherit]]
    if not len(child):
        return
    parents, holders = parent[child], controller[child]
    # A parent nobody is known to hold takes the holder of its first part.
    unique_parents, first = np.unique(parents, return_index=True)
    orphan = controller[unique_parents] == NONE
    controller[unique_parents[orphan]] = holders[first[orphan]]
    differs = holders != controller[parents]
    if differs.any():
        with_other, first_other = np.unique(parents[differs], return_index=True)
        free = other[with_other] == NONE
        other[with_other[free]] = holders[differs][first_other[free]]


def control_at(model: Model, date: pd.Timestamp, places: list[str] | None = None) -> gpd.GeoDataFrame:
    """Who controlled every place (or the given place ids) on ``date``, as a GeoDataFrame in EPSG:4326."""
    frame = describe_state(model, snapshot(model, date))
    if places is not None:
        order = pd.Series(np.arange(len(model.places)), index=model.places["place_id"])
        frame = frame.iloc[order[places].to_numpy()]
    return frame


def _actor_column(codes: np.ndarray, categories: list[str], none: str) -> pd.Categorical:
    # Categoricals from codes cost nothing per row, where arrays of names would be converted string by string.
    return pd.Categorical.from_codes(codes + 1, categories=[none, *categories])


def describe_state(model: Model, state: pd.DataFrame) -> gpd.GeoDataFrame:
    """Readable columns (names, status words, dates at their precision) for state codes."""
    actors = model.actors["actor"].tolist()
    frame = model.place_frame.copy()
    frame["controller"] = _actor_column(state["controller"].to_numpy(), actors, UNKNOWN)
    frame["status"] = pd.Categorical.from_codes(
        STATUS_ORDER[state["status"].to_numpy()], categories=list(STATUSES))
    frame["since"] = pd.array(format_coded(state["since"].to_numpy(), state["since_precision"].to_numpy()),
                              dtype=object)
    frame["other_holder"] = _actor_column(state["other"].to_numpy(), actors, "")
    frame["attacker"] = _actor_column(state["attacker"].to_numpy(), actors, "")
    frame["besieger"] = _actor_column(state["besieger"].to_numpy(), actors, "")
    frame["contested"] = state["attacker"].to_numpy() != NONE
    frame["besieged"] = state["besieger"].to_numpy() != NONE
    frame["confidence"] = _actor_column(state["confidence"].to_numpy(), list(CONFIDENCE), "")
    return frame[list(CONTROL_COLUMNS)]


def history(model: Model, place_id: str) -> pd.DataFrame:
    """Every event of one place in date order, with the control state after that day's events."""
    code = int(np.flatnonzero(model.places["place_id"].to_numpy() == place_id)[0])
    events = model.events[model.events["place"] == code].sort_values(["start", "event"], kind="stable")
    intervals = model.intervals[model.intervals["place"] == code]
    after = pd.merge_asof(events[["start", "event"]], intervals[["start", "controller", "status"]], on="start")
    names = np.append(model.actors["actor"].to_numpy(dtype=object), UNKNOWN)
    return pd.DataFrame({
        "date": format_dates(events["start"], events["precision"]).to_numpy(),
        "kind": events["kind"].to_numpy(), "actor": events["actor_id"].to_numpy(),
        "confidence": events["confidence"].to_numpy(),
        "controller_after": names[after["controller"].fillna(NONE).astype(int).to_numpy()],
        "status_after": STATUS_NAMES[after["status"].fillna(STATUS_CODES["unknown"]).astype(int).to_numpy()],
        "source": events["source"].to_numpy(), "url": events["url"].to_numpy(), "notes": events["notes"].to_numpy(),
        "line": events["_line"].to_numpy(),
    })


def changes(model: Model, date_a: pd.Timestamp, date_b: pd.Timestamp) -> gpd.GeoDataFrame:
    """Places that changed hands between two dates, or whose status differs, with the events in between.

    A place that changed hands and came back (Palmyra in 2016) is listed too; ``hands_changed`` counts
    the changes of controller and ``when`` gives their dates.
    """
    lo, hi = min(date_a, date_b), max(date_a, date_b)
    a, b = describe_state(model, snapshot(model, lo)), describe_state(model, snapshot(model, hi))
    differs = (a["controller"].to_numpy() != b["controller"].to_numpy()) | (
        a["status"].astype(str).to_numpy() != b["status"].astype(str).to_numpy())
    iv = model.intervals
    place = iv["place"].to_numpy()
    controller = iv["controller"].to_numpy()
    new_hands = np.zeros(len(iv), dtype=bool)
    new_hands[1:] = (place[1:] == place[:-1]) & (controller[1:] != controller[:-1])
    start = iv["start"].to_numpy()
    new_hands &= (start > np.datetime64(lo, "ns")) & (start <= np.datetime64(hi, "ns"))
    handovers = iv[new_hands]
    codes = np.union1d(np.flatnonzero(differs), handovers["place"].to_numpy()).astype(np.int64)
    ev = model.events
    handover_dates = format_dates(handovers["start"], ev["precision"].to_numpy()[handovers["event"].to_numpy()])
    handovers = handovers.assign(when=handover_dates.to_numpy())
    window = ev[ev["place"].isin(codes) & (ev["start"] > lo) & (ev["start"] <= hi)].sort_values(["start", "event"])
    window = window.assign(
        when=format_dates(window["start"], window["precision"]),
        line_text=lambda w: w["when"] + " " + w["kind"] + " " + w["actor_id"] + " (" + w["source"] + ")")
    grouped = window.groupby("place")
    out = pd.DataFrame({
        "place_id": a["place_id"].to_numpy()[codes], "name": a["name"].to_numpy()[codes],
        "from": a["controller"].to_numpy()[codes], "to": b["controller"].to_numpy()[codes],
        "from_status": a["status"].astype(str).to_numpy()[codes],
        "to_status": b["status"].astype(str).to_numpy()[codes],
        "hands_changed": handovers.groupby("place").size().reindex(codes).fillna(0).astype(int).to_numpy(),
        "when": handovers.groupby("place")["when"].agg("; ".join).reindex(codes).fillna("").to_numpy(),
        "events": grouped["line_text"].agg("; ".join).reindex(codes).fillna("").to_numpy(),
        "sources": grouped["url"].agg(lambda u: " ".join(dict.fromkeys(x for x in u if x))).reindex(codes)
        .fillna("").to_numpy(),
        "population": a["population"].to_numpy()[codes],
    })
    return gpd.GeoDataFrame(out, geometry=a.geometry.to_numpy()[codes], crs="EPSG:4326")


def state_changes(model: Model, start: pd.Timestamp, end: pd.Timestamp, *, progress=None) -> pd.DataFrame:
    """Every change of any place's state between two dates, as records (for a timeline).

    The first record of each place is its state on ``start``; then one record for each day in
    (``start``, ``end``] on which the place's state (controller, other holder, attacker, besieger, status or
    confidence) differs from the day before, with the state from that day on. Each record is the
    :func:`snapshot` of that day, so the records agree with :func:`control_at` on every date.
    Work is one vectorised snapshot per day on which something changes, never a loop per place or event.
    """
    lo, hi = np.datetime64(start, "ns"), np.datetime64(end, "ns")
    starts = model.interval_arrays["start"]
    renames = model.actors["successor_start"].dropna().to_numpy(dtype="datetime64[ns]")
    days = np.unique(np.concatenate([starts[(starts > lo) & (starts <= hi)],
                                     renames[(renames > lo) & (renames <= hi)]]))
    tracked = ["controller", "other", "attacker", "besieger", "status", "confidence"]
    first = snapshot_arrays(model, start)
    records = [{**first, "day": np.full(len(first["status"]), lo), "place": np.arange(len(first["status"]))}]
    previous = np.column_stack([first[c] for c in tracked])
    steps = progress(days, total=len(days), description="timeline") if progress else days
    for day in steps:  # one vectorised step per change date
        state = snapshot_arrays(model, pd.Timestamp(day))
        current = np.column_stack([state[c] for c in tracked])
        changed = np.flatnonzero((current != previous).any(axis=1))
        if len(changed):
            records.append({**{k: v[changed] for k, v in state.items()}, "day": np.full(len(changed), day),
                            "place": changed})
        previous = current
    out = pd.DataFrame({k: np.concatenate([r[k] for r in records]) for k in records[0]})
    return out.sort_values(["place", "day"], kind="stable").reset_index(drop=True)
