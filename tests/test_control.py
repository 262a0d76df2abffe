"""The control engine on small fixture tables with known answers."""

from __future__ import annotations

import pandas as pd
import pytest

import frontlines as fl


def row(atlas: fl.Atlas, date: str, place: str) -> pd.Series:
    frame = atlas.control_at(date, places=[place])
    assert len(frame) == 1
    return frame.iloc[0]


@pytest.mark.parametrize(("date", "controller", "status", "since"), [
    ("2013-01-01", "unknown", "unknown", ""),
    ("2013-03-04", "Syrian rebels", "held", "2013-03-04"),
    ("2014-01-12", "Syrian rebels", "held", "2013-03-04"),
    ("2014-01-13", "Islamic State", "held", "2014-01-13"),
    ("2017-06-06", "Islamic State", "contested", "2014-01-13"),
    ("2017-10-17", "SDF", "held", "2017-10-17"),
])
def test_captures_and_contest(small, date, controller, status, since):
    r = row(small, date, "Alpha")
    assert (r["controller"], r["status"], r["since"]) == (controller, status, since)


def test_contested_names_the_attacker(small):
    r = row(small, "2017-07-01", "Alpha")
    assert r["attacker"] == "SDF" and bool(r["contested"])


def test_month_precision_is_kept_and_observation_keeps_since(small):
    assert row(small, "2015-06-01", "Beta")["since"] == "2015-05"
    assert row(small, "2015-06-01", "Beta")["confidence"] == "claimed"
    later = row(small, "2016-07-01", "Beta")
    assert (later["controller"], later["since"]) == ("Syrian government", "2016-03-27")


def test_siege_contest_and_withdrawal(small):
    assert row(small, "2014-04-01", "Gamma")["status"] == "besieged"
    assert row(small, "2014-04-01", "Gamma")["besieger"] == "Islamic State"
    assert row(small, "2014-05-15", "Gamma")["status"] == "held"
    assert row(small, "2014-06-10", "Gamma")["status"] == "contested"
    assert row(small, "2014-07-01", "Gamma")["status"] == "held"
    gone = row(small, "2014-09-02", "Gamma")
    assert (gone["controller"], gone["status"]) == ("unknown", "unknown")


def test_divided_city_with_airport(small):
    city = row(small, "2017-01-25", "Deir ez-Zor")
    assert city["controller"] == "Islamic State"
    assert city["other_holder"] == "Syrian government"
    assert city["status"] == "divided"
    # The Islamic State held most of the city and besieged the government's part.
    assert bool(city["besieged"]) and city["besieger"] == "Islamic State"
    assert row(small, "2017-09-06", "Deir ez-Zor")["besieger"] == ""
    airport = row(small, "2017-01-25", "Deir ez-Zor Airport")
    assert (airport["controller"], airport["status"]) == ("Syrian government", "held")
    after = row(small, "2017-11-04", "Deir ez-Zor")
    assert (after["controller"], after["status"], after["other_holder"]) == ("Syrian government", "held", "")


def test_part_of_a_town_and_successor(small):
    split = row(small, "2014-11-01", "Epsilon")
    assert (split["controller"], split["other_holder"], split["status"]) == ("YPG", "Islamic State", "divided")
    assert row(small, "2015-02-01", "Epsilon")["controller"] == "YPG"
    # The YPG's places are shown as the SDF's after the SDF was founded.
    assert row(small, "2016-02-01", "Epsilon")["controller"] == "SDF"


def test_same_day_events_apply_in_file_order(small):
    r = row(small, "2016-01-01", "Zeta")
    assert (r["controller"], r["confidence"]) == ("Islamic State", "disputed")


def test_control_at_all_places_is_a_geodataframe(small):
    frame = small.control_at("2017-01-25")
    assert frame.crs.to_epsg() == 4326
    assert len(frame) == len(small.places)
    assert {"place_id", "name", "controller", "status", "since", "geometry"} <= set(frame.columns)
    assert set(frame["status"].astype(str)) <= {"held", "divided", "contested", "besieged", "unknown"}


def test_history_lists_events_with_state_after(small):
    h = small.history("Alfa")
    assert list(h["date"]) == ["2013-03-04", "2014-01-13", "2017-06-06", "2017-10-17"]
    assert list(h["status_after"]) == ["held", "held", "contested", "held"]
    assert list(h["line"]) == [2, 3, 4, 5]


def test_changes_between_two_dates(small):
    ch = small.changes("2015-01-01", "2016-12-31")
    by_name = ch.set_index("name")
    # Beta fell and was retaken within the window: listed although its controller is the same at both ends.
    assert by_name.loc["Beta", "from"] == "Syrian government" and by_name.loc["Beta", "to"] == "Syrian government"
    assert by_name.loc["Beta", "hands_changed"] == 2
    assert by_name.loc["Beta", "when"] == "2015-05; 2016-03-27"
    assert "Zeta" in by_name.index and by_name.loc["Zeta", "to"] == "Islamic State"
    assert "https://example.org/b2" in by_name.loc["Beta", "sources"]
    assert "Alpha" not in by_name.index  # Islamic State held it throughout


def test_places_resolve_by_alias_accent_and_misspelling(small):
    assert small.resolve("Alfa") == "t:alpha"
    assert small.resolve("al-alpha") == "t:alpha"
    assert small.resolve("Deir ez Zour") == "t:delta"
    assert small.resolve("Dayr az-Zawr") == "t:delta"
    with pytest.warns(fl.FrontlinesWarning, match="closest spelling"):
        assert small.resolve("Epsilonz") == "t:eps"
    with pytest.raises(fl.UnknownNameError, match="did you mean"):
        small.resolve("Gammma town")
    # One letter from Beta but too short to tell a typo from another town ("Salma" is not "As Salman").
    with pytest.raises(fl.UnknownNameError, match="Beta"):
        small.resolve("Betas")


def test_a_town_missing_from_the_gazetteer_is_not_taken_for_another(atlas):
    # Real names that once resolved by loose fuzzy matching to other towns (Raqqa, Damascus).
    for name in ("al-Quriyah", "Tadamon"):
        with pytest.raises(fl.UnknownNameError):
            atlas.resolve(name)


def test_unknown_place_gets_suggestions(small):
    with pytest.raises(fl.UnknownNameError) as info:
        small.resolve("Epsylonz")  # two letters off: suggested, not taken
    assert "Epsilon" in str(info.value)
