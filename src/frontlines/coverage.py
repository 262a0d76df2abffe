"""How well an event table covers its places, years and actors: the figures behind ``validate --report``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._schema import PRECISIONS
from .model import Model


@dataclass
class Coverage:
    """Coverage figures of an event table (tables are DataFrames, the rest numbers)."""

    events: int
    places_with_events: int
    places: int
    per_year: pd.Series
    per_governorate: pd.DataFrame
    precision_share: pd.Series
    confidence_share: pd.Series
    kinds: pd.Series
    actors_without_events: list[str]
    places_never_referenced: int

    def to_text(self) -> str:
        lines = [f"{self.events} events over {self.places_with_events} of {self.places} places",
                 "", "events per year:"]
        lines += [f"  {year}  {count:5d}" for year, count in self.per_year.items()]
        lines += ["", "events and places per governorate:"]
        lines += [f"  {country} {gov:<22} {row.events:5d} events {row.places:4d} places"
                  for (country, gov), row in self.per_governorate.iterrows()]
        lines += ["", "date precision:"]
        lines += [f"  {name:<6} {share:6.1%}" for name, share in self.precision_share.items()]
        lines += ["", "confidence:"]
        lines += [f"  {name:<10} {share:6.1%}" for name, share in self.confidence_share.items()]
        lines += ["", "event kinds:"]
        lines += [f"  {name:<13} {count:5d}" for name, count in self.kinds.items()]
        lines += ["", f"places never referenced by an event: {self.places_never_referenced}",
                  "actors without events: " + (", ".join(self.actors_without_events) or "none")]
        return "\n".join(lines)


def coverage(model: Model) -> Coverage:
    ev, places = model.events, model.places
    year = ev["start"].dt.year
    per_year = year.value_counts().reindex(range(int(year.min()), int(year.max()) + 1), fill_value=0) \
        if len(ev) else pd.Series(dtype=int)
    where = places[["country", "governorate"]].iloc[ev["place"].to_numpy()].reset_index(drop=True)
    where["place"] = ev["place"].to_numpy()
    per_gov = where.groupby(["country", "governorate"]).agg(events=("place", "size"), places=("place", "nunique"))
    names = PRECISIONS
    precision = ev["precision"].map(names).value_counts(normalize=True).reindex(list(names.values()), fill_value=0)
    used = np.unique(ev["place"].to_numpy())
    return Coverage(
        events=len(ev), places_with_events=len(used), places=len(places), per_year=per_year,
        per_governorate=per_gov, precision_share=precision,
        confidence_share=ev["confidence"].value_counts(normalize=True),
        kinds=ev["kind"].value_counts(),
        actors_without_events=sorted(set(model.actors["actor"]) - set(ev["actor_id"])),
        places_never_referenced=len(places) - len(used),
    )
