"""Static figures (matplotlib) in the house style: the area-over-time chart."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # figures are files; no screen is needed

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from ._payload import actor_colours
from .mapping import ATTRIBUTION

A4_LANDSCAPE = (11.69, 8.27)


def stats_figure(stats: pd.DataFrame, colours: dict[str, str], *, title: str | None = None) -> Figure:
    """Stacked areas of km2 held per actor over time, with the Islamic State's low-high bounds as a band."""
    wide = stats.pivot_table(index="date", columns="actor", values="area_km2", aggfunc="sum").fillna(0.0)
    actors = [a for a in wide.sum().sort_values(ascending=False).index
              if a not in ("unknown", "contested band") and wide[a].max() > 0]
    fig, ax = plt.subplots(figsize=A4_LANDSCAPE, layout="constrained")
    ax.stackplot(wide.index, [wide[a] / 1000 for a in actors], labels=actors,
                 colors=[colours.get(a, "#999999") for a in actors], edgecolor="white", linewidth=0.3)
    if "Islamic State" in stats["actor"].to_numpy():
        bounds = stats[stats["actor"] == "Islamic State"].set_index("date")
        ax.plot(bounds.index, bounds["area_low_km2"] / 1000, color="#1A1A1A", lw=0.8, ls=":",
                label="Islamic State, low and high bounds")
        ax.plot(bounds.index, bounds["area_high_km2"] / 1000, color="#1A1A1A", lw=0.8, ls=":")
    ax.set_ylabel("thousand km² held (estimate)")
    ax.set_title(title or "Estimated area held per actor, Syria and Iraq")
    ax.margins(x=0)
    ax.grid(axis="y", lw=0.3, color="#bbbbbb")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    fig.text(0.01, 0.005, "Method: Voronoi cells around places with a known controller, cut to the land and "
             "to a distance cutoff; see frontlines.territory. " + ATTRIBUTION, fontsize=6.5, color="#555555",
             wrap=True)
    return fig


def save_figure(fig: Figure, path, *, protect=()) -> None:
    """Save a figure atomically in the format its suffix names (png, svg or pdf)."""
    import io
    from pathlib import Path

    from .._write import write_bytes_atomic

    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"figure file {path} must end in .png, .svg or .pdf")
    buffer = io.BytesIO()
    metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    fig.savefig(buffer, format=fmt, dpi=200, metadata=metadata)
    plt.close(fig)
    write_bytes_atomic(path, buffer.getvalue(), protect=protect)


def _base_map(ax, countries) -> None:
    """Sea, land and borders."""
    ax.set_facecolor("#cfe3f0")
    countries.plot(ax=ax, color="#f6f3ec", edgecolor="#6b6b6b", linewidth=0.6)


def _frame(ax, bounds, margin: float) -> None:
    """Bare axes framed on ``bounds`` (minx, miny, maxx, maxy) plus ``margin`` (after everything is drawn:
    geopandas labels the axes at each plot)."""
    xmin, ymin, xmax, ymax = bounds
    ax.set_xlim(xmin - margin, xmax + margin)
    ax.set_ylim(ymin - margin, ymax + margin)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")


def map_figure(model, date: pd.Timestamp, *, territory=None, size=A4_LANDSCAPE, title: str | None = None) -> Figure:
    """A static map of control on ``date``: boundaries, optional territory, places by controller and status,
    legend, title, and a source and attribution line. Sized for an A4 page by default."""
    import geopandas as gpd
    import numpy as np

    from .._paths import bundled
    from ..control import describe_state, snapshot

    state = snapshot(model, date)
    frame = describe_state(model, state)
    colours = actor_colours(model.actors)
    countries = gpd.read_file(bundled("geo/countries.geojson"))
    governorates = gpd.read_file(bundled("geo/governorates.geojson"))
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    _base_map(ax, countries)
    governorates.boundary.plot(ax=ax, color="#9a9a9a", linewidth=0.3, linestyle=(0, (4, 3)))
    gpd.read_file(bundled("geo/rivers.geojson")).plot(ax=ax, color="#5b9bd5", linewidth=0.9)
    if territory is not None:
        shaded = territory[(territory["actor"] != "unknown") & ~territory.geometry.is_empty]
        for actor, part in shaded.groupby("actor"):
            part.plot(ax=ax, color=colours.get(actor, "#7F7F7F"), alpha=0.22 if actor in colours else 0.35,
                      linewidth=0)
    known = frame[frame["controller"] != "unknown"]
    unknown = frame[frame["controller"] == "unknown"]
    unknown.plot(ax=ax, markersize=5, facecolor="white", edgecolor="#8C8C8C", linewidth=0.4)
    markers = {"held": "o", "divided": "D", "contested": "X", "besieged": "s"}
    handles = []
    for actor, part in known.groupby("controller", observed=True):
        colour = colours[str(actor)]
        for status, group in part.groupby("status", observed=True):
            group.plot(ax=ax, marker=markers[str(status)], markersize=22, color=colour, edgecolor="#333333",
                       linewidth=0.5)
        handles.append(plt.Line2D([], [], marker="o", ls="", color=colour, markeredgecolor="#333333",
                                  label=f"{actor} ({len(part)})"))
    handles.append(plt.Line2D([], [], marker="o", ls="", color="white", markeredgecolor="#8C8C8C",
                              label=f"unknown ({len(unknown)})"))
    shapes = [plt.Line2D([], [], marker=m, ls="", color="#999999", markeredgecolor="#333333", label=s)
              for s, m in markers.items()]
    first = ax.legend(handles=handles, loc="lower left", fontsize=8, title="Controller (places)",
                      title_fontsize=8, framealpha=0.92)
    ax.add_artist(first)
    ax.legend(handles=shapes, loc="lower right", fontsize=8, title="Status", title_fontsize=8, framealpha=0.92)
    bounds = frame[frame["country"].isin(["SY", "IQ"])].total_bounds
    _frame(ax, bounds, 0.6)
    ax.set_aspect(1 / np.cos(np.radians((bounds[1] + bounds[3]) / 2)))
    ax.set_title(title or f"Control on {date:%-d %B %Y}", fontsize=14, loc="left")
    fig.text(0.01, 0.005, "Each place's controller is rebuilt from sourced events (frontlines). " + ATTRIBUTION,
             fontsize=6.5, color="#555555", wrap=True)
    return fig


def diff_figure(model, ground, changed, table, date_a: pd.Timestamp, date_b: pd.Timestamp, *,
                size=A4_LANDSCAPE) -> Figure:
    """A static change map: ground gained (filled) and lost (hatched) per actor, the places that changed
    hands (in the new controller's colour), and a table of km² gained and lost, in the house style."""
    import geopandas as gpd

    from .._paths import bundled

    colours = actor_colours(model.actors)
    countries = gpd.read_file(bundled("geo/countries.geojson"))
    fig, (ax, side) = plt.subplots(1, 2, figsize=size, layout="constrained", width_ratios=[2.2, 1])
    _base_map(ax, countries)
    for (actor, change), part in ground.groupby(["actor", "change"]):
        colour = colours.get(actor, "#7F7F7F")
        if change == "gained":
            part.plot(ax=ax, color=colour, alpha=0.45, linewidth=0)
        else:
            part.plot(ax=ax, facecolor="none", edgecolor=colour, hatch="////", linewidth=0.6)
    moved = changed[changed["from"].astype(str) != changed["to"].astype(str)]
    for actor, part in moved.groupby(moved["to"].astype(str)):
        part.plot(ax=ax, color=colours.get(actor, "#ffffff"), edgecolor="#333333", markersize=18, linewidth=0.5)
    _frame(ax, countries[countries["country"].isin(["SY", "IQ"])].total_bounds, 0.3)
    ax.set_title(f"Changes from {date_a:%-d %B %Y} to {date_b:%-d %B %Y}", fontsize=13, loc="left")
    rows = table[~table["actor"].isin(["unknown", "contested band"])]
    side.axis("off")
    cells = [[a, f"{g:+,.0f}", f"{p:+,.0f}"] for a, g, p in
             zip(rows["actor"], rows["area_change_km2"], rows["population_change"], strict=True)]
    if cells:
        drawn = side.table(cellText=cells, colLabels=["actor", "km² change", "population"], loc="upper center",
                           colLoc="left", cellLoc="left", colWidths=[0.56, 0.22, 0.26])
        drawn.auto_set_font_size(False)
        drawn.set_fontsize(8)
        drawn.scale(1, 1.3)
    side.text(0, 0.02, "Filled: ground gained; hatched: ground lost; dots: places that changed hands, in the new\n"
              "controller's colour. Areas are estimates (frontlines.territory).", fontsize=7, color="#444444",
              transform=side.transAxes)
    fig.text(0.01, 0.005, ATTRIBUTION, fontsize=6.5, color="#555555", wrap=True)
    return fig
