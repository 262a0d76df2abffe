"""The timeline: its change records reproduce control_at, and the page plays in headless Chromium."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from frontlines.control import state_changes
from frontlines.model import NONE
from frontlines.render.timeline import frame_days

SAMPLE_DATES = ["2013-06-01", "2014-06-15", "2015-04-07", "2016-08-13", "2017-01-25", "2017-10-18", "2019-03-24"]


def test_change_records_equal_control_at_on_every_sample_date(atlas):
    changes = state_changes(atlas.model, pd.Timestamp("2013-01-01"), pd.Timestamp("2019-12-31"))
    actors = np.array([*atlas.actors["actor"], "unknown"], dtype=object)
    for date in SAMPLE_DATES:
        upto = changes[changes["day"] <= pd.Timestamp(date)].groupby("place").last()
        expected = atlas.control_at(date)
        got = actors[np.where(upto["controller"].to_numpy() == NONE, -1, upto["controller"].to_numpy())]
        assert (got == expected["controller"].astype(str).to_numpy()).all(), date


def test_frames_per_day_week_and_month():
    start, end = pd.Timestamp("2016-01-15"), pd.Timestamp("2016-03-10")
    daily, precision = frame_days(start, end, "D")
    assert len(daily) == 56 and precision == 0
    assert len(frame_days(start, end, "W")[0]) == 8
    monthly, precision = frame_days(start, end, "M")
    assert precision == 1 and list(pd.to_datetime(monthly, unit="D").strftime("%Y-%m")) == [
        "2016-01", "2016-02", "2016-03"]
    with pytest.raises(ValueError, match="freq"):
        frame_days(start, end, "H")


@pytest.fixture(scope="module")
def timeline_file(atlas, tmp_path_factory):
    path = tmp_path_factory.mktemp("timeline") / "timeline.html"
    atlas.timeline(basemap="none").save(str(path))
    return path


def _page_state(page) -> tuple[list[int], list[int]]:
    return (page.evaluate("Array.from(frontlines.timelines[0].data.places.controller)"),
            page.evaluate("Array.from(frontlines.timelines[0].data.places.status)"))


@pytest.mark.browser
def test_timeline_states_equal_control_at(open_page, timeline_file, atlas):
    run = open_page(timeline_file)
    page = run.page
    page.wait_for_selector(".frontlines-legend-row")
    actors = [*atlas.actors["actor"]]
    for date in SAMPLE_DATES:
        day = (pd.Timestamp(date) - pd.Timestamp("1970-01-01")).days
        page.evaluate(f"frontlines.timelines[0].setFrame({day} - frontlines.timelines[0].data.frames.days[0])")
        controller, status = _page_state(page)
        expected = atlas.control_at(date)
        names = [actors[c] if c >= 0 else "unknown" for c in controller]
        assert names == expected["controller"].astype(str).tolist(), date
        statuses = page.evaluate("frontlines.timelines[0].data.statuses")
        assert [statuses[s] for s in status] == expected["status"].astype(str).tolist(), date
        assert page.input_value(".frontlines-slider") == str(day - 15706)  # 15706 = 2013-01-01
        assert page.inner_text(".frontlines-timeline-label") == date
        legend = {row.get_attribute("data-actor"): int(row.locator(".frontlines-count").inner_text())
                  for row in page.locator(".frontlines-legend-row").all()}
        counts = expected["controller"].value_counts()
        assert legend == counts[counts > 0].to_dict(), date
    assert run.console_errors == [] and run.page_errors == [] and run.refused == []


@pytest.mark.browser
def test_known_place_colour_follows_the_slider(open_page, timeline_file, atlas):
    run = open_page(timeline_file)
    page = run.page
    page.wait_for_selector(".frontlines-legend-row")
    index = int(np.flatnonzero(atlas.places["name"].to_numpy() == "Palmyra")[0])
    colours = dict(zip(atlas.actors["actor"], atlas.actors["colour"], strict=True))
    for date, holder in [("2015-06-01", "Islamic State"), ("2016-06-01", "Syrian government"),
                         ("2017-01-01", "Islamic State"), ("2017-04-01", "Syrian government")]:
        page.evaluate(f"location.hash = '#{date}'")
        page.wait_for_function(f"document.querySelector('.frontlines-timeline-label').textContent === '{date}'")
        fill = page.evaluate(f"frontlines.timelines[0].markers[{index}].options.fillColor")
        assert fill == colours[holder], date
    assert run.page_errors == []


@pytest.mark.browser
def test_opens_at_the_date_in_the_url_hash_and_plays(open_page, timeline_file):
    run = open_page(timeline_file, hash_="#2016-12-11")
    page = run.page
    page.wait_for_selector(".frontlines-legend-row")
    assert page.inner_text(".frontlines-timeline-label") == "2016-12-11"
    assert "Control on 2016-12-11" in page.inner_text(".frontlines-title")
    start = page.evaluate("frontlines.timelines[0].frame")
    page.click(".frontlines-play")
    page.wait_for_function(f"frontlines.timelines[0].frame >= {start + 3}")
    page.click(".frontlines-play")
    stopped = page.evaluate("frontlines.timelines[0].frame")
    page.wait_for_timeout(400)
    assert page.evaluate("frontlines.timelines[0].frame") == stopped  # paused
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("frontlines.timelines[0].frame") == stopped - 1
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("frontlines.timelines[0].frame") == stopped + 1
    assert page.evaluate("location.hash") == "#" + page.inner_text(".frontlines-timeline-label")
    assert run.console_errors == [] and run.page_errors == []


@pytest.mark.browser
def test_popup_lists_only_events_up_to_the_slider(open_page, timeline_file, atlas):
    run = open_page(timeline_file, hash_="#2016-01-01")
    page = run.page
    page.wait_for_selector(".frontlines-legend-row")
    index = int(np.flatnonzero(atlas.places["name"].to_numpy() == "Palmyra")[0])
    page.evaluate(f"frontlines.timelines[0].markers[{index}].openPopup() && null")
    text = page.inner_text(".frontlines-popup")
    assert "2015-05-21" in text and "2016-03-27" not in text
    assert page.locator(".frontlines-popup a").count() >= 2


@pytest.mark.browser
def test_territory_cells_follow_the_slider(open_page, atlas, tmp_path):
    path = tmp_path / "territory.html"
    atlas.timeline("2015-01-01", "2017-12-31", freq="W", basemap="none", territory=True).save(str(path))
    run = open_page(path, hash_="#2015-06-04")
    page = run.page
    page.wait_for_selector(".frontlines-legend-row")
    index = int(np.flatnonzero(atlas.places["name"].to_numpy() == "Palmyra")[0])
    colours = dict(zip(atlas.actors["actor"], atlas.actors["colour"], strict=True))
    assert page.evaluate(f"frontlines.timelines[0].cells[{index}].options.fillColor") == colours["Islamic State"]
    page.evaluate("location.hash = '#2016-06-02'")
    page.wait_for_function("document.querySelector('.frontlines-timeline-label').textContent === '2016-06-02'")
    assert page.evaluate(f"frontlines.timelines[0].cells[{index}].options.fillColor") == colours["Syrian government"]
    assert run.page_errors == [] and run.console_errors == []
