"""The frontlines command, run as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from .conftest import DATA

SMALL = ["--events", str(DATA / "events_small.csv"), "--places", str(DATA / "places_small.csv"),
         "--actors", str(DATA / "actors_small.csv")]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "frontlines.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_help_explains_every_command_with_an_example():
    result = run("--help")
    assert result.returncode == 0
    for command in ("map", "control", "history", "validate"):
        assert command in result.stdout
        sub = run(command, "--help")
        assert sub.returncode == 0 and "Example: frontlines " + command in sub.stdout


def test_control_csv_for_named_places_of_the_seed_report():
    result = run("control", "2017-01-25", "--place", "Raqqa", "--place", "Deir ez-Zour", "--place", "Palmyra",
                 "--place", "Mosul", "--place", "Manbij", "--place", "Jarablus", "--place", "al-Bab",
                 "--place", "Yarmouk")
    assert result.returncode == 0, result.stderr
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert list(csv.DictReader(io.StringIO(result.stdout)).fieldnames)[:5] == [
        "place_id", "name", "controller", "status", "since"]
    assert rows["Raqqa"]["controller"] == "Islamic State"
    assert rows["Deir ez-Zor"]["status"] == "divided"
    assert {rows["Deir ez-Zor"]["controller"], rows["Deir ez-Zor"]["other_holder"]} == {
        "Islamic State", "Syrian government"}
    assert rows["Palmyra"]["controller"] == "Islamic State"  # retaken by IS on 11 December 2016
    assert rows["Mosul"]["status"] == "divided"  # east Mosul retaken in January 2017, west still IS
    assert rows["Manbij"]["controller"] == "SDF"
    assert rows["Jarabulus"]["controller"] == "Turkey-backed rebels"
    assert rows["al-Bab"]["controller"] == "Islamic State" and rows["al-Bab"]["status"] == "contested"
    assert rows["Yarmouk camp"]["controller"] == "Islamic State"


def test_control_json_and_geojson(tmp_path):
    result = run("control", "2015-06-01", "--format", "json", *SMALL)
    records = json.loads(result.stdout)
    assert {r["name"]: r["controller"] for r in records}["Beta"] == "Islamic State"
    out = tmp_path / "c.geojson"
    assert run("control", "2015-06-01", "--format", "geojson", "-o", str(out), *SMALL).returncode == 0
    import pyogrio

    frame = pyogrio.read_dataframe(out)
    assert len(frame) == 8 and frame.crs.to_epsg() == 4326


def test_history_prints_sources():
    result = run("history", "Alfa", *SMALL)
    assert result.returncode == 0
    assert "https://example.org/a2" in result.stdout and "captured" in result.stdout


def test_validate_bundled_data_is_clean():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")


def test_bad_table_exit_code_1_one_line_per_problem_no_traceback(tmp_path):
    bad = tmp_path / "events.csv"
    bad.write_text("date,place,actor,kind,source\n2017-02-30,Alpha,ISIS,captured,S\n2015-01-01,Nowhere,ISIS,held,S\n",
                   encoding="utf-8")
    out = tmp_path / "map.html"
    result = run("map", "2017-01-01", "-o", str(out), "--events", str(bad), "--places",
                 str(DATA / "places_small.csv"), "--actors", str(DATA / "actors_small.csv"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: events.csv:2: column 'date'")
    assert lines[1].startswith("error: events.csv:3: column 'place': unknown place 'Nowhere'")
    assert not out.exists()


def test_usage_errors_exit_2(tmp_path):
    assert run("control", "2017-13-45", *SMALL).returncode == 2
    unknown = run("control", "2017-01-01", "--place", "Atlantis", *SMALL)
    assert unknown.returncode == 2 and "unknown place 'Atlantis'" in unknown.stderr
    assert run("control", "2017-01-01", "--format", "xml", *SMALL).returncode == 2
    assert run("frobnicate").returncode == 2


def test_map_refuses_to_overwrite_an_input(tmp_path):
    events = tmp_path / "events.csv"
    events.write_bytes((DATA / "events_small.csv").read_bytes())
    result = run("map", "2015-01-01", "-o", str(events), "--events", str(events), "--places",
                 str(DATA / "places_small.csv"), "--actors", str(DATA / "actors_small.csv"))
    assert result.returncode == 2 and "refusing to overwrite" in result.stderr
    assert events.read_bytes() == (DATA / "events_small.csv").read_bytes()


def test_map_writes_html(tmp_path):
    out = tmp_path / "map.html"
    result = run("map", "2015-06-01", "-o", str(out), "--basemap", "none", *SMALL)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "frontlines.placeLayer" in html and "Control on 1 June 2015" in html


def test_timeline_command_writes_one_file(tmp_path):
    out = tmp_path / "t.html"
    result = run("timeline", "--freq", "M", "-o", str(out), "--basemap", "none", *SMALL)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "frontlines.timeline(" in html and '"precision":1' in html
    assert run("timeline", "--freq", "Q", "-o", str(out), *SMALL).returncode == 2


def test_stats_command_csv_and_chart(tmp_path):
    out, chart = tmp_path / "stats.csv", tmp_path / "stats.png"
    result = run("stats", "--start", "2015-01-01", "--end", "2017-12-31", "-o", str(out), "--plot", str(chart))
    assert result.returncode == 0, result.stderr
    table = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {"date", "actor", "area_km2", "area_low_km2", "area_high_km2", "population"} <= set(table[0])
    islamic_state = [float(r["area_km2"]) for r in table if r["actor"] == "Islamic State"]
    assert len(islamic_state) == 36 and islamic_state[0] > 5 * islamic_state[-1]
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_diff_names_the_towns_that_changed_hands_in_2016(tmp_path):
    result = run("diff", "2016-01-01", "2017-01-01", "--format", "csv")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for town in ("Ramadi", "Fallujah", "Manbij", "Jarabulus", "Palmyra"):
        assert town in text, town
    changes = list(csv.DictReader(io.StringIO(text.split("\n\n", 1)[1])))
    palmyra = next(r for r in changes if r["name"] == "Palmyra")
    assert palmyra["hands_changed"] == "2" and "http" in palmyra["sources"]
    out = tmp_path / "diff.html"
    assert run("diff", "2016-01-01", "2017-01-01", "-o", str(out), "--basemap", "none").returncode == 0
    assert "Changes from 2016-01-01 to 2017-01-01" in out.read_text(encoding="utf-8")
