"""Property tests: for random event tables, the vectorised engine agrees with a plain replay of the events."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import frontlines as fl
from frontlines.control import state_changes

PLACES = pd.DataFrame({"place_id": ["a", "b", "c"], "name": ["Aa", "Bb", "Cc"], "lat": [35.0, 35.5, 36.0],
                       "lon": [38.0, 38.5, 39.0], "country": "SY"})
ACTORS = pd.DataFrame({"actor": ["P", "Q", "R"], "colour": ["#000000", "#D55E00", "#0072B2"]})
KINDS = ["captured", "held", "contested", "repelled", "besieged", "siege_lifted", "withdrew", "holds_part",
         "holds_most"]

event = st.tuples(st.integers(0, 40), st.sampled_from(["a", "b", "c"]), st.sampled_from(["P", "Q", "R"]),
                  st.sampled_from(KINDS))
tables = st.lists(event, min_size=1, max_size=25)


def replay(events: list[tuple[int, str, str, str]], place: str, day: int) -> dict[str, str | None]:
    """The meaning of the kinds, one event at a time, in date then file order (the README's table)."""
    s = {"controller": None, "other": None, "attacker": None, "besieger": None}
    for _day, _place, actor, kind in sorted((e for e in events if e[1] == place and e[0] <= day), key=lambda e: e[0]):
        if kind in ("captured", "held"):
            s["controller"], s["other"] = actor, None
            if kind == "captured":
                s["attacker"] = s["besieger"] = None
        elif kind == "holds_most":
            if s["controller"] not in (None, actor):
                s["other"] = s["controller"]
            s["controller"] = actor
        elif kind == "holds_part":
            s["other"] = actor
        elif kind == "contested":
            s["attacker"] = actor
        elif kind == "repelled":
            s["attacker"] = None
        elif kind == "besieged":
            s["besieger"] = actor
        elif kind == "siege_lifted":
            s["besieger"] = None
        elif kind == "withdrew":
            for role in ("controller", "other", "attacker", "besieger"):
                if s[role] == actor:
                    s[role] = None
    if s["controller"] is None and s["other"] is not None:
        s["controller"], s["other"] = s["other"], None
    if s["other"] == s["controller"]:
        s["other"] = None
    for role in ("attacker", "besieger"):
        if s["other"] is None and s[role] == s["controller"]:
            s[role] = None
    return s


def load(events):
    frame = pd.DataFrame(events, columns=["day", "place", "actor", "kind"])
    frame["date"] = (pd.Timestamp("2015-01-01") + pd.to_timedelta(frame["day"], unit="D")).dt.strftime("%Y-%m-%d")
    frame = frame.drop_duplicates(["date", "place", "actor", "kind"])
    # Two captures of one place on one day by different actors are refused as conflicting; keep the first.
    captures = frame[frame["kind"] == "captured"]
    frame = frame.drop(captures[captures.duplicated(["date", "place"])].index)
    frame = frame.assign(source="property test")
    rows = list(frame[["day", "place", "actor", "kind"]].itertuples(index=False, name=None))
    return fl.load(events=frame[["date", "place", "actor", "kind", "source"]], places=PLACES, actors=ACTORS), rows


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables, st.integers(0, 45))
def test_control_at_equals_a_plain_replay(events, day):
    atlas, rows = load(events)
    date = pd.Timestamp("2015-01-01") + pd.Timedelta(days=day)
    got = atlas.control_at(date).set_index("place_id")
    for place in "abc":
        want = replay(rows, place, day)
        row = got.loc[place]
        assert (row["controller"] if row["controller"] != "unknown" else None) == want["controller"]
        for role, column in (("other", "other_holder"), ("attacker", "attacker"), ("besieger", "besieger")):
            assert (row[column] or None) == want[role], (place, role, rows)


@settings(max_examples=60, deadline=None)
@given(tables)
def test_intervals_of_a_place_never_overlap(events):
    atlas, _ = load(events)
    iv = atlas.model.intervals.sort_values(["place", "start"])
    same = iv["place"].to_numpy()[1:] == iv["place"].to_numpy()[:-1]
    assert (iv["end"].to_numpy()[:-1][same] == iv["start"].to_numpy()[1:][same]).all()
    assert (iv["start"] < iv["end"]).all()


@settings(max_examples=60, deadline=None)
@given(tables, st.integers(0, 45), st.integers(0, 45))
def test_changes_agree_with_control_at(events, day_a, day_b):
    atlas, _ = load(events)
    a, b = (pd.Timestamp("2015-01-01") + pd.Timedelta(days=d) for d in sorted((day_a, day_b)))
    before, after = atlas.control_at(a).set_index("place_id"), atlas.control_at(b).set_index("place_id")
    changed = atlas.changes(a, b).set_index("place_id")
    differs = (before["controller"].astype(str) != after["controller"].astype(str)) | (
        before["status"].astype(str) != after["status"].astype(str))
    assert set(differs[differs].index) <= set(changed.index)
    for place, row in changed.iterrows():
        assert row["from"] == str(before.loc[place, "controller"]) and row["to"] == str(after.loc[place, "controller"])


@settings(max_examples=25, deadline=None)
@given(tables)
def test_timeline_records_equal_control_at_every_day(events):
    atlas, _ = load(events)
    start, end = pd.Timestamp("2014-12-30"), pd.Timestamp("2015-02-20")
    records = state_changes(atlas.model, start, end)
    actors = np.array(["P", "Q", "R", "unknown"], dtype=object)
    for day in pd.date_range(start, end, freq="3D"):
        upto = records[records["day"] <= day].groupby("place").last()
        expected = atlas.control_at(day)["controller"].astype(str).to_numpy()
        assert (actors[upto["controller"].to_numpy()] == expected).all()
