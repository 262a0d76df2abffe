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
