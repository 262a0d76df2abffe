"""Who controlled what on a date, a place's history, and what changed between two dates."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ._dates import format_dates
from ._schema import CONFIDENCE, STATUSES, UNKNOWN
from .model import NONE, STATUS_CODES, Model, clear_redundant, status_codes

STATUS_NAMES = np.array(sorted(STATUS_CODES, key=STATUS_CODES.__getitem__))
CONTROL_COLUMNS = ("place_id", "name", "controller", "status", "since", "other_holder", "attacker", "besieger",
                   "contested", "besieged", "confidence", "kind", "country", "governorate", "population",
                   "parent", "geometry")


def snapshot(model: Model, date: pd.Timestamp) -> pd.DataFrame:
    """State codes of every place on ``date``: one row per place code, in place order."""
    iv = model.intervals
    day = np.datetime64(date, "ns")
    active = (iv["start"].to_numpy() <= day) & (day < iv["end"].to_numpy())
    rows = iv[active]
    n = len(model.places)
    out = pd.DataFrame({
        "controller": np.full(n, NONE), "other": np.full(n, NONE), "attacker": np.full(n, NONE),
        "besieger": np.full(n, NONE), "status": np.full(n, STATUS_CODES["unknown"]),
        "confidence": np.full(n, NONE), "since": np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
        "since_precision": np.full(n, "", dtype=object), "event": np.full(n, NONE),
    })
    at = rows["place"].to_numpy()
    for column in out.columns:
        values = out[column].to_numpy().copy()
        values[at] = rows[column].to_numpy()
        out[column] = values
    _apply_successors(model, out, day)
    _divide_parents(model, out)
    out["status"] = status_codes(out)
    return out


def _apply_successors(model: Model, state: pd.DataFrame, day: np.datetime64) -> None:
    """Show an actor renamed or absorbed before ``day`` (YPG -> SDF) as its successor."""
    successor = model.actors["successor_code"].to_numpy()
    starts = model.actors["successor_start"].to_numpy(dtype="datetime64[ns]")
    current = np.arange(len(successor))
    for _ in range(len(successor)):  # follow chains of renames; bounded by the number of actors
        step = (successor[current] != NONE) & (starts[current] <= day)
        if not step.any():
            break
        current = np.where(step, successor[current], current)
    for column in ("controller", "other", "attacker", "besieger"):
        codes = state[column].to_numpy()
        state[column] = np.where(codes == NONE, NONE, current[np.maximum(codes, 0)])
    clear_redundant(state)


def _divide_parents(model: Model, state: pd.DataFrame) -> None:
    """A place whose parts (an airport, a district, a city half) are held by others is divided."""
    parent = model.places["parent_code"].to_numpy()
    child = np.flatnonzero((parent != NONE) & (state["controller"].to_numpy() != NONE))
    if not len(child):
        return
    parts = pd.DataFrame({"parent": parent[child], "holder": state["controller"].to_numpy()[child]})
    parent_holder = state["controller"].to_numpy()[parts["parent"].to_numpy()]
    # A parent nobody is known to hold takes the holder of its parts.
    first = parts.groupby("parent")["holder"].first()
    orphan = first.index[state["controller"].to_numpy()[first.index] == NONE]
    state.loc[orphan, "controller"] = first[orphan].to_numpy()
    parent_holder = state["controller"].to_numpy()[parts["parent"].to_numpy()]
    others = parts[parts["holder"].to_numpy() != parent_holder].groupby("parent")["holder"].first()
    others = others[state["other"].to_numpy()[others.index] == NONE]
    state.loc[others.index, "other"] = others.to_numpy()


def control_at(model: Model, date: pd.Timestamp, places: list[str] | None = None) -> gpd.GeoDataFrame:
    """Who controlled every place (or the given place ids) on ``date``, as a GeoDataFrame in EPSG:4326."""
    state = snapshot(model, date)
    frame = describe_state(model, state)
    if places is not None:
        order = pd.Series(np.arange(len(model.places)), index=model.places["place_id"])
        frame = frame.iloc[order[places].to_numpy()]
    return frame


def describe_state(model: Model, state: pd.DataFrame) -> gpd.GeoDataFrame:
    """Readable columns (names, status words, dates at their precision) for state codes."""
    names = np.append(model.actors["actor"].to_numpy(dtype=object), "")
    pl = model.places

    def actor_names(column: str) -> np.ndarray:
        return names[state[column].to_numpy()]  # NONE (-1) picks the trailing ""

    controller = actor_names("controller")
    controller[controller == ""] = UNKNOWN
    confidence = np.append(np.array(CONFIDENCE, dtype=object), "")[state["confidence"].to_numpy()]
    frame = pd.DataFrame({
        "place_id": pl["place_id"].to_numpy(), "name": pl["name"].to_numpy(), "controller": controller,
        "status": STATUS_NAMES[state["status"].to_numpy()],
        "since": format_dates(state["since"], state["since_precision"]).to_numpy(),
        "other_holder": actor_names("other"), "attacker": actor_names("attacker"),
        "besieger": actor_names("besieger"),
        "contested": state["attacker"].to_numpy() != NONE, "besieged": state["besieger"].to_numpy() != NONE,
        "confidence": confidence, "kind": pl["kind"].to_numpy(), "country": pl["country"].to_numpy(),
        "governorate": pl["governorate"].to_numpy(), "population": pl["population"].to_numpy(),
        "parent": pl["parent"].to_numpy(),
    })
    frame["status"] = pd.Categorical(frame["status"], categories=STATUSES)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(pl["lon"], pl["lat"]), crs="EPSG:4326")


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
