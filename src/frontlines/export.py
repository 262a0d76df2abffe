"""Exports for GIS colleagues: places, territory and changes as GeoPackage, GeoJSON, CSV or GeoParquet."""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from ._write import write_bytes_atomic

FORMATS = ("gpkg", "geojson", "csv", "parquet")
ATTRIBUTION = ("frontlines. Places: GeoNames (CC BY 4.0, https://www.geonames.org/) and frontlines contributors; "
               "boundaries: Natural Earth (public domain); events: frontlines data set (CC BY 4.0), each event "
               "with its source")


def _plain(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns every format can store: categoricals and objects as text."""
    out = frame.copy()
    for column in out.columns:
        if column != out.geometry.name and (isinstance(out[column].dtype, pd.CategoricalDtype)
                                            or out[column].dtype == object):
            out[column] = out[column].astype(str)
    return out


def export_layers(layers: dict[str, gpd.GeoDataFrame], path: Path, fmt: str, *, protect: tuple[Path, ...] = (),
                  description: str = "") -> None:
    """Write ``layers`` to ``path`` atomically. GeoPackage holds every layer; the other formats hold the first.
    Attribution goes into the file's metadata where the format allows."""
    if fmt not in FORMATS:
        raise ValueError(f"`format` was {fmt!r} but is expected to be in {list(FORMATS)}")
    metadata = {"attribution": ATTRIBUTION, "description": description}
    with tempfile.TemporaryDirectory(dir=Path(path).resolve().parent) as tmp:
        target = Path(tmp) / f"export.{fmt}"
        if fmt == "gpkg":
            for name, frame in layers.items():
                pyogrio.write_dataframe(_plain(frame), target, layer=name, driver="GPKG", append=target.exists(),
                                        layer_metadata={"DESCRIPTION": f"{description} ({name})",
                                                        "ATTRIBUTION": ATTRIBUTION},
                                        dataset_metadata=metadata)
        else:
            frame = _plain(next(iter(layers.values())))
            if fmt == "geojson":
                pyogrio.write_dataframe(frame, target, driver="GeoJSON",
                                        layer_options={"DESCRIPTION": f"{description}. {ATTRIBUTION}"})
            elif fmt == "csv":
                table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
                if (frame.geom_type == "Point").all():
                    table["lon"], table["lat"] = frame.geometry.x.round(5), frame.geometry.y.round(5)
                else:
                    table["wkt"] = frame.geometry.to_wkt()
                table.to_csv(target, index=False, lineterminator="\n")
            else:
                frame.attrs = {}
                frame.to_parquet(target, index=False)
                import pyarrow.parquet as pq

                table = pq.read_table(target)
                meta = {**(table.schema.metadata or {}), b"frontlines": ATTRIBUTION.encode(),
                        b"description": description.encode()}
                pq.write_table(table.replace_schema_metadata(meta), target)
        write_bytes_atomic(Path(path), target.read_bytes(), protect=protect)
