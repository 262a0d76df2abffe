"""Static figures (matplotlib) in the house style: the area-over-time chart."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # figures are files; no screen is needed

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

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
