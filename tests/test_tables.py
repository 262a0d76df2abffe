"""Reading and validating the three tables: every problem at once, with file, line and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import frontlines as fl
from frontlines.tables import read_tables

from .conftest import DATA

HEADER = "date,place,actor,kind,confidence,source,url,notes\n"


def events_file(tmp_path: Path, body: str, header: str = HEADER, name: str = "events.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(fl.TableError) as info:
        read_tables(path, DATA / "places_small.csv", DATA / "actors_small.csv")
    return [str(p) for p in info.value.problems]


def test_every_problem_is_reported_at_once_with_line_and_column(tmp_path):
    path = events_file(tmp_path, (
        "2017-02-30,Alpha,ISIS,captured,,Src,https://e.org,\n"
        "2015-05-01,Deir ez Zourr,Islamic State,captured,,Src,https://e.org,\n"
        "2015-05-01,Epsylon,Islamic State,captur,,Src,https://e.org,\n"
        "May 2015,Beta,Islamic Stat,captured,sure,,javascript:alert(1),\n"
    ))
    found = problems(path)
    assert "events.csv:2: column 'date': '2017-02-30' is not a real date; check the day and month" in found
    assert any(p.startswith("events.csv:4: column 'place': unknown place 'Epsylon'") and "Epsilon" in p
               for p in found)
    assert any(p.startswith("events.csv:4: column 'kind': unknown kind 'captur'") and "'captured'" in p
               for p in found)
    assert any(p.startswith("events.csv:5: column 'date': 'May 2015' is not a date") for p in found)
    assert any(p.startswith("events.csv:5: column 'actor': unknown actor 'Islamic Stat'") and "Islamic State" in p
               for p in found)
    assert any(p.startswith("events.csv:5: column 'confidence'") for p in found)
    assert any(p.startswith("events.csv:5: column 'source': value is missing") for p in found)
    assert any(p.startswith("events.csv:5: column 'url'") and "http" in p for p in found)
    # Transliteration variants resolve and are not problems.
    assert not any("Deir ez Zourr" in p for p in found)
    assert len(found) == 8


def test_missing_and_misspelt_columns(tmp_path):
    path = events_file(tmp_path, "2015-05-01,Alpha,ISIS,captured,Src\n", header="date,plcae,actor,kind,source\n")
    found = problems(path)
    assert any("column 'place': required column is missing" in p and "plcae" in p for p in found)


@pytest.mark.parametrize(("content", "message"), [
    ("", "the file is empty"),
    (HEADER, "the table has a header but no rows"),
])
def test_empty_tables(tmp_path, content, message):
    path = tmp_path / "events.csv"
    path.write_text(content, encoding="utf-8")
    assert any(message in p for p in problems(path))


def test_missing_file_and_directory(tmp_path):
    assert any("file not found" in p for p in problems(tmp_path / "nope.csv"))
    assert any("is a directory" in p for p in problems(tmp_path))


def test_semicolons_bom_and_crlf_are_read(tmp_path):
    path = tmp_path / "events.csv"
    text = "date;place;actor;kind;source\r\n2014-01-13;Alpha;ISIS;captured;Src\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    atlas = fl.load(events=path, places=DATA / "places_small.csv", actors=DATA / "actors_small.csv")
    assert atlas.control_at("2014-02-01", places=["Alpha"]).iloc[0]["controller"] == "Islamic State"


def test_not_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes((HEADER + "2014-01-13,Alpha,ISIS,captured,,Caf\xe9 source,,\n").encode("cp1252"))
    assert any("is not UTF-8" in p and "CSV UTF-8" in p for p in problems(path))


def test_duplicates_and_conflicting_captures(tmp_path):
    path = events_file(tmp_path, (
        "2014-01-13,Alpha,ISIS,captured,,Src,,\n"
        "2014-01-13,Alpha,Islamic State,captured,,Src,,\n"
        "2015-01-13,Beta,Islamic State,captured,,Src,,\n"
        "2015-01-13,Beta,FSA,captured,,Src,,\n"
    ))
    found = problems(path)
    assert any(p.startswith("events.csv:3:") and "duplicate of the event at line 2" in p for p in found)
    assert any("conflicting captures of 'Beta'" in p and "lines 4, 5" in p for p in found)


def test_future_dates_are_refused(tmp_path):
    path = events_file(tmp_path, "2999-01-01,Alpha,ISIS,captured,,Src,,\n")
    assert any("'2999-01-01' has an implausible year" in p for p in problems(path))
    path = events_file(tmp_path, "2199-01-01,Alpha,ISIS,captured,,Src,,\n")
    assert any("'2199-01-01' is in the future" in p for p in problems(path))


def test_place_table_problems(tmp_path):
    places = tmp_path / "places.csv"
    places.write_text(
        "place_id,name,lat,lon,parent\n"
        "a,Alpha,95,38,\n"
        "b,Beta,35,abc,\n"
        "a,Again,35,38,zzz\n", encoding="utf-8")
    with pytest.raises(fl.TableError) as info:
        read_tables(DATA / "events_small.csv", places, DATA / "actors_small.csv")
    found = [str(p) for p in info.value.problems]
    assert any(p.startswith("places.csv:2: column 'lat': 95 is outside -90..90") for p in found)
    assert any(p.startswith("places.csv:3: column 'lon': 'abc' is not a number") for p in found)
    assert any(p.startswith("places.csv:4: column 'place_id': duplicate id 'a' (first at line 2)") for p in found)
    assert any(p.startswith("places.csv:4: column 'parent'") for p in found)


def test_line_numbers_count_quoted_newlines(tmp_path):
    path = events_file(tmp_path, (
        '2014-01-13,Alpha,ISIS,captured,,Src,,"a note\nover two lines"\n'
        "2014-01-13,Nowhere,ISIS,captured,,Src,,\n"
    ))
    assert any(p.startswith("events.csv:4: column 'place': unknown place 'Nowhere'") for p in problems(path))


def test_input_tables_are_not_modified(tmp_path):
    path = events_file(tmp_path, "2017-02-30,Alpha,ISIS,captured,,Src,,\n")
    before = path.read_bytes()
    problems(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(("name", "place_id"), [("الرقة", "gn:172955"), ("Kobanî", "gn:172256"),
                                                ("عين العرب", "gn:172256"), ("Dêrezor", "gn:170794")])
def test_arabic_and_kurdish_names_resolve(atlas, name, place_id):
    assert atlas.resolve(name) == place_id
    events = pd.DataFrame({"date": ["2015-01-01"], "place": [name], "actor": ["داعش"], "kind": ["held"],
                           "source": ["x"]})
    loaded = fl.load(events=events)
    assert loaded.events["place_id"].tolist() == [place_id]
