"""The notebook face: ``fl.load()`` gives an :class:`Atlas` that answers questions about control."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TypeAlias

import folium
import geopandas as gpd
import pandas as pd

from . import control
from ._dates import parse_query_date
from ._paths import bundled
from .errors import FrontlinesWarning, UnknownNameError
from .model import Model
from .tables import Source, read_tables

DateLike: TypeAlias = str | pd.Timestamp


class Atlas:
    """Places, actors and events, with control rebuilt from the events.

    Build one with :func:`load`. Every method takes place names as written by people ("Deir ez-Zour",
    "Ain al-Arab") and resolves them; dates are ``"YYYY-MM-DD"`` strings or timestamps.
    """

    def __init__(self, model: Model, *, sources: dict[str, Path]):
        self._model = model
        self.sources = sources

    def __repr__(self) -> str:
        m = self._model
        return (f"<Atlas: {len(m.events)} events, {len(m.places)} places, {len(m.actors)} actors, "
                f"{len(m.intervals)} control intervals>")

    # -- tables ---------------------------------------------------------------------------------------
    @property
    def places(self) -> pd.DataFrame:
        return self._model.places.drop(columns=["parent_code", "_line"], errors="ignore")

    @property
    def actors(self) -> pd.DataFrame:
        return self._model.actors.drop(columns=["successor_code", "successor_start", "_line"], errors="ignore")

    @property
    def events(self) -> pd.DataFrame:
        ev = self._model.events
        return ev[["date", "place_id", "actor_id", "kind", "confidence", "source", "url", "notes", "precision",
                   "start", "_line"]].rename(columns={"actor_id": "actor", "_line": "line"})

    @property
    def model(self) -> Model:
        return self._model

    # -- names ----------------------------------------------------------------------------------------
    def resolve(self, name: str) -> str:
        """The place id for a name, alias or close misspelling; raises :class:`UnknownNameError` if none."""
        index = self._model.place_index
        place_id, how = index.resolve_one(name)
        if how == "fuzzy":
            warnings.warn(f"place {name!r} is not in the gazetteer; taken to be its closest spelling, "
                          f"{index.describe([place_id])}", FrontlinesWarning, stacklevel=2)
        if place_id:
            return place_id
        candidates = index.match(pd.Series([name])).candidates(name)
        if how == "ambiguous":
            raise UnknownNameError(f"place {name!r} is ambiguous: it may be {index.describe(candidates)}; "
                                   "give the place id instead", candidates)
        hint = f"; did you mean {' or '.join(index.display[c] for c in candidates)}?" if candidates else ""
        raise UnknownNameError(f"unknown place {name!r}{hint}", candidates)

    def resolve_actor(self, name: str) -> str:
        """The canonical actor name for a name or alias."""
        actor, _ = self._model.actor_index.resolve_one(name)
        if not actor:
            raise UnknownNameError(f"unknown actor {name!r}; actors are {', '.join(self._model.actors['actor'])}")
        return actor

    # -- questions ------------------------------------------------------------------------------------
    def control_at(self, date: DateLike, places: list[str] | None = None) -> gpd.GeoDataFrame:
        """Who controlled each place on ``date``: one row per place (or per named place), EPSG:4326.

        Columns include ``place_id, name, controller, status, since, geometry``; ``status`` is one of
        held, divided, contested, besieged or unknown.
        """
        ids = [self.resolve(p) for p in places] if places is not None else None
        return control.control_at(self._model, parse_query_date(date), ids)

    def history(self, place: str) -> pd.DataFrame:
        """Every event of a place, in order, with the controller and status after each day's events."""
        return control.history(self._model, self.resolve(place))

    def changes(self, date_a: DateLike, date_b: DateLike) -> gpd.GeoDataFrame:
        """Places whose controller or status differs between two dates, with the events in between."""
        return control.changes(self._model, parse_query_date(date_a), parse_query_date(date_b))

    def _estimator(self, **options):
        from .territory import TerritoryEstimator, TerritoryOptions

        key = tuple(sorted(options.items()))
        cache = self.__dict__.setdefault("_estimators", {})
        if key not in cache:
            cache[key] = TerritoryEstimator(self._model, TerritoryOptions(**options))
        return cache[key]

    def territory(self, date: DateLike, **options) -> gpd.GeoDataFrame:
        """Estimated areas per actor and status on ``date`` (EPSG:4326), with km2, low and high bounds and
        population held; options are those of :class:`frontlines.territory.TerritoryOptions`."""
        return self._estimator(**options).territory(parse_query_date(date))

    def stats(self, start: DateLike | None = None, end: DateLike | None = None, freq: str = "MS", *,
              progress=None, **options) -> pd.DataFrame:
        """km2 (with bounds) and population held per actor at dates from ``start`` to ``end`` (a pandas
        frequency: "MS" month starts, "W" weeks, "D" days), one row per date and actor."""
        first, last = self.span
        dates = pd.date_range(parse_query_date(start) if start is not None else first,
                              parse_query_date(end) if end is not None else last, freq=freq)
        if not len(dates):
            raise ValueError(f"no dates between {start} and {end} at frequency {freq!r}")
        return self._estimator(**options).stats(dates, progress=progress)

    def diff(self, date_a: DateLike, date_b: DateLike, **options) -> pd.DataFrame:
        """Per actor: km2 and population held on each date and their change, and places gained and lost."""
        from .territory import actor_diff

        a, b = parse_query_date(date_a), parse_query_date(date_b)
        return actor_diff(self._estimator(**options), control.changes(self._model, a, b), a, b)

    def plot(self, date: DateLike, *, territory: bool = False, title: str | None = None):
        """A static matplotlib figure of control on ``date`` (A4 landscape), for reports."""
        from .render.figures import map_figure

        day = parse_query_date(date)
        return map_figure(self._model, day, territory=self._estimator().territory(day) if territory else None,
                          title=title)

    def plot_diff(self, date_a: DateLike, date_b: DateLike):
        """A static matplotlib figure of what changed between two dates (A4 landscape)."""
        from .render.diff import ground_changes
        from .render.figures import diff_figure
        from .territory import actor_diff

        a, b = parse_query_date(date_a), parse_query_date(date_b)
        estimator = self._estimator()
        changed = control.changes(self._model, a, b)
        return diff_figure(self._model, ground_changes(estimator, a, b), changed,
                           actor_diff(estimator, changed, a, b), a, b)

    def diff_map(self, date_a: DateLike, date_b: DateLike, **options) -> folium.Map:
        """A map of what changed between two dates: ground gained and lost per actor (estimated), the places
        that changed with their events, and a table of km2 and population gained and lost."""
        from .render import MapOptions
        from .render.diff import diff_map

        return diff_map(self._model, self._estimator(), parse_query_date(date_a), parse_query_date(date_b),
                        MapOptions(**options))

    def map(self, date: DateLike, **options) -> folium.Map:
        """A folium map of control on ``date``; see :class:`frontlines.render.MapOptions` for options."""
        from .render import MapOptions, control_map

        map_options = MapOptions(**options)
        estimator = self._estimator() if map_options.territory else None
        return control_map(self._model, parse_query_date(date), map_options, estimator=estimator)


    def timeline(self, start: DateLike | None = None, end: DateLike | None = None, freq: str = "D",
                 **options) -> folium.Map:
        """A map that plays control from ``start`` to ``end`` (default: the span of the events), one frame
        per day (``freq="D"``), week (``"W"``) or month (``"M"``); see :class:`frontlines.render.TimelineOptions`.
        ``initial`` (a date) chooses the first frame shown."""
        from .render import TimelineOptions, timeline_map

        first, last = self.span
        initial = options.pop("initial", None)
        progress = options.pop("progress", None)
        return timeline_map(self._model, parse_query_date(start) if start is not None else first,
                            parse_query_date(end) if end is not None else last, freq.upper(),
                            TimelineOptions(**options),
                            initial=parse_query_date(initial) if initial is not None else None, progress=progress)

    @property
    def span(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last day of the events (the last day of the last event's period)."""
        ev = self._model.events
        return pd.Timestamp(ev["start"].min()), pd.Timestamp(ev["end"].max()) - pd.Timedelta(days=1)


def load(events: Source | None = None, places: Source | None = None, actors: Source | None = None, *,
         engine: str = "pandas") -> Atlas:
    """Load event, place and actor tables (the bundled Syria-Iraq data by default) into an :class:`Atlas`.

    Each table may be a CSV file or a DataFrame with the same columns. ``engine="dask"`` builds the control
    intervals on Dask (on the current ``distributed`` client, if any). Raises
    :class:`~frontlines.errors.TableError` listing every problem of every table at once.
    """
    given = {"events": events, "places": places, "actors": actors}
    defaults = {"events": "events.csv", "places": "geo/places.csv", "actors": "actors.csv"}
    tables = {name: bundled(defaults[name]) if value is None else
              value if isinstance(value, pd.DataFrame) else Path(value) for name, value in given.items()}
    model = Model.from_tables(read_tables(tables["events"], tables["places"], tables["actors"]), engine=engine)
    return Atlas(model, sources={k: v for k, v in tables.items() if isinstance(v, Path)})
