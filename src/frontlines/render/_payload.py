"""The data a map carries into the page: columns of numbers and dictionary-coded text, built vectorised."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from .._dates import PRECISION_CODES, format_coded
from .._schema import CONFIDENCE, EVENT_KINDS
from ..control import STATUS_NAMES
from ..model import Model

UNKNOWN_COLOUR = "#8C8C8C"


def to_script_json(obj: object) -> str:
    """JSON safe to place inside a <script> element: no '<', '>', '&' or quote can close or open a tag."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _codes(values: pd.Series) -> tuple[list[int], list[str]]:
    codes, uniques = pd.factorize(values.fillna("").astype(str), sort=True)
    return codes.tolist(), uniques.tolist()


def radii(population: pd.Series, kind: pd.Series) -> np.ndarray:
    pop = population.astype("Float64").fillna(0).to_numpy(dtype=float)
    r = np.select([pop >= 500_000, pop >= 100_000, pop >= 20_000], [8.0, 6.5, 5.0], 4.0)
    return np.where(kind.isin(["airbase", "dam", "crossing", "oilfield", "refinery"]).to_numpy(), 4.5, r)


def place_payload(model: Model, state: pd.DataFrame, date: pd.Timestamp, *, popup_events: int = 12,
                  keep: np.ndarray | None = None, event_budget: int = 150_000) -> dict:
    """Everything the page needs to draw and explain the places on ``date``.

    ``state`` is :func:`frontlines.control.snapshot` for that date; ``keep`` optionally selects places.
    Popups list each place's last ``popup_events`` events up to the date, with their sources; on very large
    maps fewer (never under 3) so that the page carries at most about ``event_budget`` events.
    """
    places = model.places
    keep = np.arange(len(places)) if keep is None else keep
    popup_events = min(popup_events, max(3, event_budget // max(len(keep), 1)))
    st = state.iloc[keep]
    pl = places.iloc[keep]
    # Events up to the date, of kept places, newest popup_events per place, in date order.
    ev = model.events
    position = np.full(len(places), -1)
    position[keep] = np.arange(len(keep))
    ev = ev[(ev["start"].to_numpy() <= np.datetime64(date, "ns")) & (position[ev["place"].to_numpy()] >= 0)]
    ev = ev.assign(pos=position[ev["place"].to_numpy()]).sort_values(["pos", "start", "event"], kind="stable")
    rank_from_end = ev.groupby("pos").cumcount(ascending=False).to_numpy()
    totals = np.bincount(ev["pos"].to_numpy(), minlength=len(keep))
    ev = ev[rank_from_end < popup_events]
    shown = np.bincount(ev["pos"].to_numpy(), minlength=len(keep))
    offsets = np.concatenate([[0], np.cumsum(shown)]).tolist()
    source_codes, sources = _codes(ev["source"])
    url_codes, urls = _codes(ev["url"])
    note_codes, notes = _codes(ev["notes"])
    actors = model.actors
    return {
        "date": date.strftime("%Y-%m-%d"),
        "actors": [{"name": n, "colour": c} for n, c in zip(actors["actor"], actors["colour"], strict=True)],
        "unknownColour": UNKNOWN_COLOUR,
        "statuses": STATUS_NAMES.tolist(),
        "confidences": [*CONFIDENCE, ""],
        "places": {
            "id": pl["place_id"].tolist(), "name": pl["name"].tolist(),
            "lat": pl["lat"].round(4).tolist(), "lon": pl["lon"].round(4).tolist(),
            "radius": radii(pl["population"], pl["kind"]).tolist(),
            "controller": st["controller"].tolist(), "other": st["other"].tolist(),
            "attacker": st["attacker"].tolist(), "besieger": st["besieger"].tolist(),
            "status": st["status"].tolist(),
            "confidence": np.where(st["confidence"].to_numpy() < 0, len(CONFIDENCE), st["confidence"]).tolist(),
            "since": format_coded(st["since"].to_numpy(), st["since_precision"].to_numpy()).tolist(),
        },
        "eventOffsets": offsets,
        "eventsHidden": (totals - shown).tolist(),
        "kinds": list(EVENT_KINDS),
        "events": {
            # Days since 1970 and a precision code (0 day, 1 month, 2 year): the page formats them.
            "day": ev["start"].to_numpy().astype("datetime64[D]").astype(np.int64).tolist(),
            "precision": ev["precision"].map(PRECISION_CODES).to_numpy(np.int64).tolist(),
            "kind": pd.Categorical(ev["kind"], categories=list(EVENT_KINDS)).codes.tolist(),
            "actor": ev["actor"].tolist(),
            "confidence": pd.Categorical(ev["confidence"], categories=CONFIDENCE).codes.tolist(),
            "source": source_codes, "url": url_codes, "note": note_codes,
        },
        "sources": sources, "urls": urls, "notes": notes,
    }
