"""The command-line face: ``frontlines map|control|history|validate``.

Exit codes: 0 on success, 1 when the data has problems, 2 on a usage error (bad option, unknown place asked
for, unwritable output). Errors are printed one line per problem, with no traceback.
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable
from enum import Enum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__
from ._write import write_text_atomic
from .atlas import Atlas, load
from .errors import FrontlinesError, OutputError, TableError, UnknownNameError

DATA_ERROR, USAGE_ERROR = 1, 2


class Basemap(str, Enum):
    osm = "osm"
    none = "none"


BasemapOpt = Annotated[Basemap, typer.Option(help="osm (OpenStreetMap tiles) or none (offline vector basemap).")]
OfflineOpt = Annotated[bool, typer.Option("--offline", help="Inline Leaflet; no network needed.")]
TerritoryOpt = Annotated[bool, typer.Option("--territory", help="Shade the estimated areas held.")]


class ControlFormat(str, Enum):
    csv = "csv"
    json = "json"
    geojson = "geojson"


class HistoryFormat(str, Enum):
    text = "text"
    csv = "csv"



app = typer.Typer(
    name="frontlines",
    help="Maps of territorial control rebuilt from a table of sourced, dated events.\n\n"
         "Every command uses the bundled Syria-Iraq 2013-2019 data unless --events, --places or --actors "
         "name your own tables.",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EventsOpt = Annotated[Path | None, typer.Option("--events", help="Events table (CSV); default: bundled.",
                                                 dir_okay=True)]
PlacesOpt = Annotated[Path | None, typer.Option("--places", help="Places table (CSV); default: bundled.")]
ActorsOpt = Annotated[Path | None, typer.Option("--actors", help="Actors table (CSV); default: bundled.")]


QUIET = {"on": False}


def progress(items, total=None, description=""):
    """Show progress on stderr for long work, unless --quiet."""
    if QUIET["on"]:
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, total=total, description=f"{description:<10}", console=Console(stderr=True),
                 transient=True)


def _fail(code: int, lines: list[str]) -> None:
    for line in lines:
        typer.echo(f"error: {line}", err=True)
    raise typer.Exit(code)


def handles_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn frontlines' own errors into one line per problem and the right exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except TableError as exc:
            _fail(DATA_ERROR, [str(p) for p in exc.problems]
                  + [f"{len(exc.problems)} problem(s) found; nothing was written"])
        except (UnknownNameError, OutputError) as exc:
            _fail(USAGE_ERROR, [str(exc)])
        except FrontlinesError as exc:
            _fail(DATA_ERROR, [str(exc)])
        except ValueError as exc:  # bad dates and options given on the command line
            _fail(USAGE_ERROR, [str(exc)])

    return wrapper


def _inputs(atlas: Atlas) -> tuple[Path, ...]:
    return tuple(atlas.sources.values())


def _write_page(m, output: Path, atlas: Atlas) -> None:
    """Render a folium map and write it atomically, never over an input table."""
    html = m.get_root().render()
    write_text_atomic(output, html, protect=_inputs(atlas))
    typer.echo(f"wrote {output} ({len(html.encode()) / 1e6:.1f} MB)", err=True)


def _write_figure(fig, output: Path, atlas: Atlas) -> None:
    from .render.figures import save_figure

    save_figure(fig, output, protect=_inputs(atlas))
    typer.echo(f"wrote {output}", err=True)


FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def _emit(text: str, output: Path | None, atlas: Atlas) -> None:
    """Text to a file (atomically) or to stdout."""
    if output is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(output, text, protect=_inputs(atlas))


@app.command("map")
@handles_errors
def map_command(
    date: Annotated[str, typer.Argument(help="Date to map, YYYY-MM-DD.")] = "2017-01-25",
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write: .html (interactive) or "
                                         ".png, .svg, .pdf (figure).")] = Path("map.html"),
    basemap: BasemapOpt = Basemap.osm,
    offline: OfflineOpt = False,
    hide_unknown: Annotated[bool, typer.Option("--hide-unknown", help="Do not draw places with no known "
                                                "controller.")] = False,
    territory: TerritoryOpt = False,
    events: EventsOpt = None, places: PlacesOpt = None, actors: ActorsOpt = None,
) -> None:
    """Write an interactive HTML map of control on DATE, or a static figure (-o map.png, .svg or .pdf).

    Example: frontlines map 2017-01-25 -o map.html
    """
    atlas = load(events=events, places=places, actors=actors)
    if output.suffix.lower() in FIGURE_SUFFIXES:
        _write_figure(atlas.plot(date, territory=territory), output, atlas)
        return
    _write_page(atlas.map(date, basemap=basemap.value, offline=offline, show_unknown=not hide_unknown,
                          territory=territory), output, atlas)


class Frequency(str, Enum):
    D = "D"
    W = "W"
    M = "M"


@app.command("timeline")
@handles_errors
def timeline_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")] = Path("timeline.html"),
    start: Annotated[str | None, typer.Option(help="First date, YYYY-MM-DD; default: first event.")] = None,
    end: Annotated[str | None, typer.Option(help="Last date, YYYY-MM-DD; default: last event.")] = None,
    freq: Annotated[Frequency, typer.Option(help="One frame per day (D), week (W) or month (M).")] = Frequency.D,
    initial: Annotated[str | None, typer.Option(help="Date shown when the page opens.")] = None,
    basemap: BasemapOpt = Basemap.osm,
    offline: OfflineOpt = False,
    hide_unknown: Annotated[bool, typer.Option("--hide-unknown", help="Leave out places never held by "
                                                "anyone known.")] = False,
    territory: TerritoryOpt = False,
    events: EventsOpt = None, places: PlacesOpt = None, actors: ActorsOpt = None,
) -> None:
    """Write one self-contained HTML file that plays control through time.

    Example: frontlines timeline --start 2014-01-01 --end 2017-12-31 --freq W -o timeline.html
    """
    atlas = load(events=events, places=places, actors=actors)
    m = atlas.timeline(start, end, freq.value, initial=initial, basemap=basemap.value, offline=offline,
                       show_unknown=not hide_unknown, territory=territory, progress=progress)
    _write_page(m, output, atlas)


class DiffFormat(str, Enum):
    html = "html"
    csv = "csv"


@app.command("stats")
@handles_errors
def stats_command(
    start: Annotated[str | None, typer.Option(help="First date, YYYY-MM-DD; default: first event.")] = None,
    end: Annotated[str | None, typer.Option(help="Last date, YYYY-MM-DD; default: last event.")] = None,
    freq: Annotated[str, typer.Option(help="pandas frequency: MS (month starts), W (weeks), D (days).")] = "MS",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="CSV file; default: stdout.")] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw a stacked-area chart (.png, .svg, "
                                              ".pdf).")] = None,
    cutoff: Annotated[float, typer.Option(help="Distance (km) beyond which ground is unknown.")] = 40.0,
    events: EventsOpt = None, places: PlacesOpt = None, actors: ActorsOpt = None,
) -> None:
    """Print the estimated km2 (with bounds) and population held per actor over time.

    Example: frontlines stats --start 2014-01-01 --end 2019-12-31 -o stats.csv --plot stats.png
    """
    atlas = load(events=events, places=places, actors=actors)
    from .territory import TerritoryOptions

    defaults = TerritoryOptions()  # the bounds keep their defaults unless the cutoff lies beyond them
    low, high = min(defaults.low_cutoff_km, cutoff), max(defaults.high_cutoff_km, cutoff)
    table = atlas.stats(start, end, freq, cutoff_km=cutoff, low_cutoff_km=low, high_cutoff_km=high,
                        progress=progress)
    _emit(table.assign(date=table["date"].dt.strftime("%Y-%m-%d")).to_csv(index=False, lineterminator="\n"),
          output, atlas)
    if plot is not None:
        from .render._payload import actor_colours
        from .render.figures import stats_figure

        _write_figure(stats_figure(table, actor_colours(atlas.actors)), plot, atlas)


@app.command("diff")
@handles_errors
def diff_command(
    date_a: Annotated[str, typer.Argument(help="First date, YYYY-MM-DD.")],
    date_b: Annotated[str, typer.Argument(help="Second date, YYYY-MM-DD.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write; default: diff.html, or "
                                                 "stdout for csv.")] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="html: a map with the table; csv: the "
                                            "table alone.")] = DiffFormat.html,
    basemap: BasemapOpt = Basemap.osm,
    events: EventsOpt = None, places: PlacesOpt = None, actors: ActorsOpt = None,
) -> None:
    """Show what changed between two dates: places gained and lost, km2 and population per actor
    (a map with -o diff.html, a figure with -o diff.png/.svg/.pdf, the table with --format csv).

    Example: frontlines diff 2016-01-01 2017-01-01 -o diff.html
    """
    atlas = load(events=events, places=places, actors=actors)
    if fmt is DiffFormat.csv:
        table = atlas.diff(date_a, date_b)
        changed = atlas.changes(date_a, date_b)
        text = table.to_csv(index=False, lineterminator="\n", float_format="%.1f")
        text += "\n" + changed.drop(columns="geometry").to_csv(index=False, lineterminator="\n")
        _emit(text, output, atlas)
        return
    output = output or Path("diff.html")
    if output.suffix.lower() in FIGURE_SUFFIXES:
        _write_figure(atlas.plot_diff(date_a, date_b), output, atlas)
        return
    _write_page(atlas.diff_map(date_a, date_b, basemap=basemap.value), output, atlas)


class ExportFormat(str, Enum):
    gpkg = "gpkg"
    geojson = "geojson"
    csv = "csv"
    parquet = "parquet"


class ExportLayer(str, Enum):
    places = "places"
    territory = "territory"
    changes = "changes"


@app.command("export")
@handles_errors
def export_command(
    date: Annotated[str, typer.Argument(help="Date, YYYY-MM-DD.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="gpkg (layers places, territory, "
                                              "changes), or geojson, csv, parquet (places).")] = ExportFormat.gpkg,
    since: Annotated[str | None, typer.Option(help="Start of the changes layer; default: a year before DATE.")]
    = None,
    layer: Annotated[ExportLayer | None, typer.Option(help="The layer for geojson, csv and parquet (a GeoPackage holds "
                                                "all three).")] = None,
    events: EventsOpt = None, places: PlacesOpt = None, actors: ActorsOpt = None,
) -> None:
    """Export control on DATE for GIS: places, estimated territory and changes, with attribution.

    Example: frontlines export 2017-01-25 --format gpkg -o control-2017-01-25.gpkg
    """
    import pandas as pd

    from ._dates import parse_query_date
    from .export import export_layers

    atlas = load(events=events, places=places, actors=actors)
    when = parse_query_date(date)
    start = parse_query_date(since) if since else when - pd.DateOffset(years=1)
    build = {"places": lambda: atlas.control_at(when), "territory": lambda: atlas.territory(when),
             "changes": lambda: atlas.changes(start, when)}
    wanted = list(build) if fmt is ExportFormat.gpkg else [(layer or ExportLayer.places).value]
    layers = {name: build[name]() for name in wanted}
    export_layers(layers, output, fmt.value, protect=_inputs(atlas), description=f"control on {date}")
    typer.echo(f"wrote {output}", err=True)


@app.command("control")
@handles_errors
def control_command(
    date: Annotated[str, typer.Argument(help="Date, YYYY-MM-DD.")],
    place: Annotated[list[str] | None, typer.Option("--place", "-p", help="A place to report (repeatable); "
                                                     "default: every place.")] = None,
    fmt: Annotated[ControlFormat, typer.Option("--format", "-f", help="Output format.")] = ControlFormat.csv,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write; default: stdout.")]
    = None,
    known_only: Annotated[bool, typer.Option("--known-only", help="Leave out places with no known "
                                              "controller.")] = False,
    events: EventsOpt = None, places: PlacesOpt = None, actors: ActorsOpt = None,
) -> None:
    """Print who controlled each place on DATE.

    Example: frontlines control 2017-01-25 --place Raqqa --place "Deir ez-Zour" --format csv
    """
    atlas = load(events=events, places=places, actors=actors)
    frame = atlas.control_at(date, places=place or None)
    if known_only:
        frame = frame[frame["controller"] != "unknown"]
    columns = ["place_id", "name", "controller", "status", "since", "other_holder", "attacker", "besieger",
               "confidence", "governorate", "country"]
    if fmt is ControlFormat.csv:
        text = frame[columns].to_csv(index=False, lineterminator="\n")
    elif fmt is ControlFormat.json:
        text = json.dumps(json.loads(frame[columns].to_json(orient="records")), ensure_ascii=False, indent=1) + "\n"
    else:
        text = frame[[*columns, "geometry"]].assign(status=frame["status"].astype(str)).to_json(
            drop_id=True, ensure_ascii=False) + "\n"
    _emit(text, output, atlas)


@app.command("history")
@handles_errors
def history_command(
    place: Annotated[str, typer.Argument(help="Place name, alias or id.")],
    fmt: Annotated[HistoryFormat, typer.Option("--format", "-f", help="Output format.")] = HistoryFormat.text,
    events: EventsOpt = None, places: PlacesOpt = None, actors: ActorsOpt = None,
) -> None:
    """Print every event of PLACE with its source and the control after it.

    Example: frontlines history Palmyra
    """
    atlas = load(events=events, places=places, actors=actors)
    place_id = atlas.resolve(place)
    table = atlas.history(place_id)
    if fmt is HistoryFormat.csv:
        sys.stdout.write(table.to_csv(index=False, lineterminator="\n"))
        return
    name = atlas.places.set_index("place_id").loc[place_id, "name"]
    typer.echo(f"{name} ({place_id}): {len(table)} events")
    for row in table.itertuples():
        typer.echo(f"  {row.date:<10}  {row.kind:<12} {row.actor:<22} -> {row.controller_after} "
                   f"({row.status_after}){'' if row.confidence == 'confirmed' else ' [' + row.confidence + ']'}")
        typer.echo(f"              {row.source}{' <' + row.url + '>' if row.url else ''}")
        if row.notes:
            typer.echo(f"              note: {row.notes}")


@app.command("validate")
@handles_errors
def validate_command(
    report: Annotated[bool, typer.Option("--report", help="Also print a coverage report: events per year "
                                         "and governorate, date precision, unused places and actors.")] = False,
    events: EventsOpt = None, places: PlacesOpt = None, actors: ActorsOpt = None,
) -> None:
    """Check the three tables and report every problem with its file, line and column.

    Example: frontlines validate --events my_events.csv --report
    """
    from .coverage import coverage

    atlas = load(events=events, places=places, actors=actors)
    m = atlas.model
    typer.echo(f"ok: {len(m.events)} events, {len(m.places)} places, {len(m.actors)} actors, "
               f"{len(m.intervals)} control intervals")
    if report:
        typer.echo("")
        typer.echo(coverage(m).to_text())


def _reference_tables(places: Path | None, actors: Path | None):
    """The places and actors an importer matches against (bundled by default), checked, with name indexes."""
    from ._paths import bundled
    from .tables import actor_index, place_index, read_actors, read_places

    place_table = read_places(places or bundled("geo/places.csv"))
    actor_table = read_actors(actors or bundled("actors.csv"))
    if place_table.problems or actor_table.problems:
        raise TableError([*place_table.problems, *actor_table.problems])
    return place_table.frame, place_index(place_table.frame), actor_index(actor_table.frame)


import_app = typer.Typer(help="Turn other shapes of control data into a frontlines events table.",
                         no_args_is_help=True)
app.add_typer(import_app, name="import")


@import_app.command("snapshots")
@handles_errors
def import_snapshots(
    table: Annotated[Path, typer.Argument(help="CSV of observations: date, place, actor[, source, url].")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Events CSV to write.")] = Path("events.csv"),
    source: Annotated[str, typer.Option(help="Source for rows without one.")] = "",
) -> None:
    """Compress daily or monthly (date, place, actor) snapshots into change events.

    Example: frontlines import snapshots daily_control.csv --source "My monitoring team" -o events.csv
    """
    from .importers import snapshots_to_events

    events = snapshots_to_events(table, source=source)
    write_text_atomic(output, events.to_csv(index=False, lineterminator="\n"), protect=(table,))
    typer.echo(f"wrote {output}: {len(events)} events from the snapshots", err=True)


@import_app.command("acled")
@handles_errors
def import_acled(
    export: Annotated[Path, typer.Argument(help="An ACLED export (CSV).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Events CSV to write.")] = Path("events.csv"),
    places_out: Annotated[Path | None, typer.Option("--places-out", help="CSV of locations not in the "
                                                    "gazetteer.")] = None,
    places: PlacesOpt = None, actors: ActorsOpt = None,
) -> None:
    """Turn ACLED's territory events into frontlines events (winners inferred and flagged).

    Example: frontlines import acled acled_syria.csv -o events.csv --places-out new_places.csv
    """
    from .importers import acled_to_events

    place_frame, places_by_name, actors_by_name = _reference_tables(places, actors)
    events, new_places, report = acled_to_events(export, places=place_frame, place_index=places_by_name,
                                                 actor_index=actors_by_name)
    write_text_atomic(output, events.to_csv(index=False, lineterminator="\n"), protect=(export,))
    if places_out is not None:
        write_text_atomic(places_out, new_places.to_csv(index=False, lineterminator="\n"), protect=(export,))
    for line in report:
        typer.echo(f"note: {line}", err=True)
    typer.echo(f"wrote {output}: {len(events)} territory events, {len(new_places)} new places", err=True)


@import_app.command("wikipedia-module")
@handles_errors
def import_wikipedia_module(
    module: Annotated[Path, typer.Argument(help="Lua source of a Wikipedia detailed-map module.")],
    date: Annotated[str, typer.Option("--date", help="Date of the module's revision, YYYY-MM-DD.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Events CSV to write.")] = Path("events.csv"),
    places_out: Annotated[Path | None, typer.Option("--places-out", help="CSV of marks not in the gazetteer "
                                                    "(places to add).")] = None,
    marks: Annotated[Path | None, typer.Option("--marks", help="Mark table (pattern,actor,other,status); default: "
                                               "the bundled one.")] = None,
    places: PlacesOpt = None, actors: ActorsOpt = None,
) -> None:
    """Turn the marks of a Wikipedia detailed-map module into observations at DATE; every mark is imported or
    reported.

    Example: frontlines import wikipedia-module Syria_map.lua --date 2016-01-01 -o events.csv --places-out new.csv
    """
    import pandas as pd

    from ._dates import parse_query_date
    from ._paths import bundled
    from .importers import module_to_events

    parse_query_date(date)
    place_frame, places_by_name, _ = _reference_tables(places, actors)
    mapping = pd.read_csv(marks or bundled("wikipedia_marks.csv"), dtype=str, keep_default_na=False)
    events, new_places, report = module_to_events(module, date, places=place_frame, place_index=places_by_name,
                                                  mapping=mapping)
    write_text_atomic(output, events.to_csv(index=False, lineterminator="\n"), protect=(module,))
    if places_out is not None:
        write_text_atomic(places_out, new_places.to_csv(index=False, lineterminator="\n"), protect=(module,))
    for line in report:
        typer.echo(f"skipped: {line}", err=True)
    typer.echo(f"wrote {output}: {events.attrs['marks_imported']} marks imported ({len(events)} events), "
               f"{len(report)} reported, "
               f"{len(new_places)} not in the gazetteer", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"frontlines {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Maps of territorial control rebuilt from a table of sourced, dated events."""
    QUIET["on"] = quiet


def main() -> None:
    # A terminated run unwinds normally, so a file being written is removed, never left half-written.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    app()


if __name__ == "__main__":
    main()
