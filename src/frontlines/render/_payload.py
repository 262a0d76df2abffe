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
    """JSON safe to place inside a <script> element of a folium page.

    No '<', '>', '&' or quote can close or open a tag; and no Jinja delimiter ('{{', '{%', '{#') remains,
    because branca renders an element's script a second time as a template. In compact JSON those pairs can
    only occur inside strings, where the escaped form means the same to JavaScript.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, safe in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                      ("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("{{", "{\\u007b"), ("{%", "{\\u0025"),
                      ("{#", "{\\u0023")):
        text = text.replace(raw, safe)
    return text


def defuse(text: str) -> str:
    """Text from the data made inert for Jinja, for the few places it enters folium's own templates: a
    zero-width space splits '{{', '{%' and '{#' (the text looks the same)."""
    return str(text).replace("{{", "{\u200b{").replace("{%", "{\u200b%").replace("{#", "{\u200b#")


def actor_colours(actors: pd.DataFrame) -> dict[str, str]:
    """Each actor's colour, by actor name."""
    return dict(zip(actors["actor"], actors["colour"], strict=True))


def _codes(values: pd.Series) -> tuple[list[int], list[str]]:
    codes, uniques = pd.factorize(values.fillna("").astype(str), sort=True)
    return codes.tolist(), uniques.tolist()


def radii(population: pd.Series, kind: pd.Series) -> np.ndarray:
    pop = population.astype("Float64").fillna(0).to_numpy(dtype=float)
    r = np.select([pop >= 500_000, pop >= 100_000, pop >= 20_000], [8.0, 6.5, 5.0], 4.0)
    return np.where(kind.isin(["airbase", "dam", "crossing", "oilfield", "refinery"]).to_numpy(), 4.5, r)


def common_payload(model: Model) -> dict:
    """Vocabularies shared by every page: actors with colours, statuses, confidences, event kinds."""
    actors = model.actors
    return {
        "actors": [{"name": n, "colour": c} for n, c in zip(actors["actor"], actors["colour"], strict=True)],
        "unknownColour": UNKNOWN_COLOUR,
        "statuses": STATUS_NAMES.tolist(),
        "confidences": [*CONFIDENCE, ""],
        "kinds": list(EVENT_KINDS),
    }


def static_places(model: Model, keep: np.ndarray) -> dict:
    pl = model.places.iloc[keep]
    return {
        "id": pl["place_id"].tolist(), "name": pl["name"].tolist(),
        "lat": pl["lat"].round(4).tolist(), "lon": pl["lon"].round(4).tolist(),
        "radius": radii(pl["population"], pl["kind"]).tolist(),
    }


def state_columns(state: pd.DataFrame) -> dict:
    """The state of places as the page's columns (codes; -1 for nobody)."""
    return {
        "controller": state["controller"].tolist(), "other": state["other"].tolist(),
        "attacker": state["attacker"].tolist(), "besieger": state["besieger"].tolist(),
        "status": state["status"].tolist(),
        "confidence": np.where(state["confidence"].to_numpy() < 0, len(CONFIDENCE), state["confidence"]).tolist(),
        "since": format_coded(state["since"].to_numpy(), state["since_precision"].to_numpy()).tolist(),
    }


def event_payload(model: Model, keep: np.ndarray, upto: pd.Timestamp, *, popup_events: int,
                  event_budget: int) -> dict:
    """Each kept place's last ``popup_events`` events up to ``upto`` (fewer, never under 3, when the page
    would carry more than about ``event_budget``), in date order, grouped by place (``eventOffsets``)."""
    popup_events = min(popup_events, max(3, event_budget // max(len(keep), 1)))
    position = np.full(len(model.places), -1)
    position[keep] = np.arange(len(keep))
    events = model.events
    start, pos = events["start"].to_numpy(), position[events["place"].to_numpy()]
    rows = np.flatnonzero((start <= np.datetime64(upto, "ns")) & (pos >= 0))
    # Sort numbers only (by place position, date, file order), then keep each place's last events: the text
    # columns are taken for the kept rows alone.
    rows = rows[np.lexsort((events["event"].to_numpy()[rows], start[rows], pos[rows]))]
    pos = pos[rows]
    totals = np.bincount(pos, minlength=len(keep))
    ends = np.cumsum(totals)
    rank_from_end = ends[pos] - 1 - np.arange(len(pos))
    kept = rank_from_end < popup_events
    ev = events.iloc[rows[kept]].assign(pos=pos[kept])
    shown = np.bincount(ev["pos"].to_numpy(), minlength=len(keep))
    source_codes, sources = _codes(ev["source"])
    url_codes, urls = _codes(ev["url"])
    note_codes, notes = _codes(ev["notes"])
    return {
        "eventOffsets": np.concatenate([[0], np.cumsum(shown)]).tolist(),
        "eventsHidden": (totals - shown).tolist(),
        "events": {
            # Days since 1970 and a precision code (0 day, 1 month, 2 year): the page formats them.
            "day": days(ev["start"].to_numpy()).tolist(),
            "precision": ev["precision"].map(PRECISION_CODES).to_numpy(np.int64).tolist(),
            "kind": pd.Categorical(ev["kind"], categories=list(EVENT_KINDS)).codes.tolist(),
            "actor": ev["actor"].tolist(),
            "confidence": pd.Categorical(ev["confidence"], categories=CONFIDENCE).codes.tolist(),
            "source": source_codes, "url": url_codes, "note": note_codes,
        },
        "sources": sources, "urls": urls, "notes": notes,
    }


def days(values: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of datetime64 values."""
    return np.asarray(values, dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def place_payload(model: Model, state: pd.DataFrame, date: pd.Timestamp, *, popup_events: int = 12,
                  keep: np.ndarray | None = None, event_budget: int = 150_000) -> dict:
    """Everything the page needs to draw and explain the places on ``date``.

    ``state`` is :func:`frontlines.control.snapshot` for that date; ``keep`` optionally selects places.
    """
    keep = np.arange(len(model.places)) if keep is None else keep
    return {
        **common_payload(model),
        "date": date.strftime("%Y-%m-%d"),
        "places": {**static_places(model, keep), **state_columns(state.iloc[keep])},
        **event_payload(model, keep, date, popup_events=popup_events, event_budget=event_budget),
    }
