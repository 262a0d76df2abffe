"""A corpus of bad tables: each gets one clear line per problem naming file, line and column, exit code 1,
no traceback, and nothing written. tests/data/bad/EXPECTED.csv says what each file must be told."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from .conftest import DATA
from .test_cli import run

BAD = DATA / "bad"
CASES = list(csv.DictReader((BAD / "EXPECTED.csv").open(encoding="utf-8")))
CONTEXT = {  # the two other tables each bad table is checked with
    "events": [],
    "places": ["--events", str(DATA / "events_small.csv"), "--actors", str(DATA / "actors_small.csv")],
    "actors": ["--events", str(DATA / "events_small.csv"), "--places", str(DATA / "places_small.csv")],
}


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_table_gets_a_clear_error(case, tmp_path):
    path = BAD / case["file"]
    before = path.read_bytes()
    out = tmp_path / "map.html"
    result = run("map", "2015-01-01", "-o", str(out), f"--{case['table']}", str(path), *CONTEXT[case["table"]],
                 cwd=Path(__file__).parents[1])
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("error: ") for line in lines)
    assert any(case["expected"] in line for line in lines), lines[:5]
    assert lines[-1].startswith("error: ") and "nothing was written" in lines[-1]
    assert not out.exists() and not list(tmp_path.glob(".map.html.*"))
    assert path.read_bytes() == before
