"""Importers: snapshot tables compressed into change events."""

from __future__ import annotations

import pandas as pd
import pytest

import frontlines as fl
from frontlines.importers import snapshots_to_events

from .conftest import DATA
from .test_cli import run


def snapshots(tmp_path, rows, name="snap.csv"):
    path = tmp_path / name
    pd.DataFrame(rows, columns=["date", "place", "actor"]).to_csv(path, index=False)
    return path


def test_daily_snapshots_become_change_events(tmp_path):
    days = pd.date_range("2015-01-01", "2015-01-10").strftime("%Y-%m-%d")
    rows = [(d, "Alpha", "Islamic State" if i < 4 else "Syrian rebels") for i, d in enumerate(days)]
    rows += [(d, "Beta", "Syrian government") for d in days]
    events = snapshots_to_events(snapshots(tmp_path, rows[::-1]), source="fixture")
    assert events[["date", "place", "actor", "kind"]].values.tolist() == [
        ["2015-01-01", "Alpha", "Islamic State", "held"], ["2015-01-05", "Alpha", "Syrian rebels", "captured"],
        ["2015-01-01", "Beta", "Syrian government", "held"]]
    # The events reproduce the snapshots.
    atlas = fl.load(events=events, places=DATA / "places_small.csv", actors=DATA / "actors_small.csv")
    for day, place, actor in rows:
        assert atlas.control_at(day, places=[place]).iloc[0]["controller"] == actor


def test_conflicting_snapshots_and_missing_source_are_reported(tmp_path):
    with pytest.raises(fl.TableError, match="two actors hold the same place on the same date"):
        snapshots_to_events(snapshots(tmp_path, [("2015-01-01", "Alpha", "A"), ("2015-01-01", "Alpha", "B")]),
                            source="x")
    with pytest.raises(fl.TableError, match="column 'source': value is missing"):
        snapshots_to_events(snapshots(tmp_path, [("2015-01-01", "Alpha", "A")]))


def test_import_snapshots_command(tmp_path):
    path = snapshots(tmp_path, [("2015-01-01", "Alpha", "ISIS"), ("2015-02-01", "Alpha", "ISIS"),
                                ("2015-03-01", "Alpha", "FSA")])
    out = tmp_path / "events.csv"
    result = run("import", "snapshots", str(path), "--source", "Monthly snapshots", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert len(pd.read_csv(out)) == 2
    assert run("import", "snapshots", str(path), "--source", "x", "-o", str(path)).returncode == 2  # not over input
