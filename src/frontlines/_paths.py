"""Where the bundled data lives: inside the installed package, or at the top of a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_dir() -> Path:
    packaged = Path(str(resources.files("frontlines"))) / "data"
    if (packaged / "actors.csv").exists():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "data"
    if (checkout / "actors.csv").exists():
        return checkout
    raise FileNotFoundError("the bundled data is missing: reinstall frontlines")


def bundled(name: str) -> Path:
    """Path of a bundled file: 'events.csv', 'actors.csv', 'geo/places.csv', 'geo/countries.geojson'..."""
    return data_dir() / name
