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


MODULE = '''-- a detailed map module in the Wikipedia style, written for this test
return {
  name = "Syrian Civil War detailed map",
  marks = {
    { lat = 35.9528, long = 39.0079, mark = "Map-dot-black.svg", marksize = 7,
      label = "[[Raqqa|Ar-Raqqah]]", link = "Raqqa" },
    { lat = 36.5280, long = 37.9547, mark = "Map-dot-yellow.svg", label = "Manbij", link = "Manbij" },
    { lat = 35.3359, long = 40.1408, mark = "Map-dot-red-contested.svg", label = "Deir ez-Zor", link = "Deir ez-Zor" },
    { lat = 34.1000, long = 38.5000, mark = "Map-dot-green.svg", label = "Some Desert Post", link = "" },
    { lat = 36.2021, long = 37.1343, mark = "Map-dot-red-green.svg", label = "Aleppo", link = "Aleppo" },
    { lat = 36.0, long = 38.0, mark = "Tank-icon.svg", label = "Unknown symbol" },
    { mark = "Map-dot-red.svg", label = "No coordinates" },
  }
}
'''


def test_wikipedia_module_every_mark_imported_or_reported(tmp_path):
    module = tmp_path / "module.lua"
    module.write_text(MODULE, encoding="utf-8")
    out, new = tmp_path / "events.csv", tmp_path / "new_places.csv"
    result = run("import", "wikipedia-module", str(module), "--date", "2016-09-01", "-o", str(out),
                 "--places-out", str(new))
    assert result.returncode == 0, result.stderr
    events = pd.read_csv(out, keep_default_na=False)
    assert events.set_index("place").loc["gn:172955", "actor"] == "Islamic State"
    assert events.set_index("place").loc["gn:167357", "actor"] == "YPG"  # yellow; shown as SDF after 2015-10-10
    deir = events[events["place"] == "gn:170794"].iloc[0]
    assert (deir["actor"], deir["kind"]) == ("Syrian government", "held") and "contested" in deir["notes"]
    aleppo = events[events["place"] == "gn:170063"]
    assert aleppo[["actor", "kind"]].values.tolist() == [["Syrian government", "held"],
                                                          ["Syrian rebels", "holds_part"]]
    added = pd.read_csv(new, keep_default_na=False)
    assert added["name"].tolist() == ["Some Desert Post"]
    assert "Tank-icon.svg" in result.stderr and "without readable lat/long" in result.stderr
    assert "5 marks imported (6 events), 2 reported" in result.stderr and "Warning" not in result.stderr
    # The imported observations render as a date map with the bundled data plus the new places.
    places = pd.concat([pd.read_csv(DATA.parents[1] / "data" / "geo" / "places.csv", dtype=str,
                                    keep_default_na=False), added.astype(str)], ignore_index=True)
    atlas = fl.load(events=events, places=places)
    assert atlas.control_at("2016-09-02", places=["Manbij"]).iloc[0]["controller"] == "SDF"
    atlas.map("2016-09-02", basemap="none").save(str(tmp_path / "map.html"))


REAL_MODULE = DATA / "wikipedia" / "Syrian_and_Iraqi_insurgency_detailed_map.lua"

AWKWARD_MODULE = '''return { marks = {
  -- a comment with { braces } and mark = "Map-dot-red.svg"
  --[[ { lat = 1, long = 2, mark = "Map-dot-red.svg", label = "commented out" } ]]
  { lat = "36.5280", long = 37.9547, mark = "Map-dot-yellow.svg", label = "Say \\"Manbij\\"", link = "Manbij" }, -- ok
  { lat = "36°N", long = 37.1, mark = "Map-dot-red.svg", label = "Bad latitude" },
  { lat = 35, long = 38, mark = "Map-dot-black.svg", label = "Odd {brace} label" },
  { lat = 33.2, long = 36.1, mark = "LACMTA_Circle_Purple_Line.svg", label = "Truce Town" },
  { lat = 36.5280, long = 37.9547, mark = "Fighter-jet-yellow-icon.svg", label = "Manbij", link = "Manbij" },
} }
'''


def test_awkward_module_text_every_mark_accounted_for(tmp_path):
    from frontlines.importers import parse_module_marks

    marks = parse_module_marks(AWKWARD_MODULE)
    assert len(marks) == 5  # the commented-out entry is not a mark
    assert marks.loc[0, "label"] == 'Say "Manbij"' and marks.loc[0, "lat"] == 36.528
    module = tmp_path / "awkward.lua"
    module.write_text(AWKWARD_MODULE, encoding="utf-8")
    result = run("import", "wikipedia-module", str(module), "--date", "2017-01-01", "-o", str(tmp_path / "e.csv"))
    assert result.returncode == 0, result.stderr
    assert "3 marks imported (3 events), 2 reported" in result.stderr  # Manbij's two yellow marks: one event
    assert "awkward.lua:5: mark 'Bad latitude' without readable lat/long" in result.stderr
    assert "awkward.lua:6: mark '(entry could not be read)'" in result.stderr
    events = pd.read_csv(tmp_path / "e.csv", keep_default_na=False)
    assert not events.duplicated(["date", "place", "actor", "kind"]).any()  # loadable: no duplicate rows
    truce = events[events["notes"].str.contains("Purple")]
    assert truce[["actor", "kind"]].values.tolist() == [["Syrian government", "held"], ["Syrian rebels", "holds_part"]]


@pytest.mark.browser
def test_real_wikipedia_module_imports_and_renders(tmp_path, open_page):
    """A real module snapshot (the Syrian-Iraqi border marks; see tests/data/wikipedia/README.md)."""
    out, new = tmp_path / "events.csv", tmp_path / "new_places.csv"
    result = run("import", "wikipedia-module", str(REAL_MODULE), "--date", "2019-03-01", "-o", str(out),
                 "--places-out", str(new))
    assert result.returncode == 0, result.stderr
    n_marks = REAL_MODULE.read_text(encoding="utf-8").count("mark = ")
    assert n_marks == 16
    # Every mark accounted for: 8 coloured dots imported, 8 border-post icons reported.
    assert "8 marks imported (9 events), 8 reported" in result.stderr
    assert result.stderr.count("icon without a side") == 8
    events = pd.read_csv(out, keep_default_na=False)
    by_place = events.groupby("place")[["actor", "kind"]].agg(list)
    assert by_place.loc["fl:al-qaim-border-crossing"].tolist() == [["Islamic State"], ["held"]]  # by its link
    assert by_place.loc["fl:semalka-crossing"].tolist() == [["YPG"], ["held"]]
    tal_sufouq = by_place.loc[by_place.index.str.startswith("wp:tal-sufouq")].iloc[0]
    assert tal_sufouq.tolist() == [["Syrian government", "YPG"], ["held", "holds_part"]]  # Map-ctl2-red+yellow
    added = pd.read_csv(new, keep_default_na=False)
    assert len(added) == 6 and added["place_id"].str.startswith("wp:").all()
    places = pd.concat([pd.read_csv(DATA.parents[1] / "data" / "geo" / "places.csv", dtype=str,
                                    keep_default_na=False), added.astype(str)], ignore_index=True)
    atlas = fl.load(events=events, places=places)
    state = atlas.control_at("2019-03-02", places=["fl:semalka-crossing"]).iloc[0]
    assert state["controller"] == "SDF"  # YPG's successor
    path = tmp_path / "module_map.html"
    atlas.map("2019-03-02", basemap="none").save(str(path))
    run_ = open_page(path)
    run_.page.wait_for_selector(".frontlines-legend-row")
    legend = run_.page.locator(".frontlines-legend-row").evaluate_all("rows => rows.map(r => r.dataset.actor)")
    assert {"Islamic State", "SDF", "Syrian government"} <= set(legend)
    assert run_.console_errors == [] and run_.page_errors == [] and run_.refused == []


def test_acled_territory_events(tmp_path):
    """A file written here in ACLED's format (no real ACLED rows may be shipped)."""
    rows = [
        {"event_date": "27 March 2016", "time_precision": "1", "event_type": "Strategic developments",
         "sub_event_type": "Government regains territory", "actor1": "Islamic State (Iraq and the Levant)",
         "actor2": "Military Forces of Syria (2000-)", "inter1": "2", "inter2": "1", "location": "Tadmur",
         "latitude": "34.5601", "longitude": "38.2674", "geo_precision": "1", "source": "Test wire",
         "notes": "Regime forces regained control of the town."},
        {"event_date": "2016-08-12", "time_precision": "2", "event_type": "Strategic developments",
         "sub_event_type": "Non-state actor overtakes territory", "actor1": "QSD: Syrian Democratic Forces",
         "actor2": "Islamic State (Iraq and the Levant)", "inter1": "Rebel group", "inter2": "Rebel group",
         "location": "Manbij", "latitude": "36.5281", "longitude": "37.9549", "geo_precision": "1",
         "source": "Test monitor", "notes": "SDF took full control."},
        {"event_date": "2016-08-13", "time_precision": "3", "event_type": "Strategic developments",
         "sub_event_type": "Non-violent transfer of territory", "actor1": "Syrian rebels", "actor2": "SDF",
         "inter1": "2", "inter2": "2", "location": "Nowhere Village", "latitude": "36.0", "longitude": "41.9",
         "geo_precision": "2", "source": "Test", "notes": "The village was handed over to SDF."},
        {"event_date": "2016-08-14", "time_precision": "1", "event_type": "Battles", "sub_event_type": "Armed clash",
         "actor1": "X", "actor2": "Y", "inter1": "1", "inter2": "2", "location": "Raqqa", "latitude": "35.95",
         "longitude": "39.0", "geo_precision": "1", "source": "Test", "notes": "Clash."},
    ]
    path = tmp_path / "acled.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    out, new = tmp_path / "events.csv", tmp_path / "new.csv"
    result = run("import", "acled", str(path), "-o", str(out), "--places-out", str(new))
    assert result.returncode == 0, result.stderr
    events = pd.read_csv(out, keep_default_na=False)
    assert len(events) == 3  # the battle row is not a territory event
    palmyra, manbij, village = events.to_dict("records")
    assert (palmyra["place"], palmyra["actor"], palmyra["date"]) == ("gn:163808", "Military Forces of Syria (2000-)",
                                                                      "2016-03-27")
    assert "winner inferred" in palmyra["notes"] and palmyra["confidence"] == "claimed"
    assert (manbij["place"], manbij["actor"]) == ("gn:167357", "SDF") and "within a week" in manbij["notes"]
    assert (village["actor"], village["date"]) == ("SDF", "2016-08") and village["place"].startswith("acled:")
    assert "actor 'Military Forces of Syria (2000-)' is not in the actors table" in result.stderr
    assert pd.read_csv(new)["name"].tolist() == ["Nowhere Village"]
