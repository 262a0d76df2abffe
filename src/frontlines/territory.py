"""Estimated control areas from town evidence: Voronoi cells around places, cut to the land and to a distance.

Method (every parameter is an option of :class:`TerritoryOptions`):

1. The places with a known controller on the date are the evidence. Each gets the part of the land closer to
   it than to any other such place (a Voronoi cell, ``shapely.voronoi_polygons``), cut to the countries'
   land and to a disc of ``cutoff_km`` around it: ground farther than that from any evidence is *unknown*
   rather than painted (town-based estimates otherwise overstate control in empty desert).
2. Cells take their place's controller and status (held, divided, contested, besieged). A divided place's
   cell and population count half for each of its two holders (the cell is drawn for both).
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
    """The land of the given countries from the bundled boundaries, in the equal-area projection (prepared)."""
    frame = gpd.read_file(bundled("geo/countries.geojson"))
    frame = frame[frame["country"].isin(countries)].to_crs(EQUAL_AREA)
    land = shapely.union_all(shapely.make_valid(frame.geometry.to_numpy()))
    shapely.prepare(land)
    return land


@dataclass
class Cells:
    """Voronoi cells of a set of places, cut to the land, at the three cutoffs; and their shared borders."""

    places: np.ndarray  # place codes
    mid: np.ndarray  # cell polygons (equal-area CRS) at cutoff_km
    area: np.ndarray  # km2 at (low, mid, high) cutoffs, shape (n, 3)
    edges: np.ndarray  # (k, 2) indices into places of cells sharing a border
    edge_km: np.ndarray  # length of each shared border, km
    borders: np.ndarray  # the shared border of each edge (lines, equal-area CRS)
    trimmed: np.ndarray  # cells cut by their cutoff disc (their borders no longer match their neighbours')


def farthest_vertex(cells: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Distance from each point to the farthest vertex of its cell (the farthest point of any polygon is a
    vertex), so cells wholly inside a cutoff disc need no intersection with it."""
    xy, index = shapely.get_coordinates(cells, return_index=True)
    far = np.zeros(len(cells))
    if len(xy):
        np.maximum.at(far, index, np.hypot(*(xy - shapely.get_coordinates(points)[index]).T))
    return far


def shared_borders(cells: np.ndarray, trimmed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of cells sharing a border, its length (km) and its lines.

    The cells are a coverage (Voronoi cells cut to the land share their border vertices exactly), so a border
    is a run of segments found in both cells' rings: matched by their end points in numpy, with no geometry
    operation per pair. Cells cut by their cutoff disc (``trimmed``, few) are paired by intersection instead.
    """
    parts, part_cell = shapely.get_parts(cells, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    xy, point_ring = shapely.get_coordinates(rings, return_index=True)
    same = point_ring[:-1] == point_ring[1:]
    start, end = xy[:-1][same], xy[1:][same]
    cell = part_cell[ring_part[point_ring[:-1][same]]]
    # Each segment keyed by its two end points (in a fixed order, rounded to the centimetre).
    swap = (start[:, 0] > end[:, 0]) | ((start[:, 0] == end[:, 0]) & (start[:, 1] > end[:, 1]))
    a, b = np.where(swap[:, None], end, start), np.where(swap[:, None], start, end)
    keys = np.round(np.hstack([a, b]), 2)
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    twice = counts[inverse] == 2
    order = np.argsort(inverse[twice], kind="stable")
    seg = np.flatnonzero(twice)[order].reshape(-1, 2)  # the two occurrences of each shared segment
    left, right = np.minimum(cell[seg[:, 0]], cell[seg[:, 1]]), np.maximum(cell[seg[:, 0]], cell[seg[:, 1]])
    keep = (left != right) & ~trimmed[left] & ~trimmed[right]
    seg, left, right = seg[keep, 0], left[keep], right[keep]
    pairs, pair = np.unique(np.column_stack([left, right]), axis=0, return_inverse=True)
    pair = pair.ravel()
    lines = shapely.linestrings(np.stack([start[seg], end[seg]], axis=1))
    edges = pairs.astype(np.int64)
    edge_km = np.bincount(pair, weights=np.hypot(*(end[seg] - start[seg]).T), minlength=len(pairs)) / 1000
    order = np.argsort(pair, kind="stable")
    border_lines = shapely.multilinestrings(lines[order], indices=pair[order])
    if trimmed.any():  # pairs with a trimmed cell: by intersecting boundaries
        tree = shapely.STRtree(cells)
        q, other = tree.query(cells[trimmed], predicate="intersects")
        first = np.flatnonzero(trimmed)[q]
        lo, hi = np.minimum(first, other), np.maximum(first, other)
        pairs = np.unique(np.column_stack([lo, hi])[lo != hi], axis=0)
        lines = shapely.intersection(shapely.boundary(cells[pairs[:, 0]]), shapely.boundary(cells[pairs[:, 1]]))
        length = shapely.length(lines) / 1000
        touching = length > 0
        edges = np.vstack([edges, pairs[touching]])
        edge_km = np.concatenate([edge_km, length[touching]])
        border_lines = np.concatenate([border_lines, lines[touching]])
    return edges, edge_km, border_lines


def build_cells(points: np.ndarray, places: np.ndarray, land: shapely.Geometry, options: TerritoryOptions
                ) -> Cells:
    """Cells of ``points`` (shapely points in the equal-area CRS) belonging to ``places`` (codes)."""
    if len(points) == 0:
        empty = np.empty(0, dtype=object)
        return Cells(places, empty, np.zeros((0, 3)), np.zeros((0, 2), dtype=np.int64), np.zeros(0), empty,
                     np.zeros(0, dtype=bool))
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
    # Only the cells that cross the coast or border need cutting (the land is prepared: a cheap test).
    shapely.prepare(land)
    crossing = ~shapely.contains_properly(land, raw)
    cells_unique = raw.copy()
    cells_unique[crossing] = shapely.intersection(raw[crossing], land)
    owner = np.zeros(len(points), dtype=bool)
    owner[np.sort(first)] = True
    cells = np.where(owner, cells_unique[rank[inverse.ravel()]], shapely.Polygon())
    far = farthest_vertex(cells, points)
    areas = np.zeros((len(points), 3))
    mid: np.ndarray = cells
    trimmed: np.ndarray = np.zeros(len(points), dtype=bool)
    for k, km in enumerate((options.low_cutoff_km, options.cutoff_km, options.high_cutoff_km)):
        over = far > km * 1000
        cut = cells.copy()
        cut[over] = shapely.intersection(cells[over], shapely.buffer(points[over], km * 1000, quad_segs=16))
        areas[:, k] = shapely.area(cut) / 1e6
        if k == 1:
            mid, trimmed = cut, over
    edges, edge_km, borders = shared_borders(mid, trimmed)
    return Cells(places, mid, areas, edges, edge_km, borders, trimmed)


def dissolve(cells: np.ndarray, trimmed: np.ndarray, groups: np.ndarray) -> pd.Series:
    """Union of the cells of each group: a coverage union (linear time) of the cells that still match their
    neighbours, and an overlay union only for the few trimmed ones. Falls back to a full union if the coverage
    union is not valid."""
    def union(index: np.ndarray) -> shapely.Geometry:
        clean = shapely.coverage_union_all(cells[index[~trimmed[index]]])
        rest = cells[index[trimmed[index]]]
        shape = shapely.union_all(np.append(rest, clean)) if len(rest) else clean
        return shape if shapely.is_valid(shape) else shapely.union_all(cells[index])
    index = pd.Series(np.arange(len(cells))).groupby(groups, sort=True)
    return index.agg(lambda g: union(g.to_numpy()))


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
        return self._area_table(*self.state(date))

    def _area_table(self, state: dict[str, np.ndarray], cells: Cells) -> pd.DataFrame:
        controller = state["controller"][cells.places]
        status = state["status"][cells.places]
        band = self._band_km2(controller, cells)
        frame = pd.DataFrame({"controller": controller, "status": status,
                              "area_km2": cells.area[:, 1] - band, "area_low_km2": cells.area[:, 0] - band,
                              "area_high_km2": cells.area[:, 2] - band,
                              "population": self.population[cells.places]})
        # A divided place's cell and population are shared half and half by its two holders.
        divided = self._divided(state, cells)
        shared = frame[divided].assign(controller=state["other"][cells.places][divided])
        values = ["area_km2", "area_low_km2", "area_high_km2", "population"]
        frame.loc[divided, values] = frame.loc[divided, values] / 2
        shared[values] = shared[values] / 2
        rows = pd.concat([frame, shared]).groupby(["controller", "status"], as_index=False).sum()
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

    @staticmethod
    def _divided(state: dict[str, np.ndarray], cells: Cells) -> np.ndarray:
        """Cells of divided places (a second holder named)."""
        return (state["status"][cells.places] == STATUS_CODES_DIVIDED) & (state["other"][cells.places] != NONE)

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
        state, cells = self.state(date)
        table = self._area_table(state, cells)
        controller = state["controller"][cells.places]
        status = state["status"][cells.places]
        actors = np.append(self.model.actors["actor"].to_numpy(dtype=object), "unknown")
        group = controller.astype(np.int64) * len(STATUS_NAMES) + status
        # A divided place's cell is drawn for both holders (each counted for half its area in the table).
        divided = self._divided(state, cells)
        other = state["other"][cells.places][divided].astype(np.int64)
        shapes = dissolve(np.concatenate([cells.mid, cells.mid[divided]]),
                          np.concatenate([cells.trimmed, cells.trimmed[divided]]),
                          np.concatenate([group, other * len(STATUS_NAMES) + STATUS_CODES_DIVIDED]))
        codes = shapes.index.to_numpy()
        painted = dissolve(cells.mid, cells.trimmed, np.zeros(len(cells.mid), dtype=np.int64))
        painted = painted.iloc[0] if len(painted) else shapely.Polygon()
        geometry = shapes.to_numpy()
        band = self._band_geometry(controller, cells, painted)
        names = [*actors[codes // len(STATUS_NAMES)], "unknown"]
        statuses = [*STATUS_NAMES[codes % len(STATUS_NAMES)], "unknown"]
        unknown = shapely.difference(self.land, painted)
        if band is not None and not band.is_empty:
            geometry = shapely.difference(geometry, band)
            names.append("contested band")
            statuses.append("contested")
            geometry = [*geometry, unknown, band]
        else:
            geometry = [*geometry, unknown]
        frame = pd.DataFrame({"actor": names, "status": statuses})
        merged = frame.merge(table, on=["actor", "status"], how="left")
        polygons = polygons_only(shapely.make_valid(np.asarray(geometry, dtype=object)))
        merged = gpd.GeoDataFrame(merged, geometry=polygons, crs=EQUAL_AREA)
        return merged.to_crs(crs)[["actor", "status", "area_km2", "area_low_km2", "area_high_km2", "population",
                                     "geometry"]]

    def _band_geometry(self, controller: np.ndarray, cells: Cells, painted: shapely.Geometry
                       ) -> shapely.Geometry | None:
        if self.options.band_km <= 0 or not len(cells.edges):
            return None
        opposing = controller[cells.edges[:, 0]] != controller[cells.edges[:, 1]]
        if not opposing.any():
            return None
        # Borders merged into long lines, one cheap flat buffer each, then one union.
        lines = shapely.line_merge(shapely.multilinestrings(shapely.get_parts(cells.borders[opposing])))
        strips = shapely.buffer(shapely.get_parts(lines), self.options.band_km * 500, quad_segs=2,
                                cap_style="flat")
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
STATUS_CODES_DIVIDED = int(np.flatnonzero(STATUS_NAMES == "divided")[0])


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
