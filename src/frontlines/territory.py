"""Estimated control areas from town evidence: Voronoi cells around places, cut to the land and to a distance.

Method (every parameter is an option of :class:`TerritoryOptions`):

1. The places with a known controller on the date are the evidence. Each gets the part of the land closer to
   it than to any other such place (a Voronoi cell, ``shapely.voronoi_polygons``), cut to the countries'
   land and to a disc of ``cutoff_km`` around it: ground farther than that from any evidence is *unknown*
   rather than painted (town-based estimates otherwise overstate control in empty desert).
2. Cells take their place's controller and status (held, divided, contested, besieged).
3. A band ``band_km`` wide along every border between cells of different controllers is *contested*.
4. Areas are computed in an equal-area projection (Lambert azimuthal equal-area centred on the region).
   The low and high bounds repeat the estimate with ``low_cutoff_km`` and ``high_cutoff_km``.

Population held is the sum of the GeoNames populations of the places an actor holds (places without a
population count as zero).

Work is vectorised over cells with shapely's array functions; statistics over many dates reuse the cells
while the set of known places stays the same, and add up cell areas instead of dissolving polygons.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._paths import bundled
from .control import STATUS_NAMES, snapshot_arrays
from .model import NONE, Model

EQUAL_AREA = "+proj=laea +lat_0=34 +lon_0=41 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"


@dataclass(frozen=True)
class TerritoryOptions:
    """How areas are estimated from places.

    Parameters
    ----------
    cutoff_km
        Ground farther than this from every place with a known controller is unknown.
    low_cutoff_km, high_cutoff_km
        The cutoffs of the low and high bounds.
    band_km
        Width of the contested band along borders between different controllers (0 for none).
    countries
        ISO codes of the countries whose land is divided.
    """

    cutoff_km: float = 40.0
    low_cutoff_km: float = 25.0
    high_cutoff_km: float = 60.0
    band_km: float = 2.0
    countries: tuple[str, ...] = ("SY", "IQ")

    def __post_init__(self) -> None:
        if not 0 < self.low_cutoff_km <= self.cutoff_km <= self.high_cutoff_km:
            raise ValueError("the cutoffs must satisfy 0 < low_cutoff_km <= cutoff_km <= high_cutoff_km, got "
                             f"{self.low_cutoff_km}, {self.cutoff_km}, {self.high_cutoff_km}")
        if self.band_km < 0:
            raise ValueError(f"`band_km` was {self.band_km} but must be 0 or more")


def polygons_only(geometries: np.ndarray) -> np.ndarray:
    """Keep the polygonal parts of each geometry (overlay results may carry stray lines and points)."""
    parts, index = shapely.get_parts(geometries, return_index=True)
    polygonal = np.isin(shapely.get_type_id(parts), [3, 6])
    out = np.array([shapely.MultiPolygon()] * len(geometries), dtype=object)
    if polygonal.any():
        grouped = pd.Series(parts[polygonal]).groupby(index[polygonal]).agg(
            lambda g: shapely.multipolygons(shapely.get_parts(g.to_numpy())))
        out[grouped.index.to_numpy()] = grouped.to_numpy()
    return out


@lru_cache(maxsize=8)
def bundled_land(countries: tuple[str, ...]) -> shapely.Geometry:
    """The land of the given countries from the bundled boundaries, in the equal-area projection."""
    frame = gpd.read_file(bundled("geo/countries.geojson"))
    frame = frame[frame["country"].isin(countries)].to_crs(EQUAL_AREA)
    return shapely.union_all(shapely.make_valid(frame.geometry.to_numpy()))


@dataclass
class Cells:
    """Voronoi cells of a set of places, cut to the land, at the three cutoffs; and their shared borders."""

    places: np.ndarray  # place codes
    mid: np.ndarray  # cell polygons (equal-area CRS) at cutoff_km
    area: np.ndarray  # km2 at (low, mid, high) cutoffs, shape (n, 3)
    edges: np.ndarray  # (k, 2) indices into places of cells sharing a border
    edge_km: np.ndarray  # length of each shared border, km


def build_cells(points: np.ndarray, places: np.ndarray, land: shapely.Geometry, options: TerritoryOptions
                ) -> Cells:
    """Cells of ``points`` (shapely points in the equal-area CRS) belonging to ``places`` (codes)."""
    if len(points) == 0:
        empty = np.empty(0, dtype=object)
        return Cells(places, empty, np.zeros((0, 3)), np.zeros((0, 2), dtype=np.int64), np.zeros(0))
    # Places at the same spot share one cell: it goes to the first of them.
    xy = shapely.get_coordinates(points).round(1)
    _, first, inverse = np.unique(xy, axis=0, return_index=True, return_inverse=True)
    unique_points = points[np.sort(first)]
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    if len(unique_points) == 1:
        raw = np.array([land])
    else:
        envelope = shapely.buffer(shapely.envelope(land), 100_000)
        diagram = shapely.voronoi_polygons(shapely.multipoints(unique_points), extend_to=envelope, ordered=True)
        raw = np.asarray(shapely.get_parts(diagram))
    cells_unique = shapely.intersection(raw, land)
    owner = np.zeros(len(points), dtype=bool)
    owner[np.sort(first)] = True
    cells = np.where(owner, cells_unique[rank[inverse.ravel()]], shapely.Polygon())
    areas = np.zeros((len(points), 3))
    mid = None
    for k, km in enumerate((options.low_cutoff_km, options.cutoff_km, options.high_cutoff_km)):
        cut = shapely.intersection(cells, shapely.buffer(points, km * 1000, quad_segs=16))
        areas[:, k] = shapely.area(cut) / 1e6
        if k == 1:
            mid = cut
    # Neighbouring cells: pairs whose cut cells touch, with the length of their shared border.
    tree = shapely.STRtree(mid)
    left, right = tree.query(mid, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    shared = shapely.intersection(shapely.boundary(mid[left]), shapely.boundary(mid[right]))
    length = shapely.length(shared) / 1000
    touching = length > 0
    return Cells(places, mid, areas, np.column_stack([left[touching], right[touching]]), length[touching])


class TerritoryEstimator:
    """Estimates areas for one model; caches cells per set of known places."""

    def __init__(self, model: Model, options: TerritoryOptions | None = None, land: shapely.Geometry | None = None):
        self.model = model
        self.options = options or TerritoryOptions()
        self.land = land if land is not None else bundled_land(self.options.countries)
        self.land_km2 = shapely.area(self.land) / 1e6
        pl = model.places
        in_scope = pl["country"].isin(self.options.countries).to_numpy() if land is None else np.ones(len(pl), bool)
        self.in_scope = in_scope
        points = gpd.GeoSeries(gpd.points_from_xy(pl["lon"], pl["lat"]), crs=4326).to_crs(EQUAL_AREA)
        self.points = points.to_numpy()
        self.population = pl["population"].astype("Float64").fillna(0).to_numpy(dtype=float)
        self._cells: dict[bytes, Cells] = {}

    def cells_for(self, known: np.ndarray) -> Cells:
        key = np.packbits(known).tobytes()
        if key not in self._cells:
            codes = np.flatnonzero(known)
            self._cells[key] = build_cells(self.points[codes], codes, self.land, self.options)
        return self._cells[key]

    def state(self, date: pd.Timestamp) -> tuple[dict[str, np.ndarray], Cells]:
        state = snapshot_arrays(self.model, date)
        known = (state["controller"] != NONE) & self.in_scope
        return state, self.cells_for(known)

    # -- numbers ------------------------------------------------------------------------------------------
    def area_table(self, date: pd.Timestamp) -> pd.DataFrame:
        """km2 (with bounds) and population per actor and status on ``date``; 'unknown' is the rest."""
        state, cells = self.state(date)
        controller = state["controller"][cells.places]
        status = state["status"][cells.places]
        band = self._band_km2(controller, cells)
        frame = pd.DataFrame({"controller": controller, "status": status,
                              "area_km2": cells.area[:, 1] - band, "area_low_km2": cells.area[:, 0] - band,
                              "area_high_km2": cells.area[:, 2] - band,
                              "population": self.population[cells.places]})
        rows = frame.groupby(["controller", "status"], as_index=False).sum()
        contested = float(band.sum())
        if contested > 0:
            rows = pd.concat([rows, pd.DataFrame({
                "controller": [NONE], "status": [-2], "area_km2": [contested], "area_low_km2": [contested],
                "area_high_km2": [contested], "population": [0.0]})], ignore_index=True)
        painted = rows[["area_km2", "area_low_km2", "area_high_km2"]].sum()
        rows = pd.concat([rows, pd.DataFrame({
            "controller": [NONE], "status": [STATUS_CODES_UNKNOWN],
            "area_km2": [self.land_km2 - painted["area_km2"]],
            "area_low_km2": [self.land_km2 - painted["area_low_km2"]],
            "area_high_km2": [self.land_km2 - painted["area_high_km2"]], "population": [0.0]})],
            ignore_index=True)
        return self._named(rows)

    def _band_km2(self, controller: np.ndarray, cells: Cells) -> np.ndarray:
        """Per cell, the area given to the contested band along borders with other controllers."""
        band = np.zeros(len(cells.places))
        if self.options.band_km <= 0 or not len(cells.edges):
            return band
        a, b = cells.edges[:, 0], cells.edges[:, 1]
        opposing = controller[a] != controller[b]
        half = cells.edge_km[opposing] * self.options.band_km / 2
        np.add.at(band, a[opposing], half)
        np.add.at(band, b[opposing], half)
        return np.minimum(band, cells.area[:, 0])

    def _named(self, rows: pd.DataFrame) -> pd.DataFrame:
        actors = np.append(self.model.actors["actor"].to_numpy(dtype=object), "unknown")
        statuses = np.append(STATUS_NAMES, "contested band").astype(object)
        status = rows["status"].to_numpy()
        out = pd.DataFrame({
            "actor": actors[rows["controller"].to_numpy()],
            "status": np.where(status == -2, "contested", statuses[np.where(status < 0, len(statuses) - 1, status)]),
            "area_km2": rows["area_km2"].round(1), "area_low_km2": rows["area_low_km2"].round(1),
            "area_high_km2": rows["area_high_km2"].round(1), "population": rows["population"].round(0),
        })
        out.loc[status == -2, "actor"] = "contested band"
        # The bounds: a shorter cutoff paints less, so the low bound of a held area is the low-cutoff figure.
        lo = out[["area_low_km2", "area_high_km2"]].min(axis=1)
        hi = out[["area_low_km2", "area_high_km2"]].max(axis=1)
        out["area_low_km2"], out["area_high_km2"] = lo, hi
        return out.groupby(["actor", "status"], as_index=False, sort=False).sum()

    # -- geometry -----------------------------------------------------------------------------------------
    def territory(self, date: pd.Timestamp, crs: object = 4326) -> gpd.GeoDataFrame:
        """Areas per actor and status on ``date`` as polygons (in ``crs``) with km2, bounds and population."""
        table = self.area_table(date)
        state, cells = self.state(date)
        controller = state["controller"][cells.places]
        status = state["status"][cells.places]
        actors = np.append(self.model.actors["actor"].to_numpy(dtype=object), "unknown")
        frame = gpd.GeoDataFrame({"actor": actors[controller], "status": STATUS_NAMES[status].astype(object)},
                                 geometry=cells.mid, crs=EQUAL_AREA)
        shapes = frame.dissolve(["actor", "status"], as_index=False)
        # The union of the few dissolved shapes is far cheaper than the union of every cell.
        painted = shapely.union_all(shapes.geometry.to_numpy()) if len(shapes) else shapely.Polygon()
        band = self._band_geometry(controller, cells, painted)
        extra = [("unknown", "unknown", shapely.difference(self.land, painted))]
        if band is not None and not band.is_empty:
            shapes["geometry"] = shapes.geometry.difference(band)
            extra.append(("contested band", "contested", band))
        shapes = pd.concat([shapes, gpd.GeoDataFrame(
            {"actor": [e[0] for e in extra], "status": [e[1] for e in extra]},
            geometry=[e[2] for e in extra], crs=EQUAL_AREA)], ignore_index=True)
        merged = shapes.merge(table, on=["actor", "status"], how="left")
        merged = merged.set_geometry(polygons_only(shapely.make_valid(merged.geometry.to_numpy())), crs=EQUAL_AREA)
        return merged.to_crs(crs)[["actor", "status", "area_km2", "area_low_km2", "area_high_km2", "population",
                                     "geometry"]]

    def _band_geometry(self, controller: np.ndarray, cells: Cells, painted: shapely.Geometry
                       ) -> shapely.Geometry | None:
        if self.options.band_km <= 0 or not len(cells.edges):
            return None
        a, b = cells.edges[:, 0], cells.edges[:, 1]
        opposing = controller[a] != controller[b]
        if not opposing.any():
            return None
        lines = shapely.intersection(shapely.boundary(cells.mid[a[opposing]]), shapely.boundary(cells.mid[b[opposing]]))
        # One cheap buffer per shared border, then one union: far faster than buffering the union of lines.
        strips = shapely.buffer(lines, self.options.band_km * 500, quad_segs=2, cap_style="flat")
        return shapely.intersection(shapely.union_all(strips), painted)

    # -- over time ----------------------------------------------------------------------------------------
    def stats(self, dates: pd.DatetimeIndex, *, progress=None) -> pd.DataFrame:
        """km2 with bounds and population per actor for each date (long format)."""
        steps = progress(dates, total=len(dates), description="areas") if progress else dates
        frames = [self.area_table(date).assign(date=date) for date in steps]
        out = pd.concat(frames, ignore_index=True)
        return out.groupby(["date", "actor"], as_index=False, sort=True)[
            ["area_km2", "area_low_km2", "area_high_km2", "population"]].sum()


STATUS_CODES_UNKNOWN = int(np.flatnonzero(STATUS_NAMES == "unknown")[0])


def actor_diff(estimator: TerritoryEstimator, changed: pd.DataFrame, date_a: pd.Timestamp, date_b: pd.Timestamp
               ) -> pd.DataFrame:
    """Per actor: area and population on both dates, their change, and the places it gained and lost."""
    cols = ["area_km2", "area_low_km2", "area_high_km2", "population"]
    a = estimator.area_table(date_a).groupby("actor")[cols].sum()
    b = estimator.area_table(date_b).groupby("actor")[cols].sum()
    table = a.add_suffix("_a").join(b.add_suffix("_b"), how="outer").fillna(0.0)
    table["area_change_km2"] = table["area_km2_b"] - table["area_km2_a"]
    table["population_change"] = table["population_b"] - table["population_a"]
    frm, to = changed["from"].astype(str), changed["to"].astype(str)
    # A place going from unknown to known (its first event) was not gained from anyone.
    moved = changed[(frm != to) & (frm != "unknown") & (to != "unknown")]
    gained = moved.groupby(moved["to"].astype(str))["name"].agg(lambda n: "; ".join(sorted(n)))
    lost = moved.groupby(moved["from"].astype(str))["name"].agg(lambda n: "; ".join(sorted(n)))
    table["places_gained"] = gained.reindex(table.index).fillna("")
    table["places_lost"] = lost.reindex(table.index).fillna("")
    table = table.reset_index().rename(columns={"index": "actor"})
    order = ["actor", "area_km2_a", "area_km2_b", "area_change_km2", "area_low_km2_a", "area_high_km2_a",
             "area_low_km2_b", "area_high_km2_b", "population_a", "population_b", "population_change",
             "places_gained", "places_lost"]
    return table[order].sort_values("area_change_km2").reset_index(drop=True)
