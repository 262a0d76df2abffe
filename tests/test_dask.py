"""The Dask engine on a local cluster agrees with the pandas engine on every place."""

from __future__ import annotations

import dask.dataframe as dd
import distributed
import numpy as np
import pandas as pd
import pytest

import frontlines as fl


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster) as client:
        yield client


def test_dask_engine_agrees_with_pandas(client, atlas):
    on_dask = fl.load(engine="dask")
    pd.testing.assert_frame_equal(on_dask.model.intervals.reset_index(drop=True),
                                  atlas.model.intervals.reset_index(drop=True), check_dtype=False)
    for date in ("2014-06-15", "2017-01-25", "2019-03-24"):
        a, b = on_dask.control_at(date), atlas.control_at(date)
        assert (a["controller"].astype(str).to_numpy() == b["controller"].astype(str).to_numpy()).all()
        assert (a["status"].astype(str).to_numpy() == b["status"].astype(str).to_numpy()).all()


def test_control_codes_on_the_cluster(client, atlas):
    from frontlines.dask_engine import EVENT_COLUMNS, build_intervals_dask, control_codes_dask

    events = dd.from_pandas(atlas.model.events[list(EVENT_COLUMNS)], npartitions=6)
    intervals = build_intervals_dask(events).persist()
    codes = control_codes_dask(intervals, pd.Timestamp("2016-01-01"), len(atlas.places))
    expected = atlas.model.intervals
    day = np.datetime64("2016-01-01", "ns")
    active = expected[(expected["start"] <= day) & (expected["end"] > day)].set_index("place")
    got = codes.loc[active.index]
    assert (got["controller"].to_numpy() == active["controller"].to_numpy()).all()
    assert (got["status"].to_numpy() == active["status"].to_numpy()).all()


def test_csv_larger_than_a_block_is_read_checked_and_built_on_the_cluster(client, atlas, tmp_path):
    from frontlines.dask_engine import build_intervals_dask, read_events_dask

    rng = np.random.default_rng(4)
    places = atlas.places
    n = 20_000
    days = pd.date_range("2013-01-01", "2019-12-31").strftime("%Y-%m-%d").to_numpy()
    kinds = np.array(["captured", "held", "contested", "repelled", "besieged", "siege_lifted", "holds_part"])
    events = pd.DataFrame({
        "date": days[rng.integers(0, len(days), n)],
        "place": places["place_id"].to_numpy()[rng.integers(0, len(places), n)],
        "actor": atlas.actors["actor"].to_numpy()[rng.integers(0, len(atlas.actors), n)],
        "kind": kinds[rng.integers(0, len(kinds), n)], "source": "Synthetic", "url": "https://example.org/s",
    }).drop_duplicates(["date", "place"])  # no two events of one place on one day: nothing conflicts
    path = tmp_path / "events.csv"
    events.to_csv(path, index=False)
    coded = read_events_dask(path, places, atlas.actors, blocksize=100_000)
    assert coded.npartitions >= 8
    on_dask = build_intervals_dask(coded).compute().sort_values(["place", "start"], kind="stable")
    in_memory = fl.load(events=path).model.intervals
    assert len(in_memory) > 10_000
    pd.testing.assert_frame_equal(on_dask.reset_index(drop=True), in_memory.reset_index(drop=True),
                                  check_dtype=False)


def test_problems_in_every_block_are_reported_with_their_lines(client, atlas, tmp_path):
    from frontlines.dask_engine import read_events_dask

    days = pd.date_range("2013-01-01", periods=3000).strftime("%Y-%m-%d")
    rows = [{"date": days[i], "place": "Raqqa", "actor": "Islamic State", "kind": "held",
             "source": f"Source {i}", "url": "https://example.org/a"} for i in range(3000)]
    rows[10]["date"] = "2016-13-01"  # not a real date, line 12
    rows[1500]["place"] = "Raqqqqa Nowhere"  # unknown place, line 1502
    rows[2900]["kind"] = "captred"  # unknown kind, line 2902
    path = tmp_path / "events.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    with pytest.raises(fl.TableError) as info:
        read_events_dask(path, atlas.places, atlas.actors, blocksize=30_000)
    found = sorted((p.line, p.column) for p in info.value.problems)
    assert found == [(12, "date"), (1502, "place"), (2902, "kind")]
    assert all(p.file == "events.csv" for p in info.value.problems)
    # The same lines as the in-memory reader gives for the whole file.
    with pytest.raises(fl.TableError) as whole:
        fl.load(events=path)
    assert sorted((p.line, p.column) for p in whole.value.problems) == found
