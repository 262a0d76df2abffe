"""Match place and actor names: exact, alias, accent- and transliteration-insensitive, then fuzzy."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from anyascii import anyascii
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

# Arabic articles and connectives that transliterations write in many ways, or leave out.
_ARTICLES = r"\b(?:al|el|ar|as|ash|at|az|ad|an|ath|adh|ez|es|er|en|ul|il|e)\b"
# Spelling variants that stand for the same Arabic sound, applied in order.
_VARIANTS = (
    (r"ou|oo|o|w", "u"),
    (r"ee|ie", "i"),  # vowel digraphs before doubled letters: Arbeen is Arbin, not Arban
    (r"(.)\1", r"\1"),  # doubled letters: Raqqa -> Raqa
    (r"ei|ai|ay|ey|ae|e", "a"),
    (r"q", "k"),
    (r"dh", "d"),
    (r"j", "g"),
    (r"y\b", "i"),
    (r"(?<=[aiu])h\b", ""),  # Raqqah -> Raqqa
)


def name_keys(names: pd.Series) -> pd.Series:
    """Comparison keys for names, vectorised over the Series: 'Deir ez-Zour' and 'Dayr az-Zawr' agree."""
    text = names.fillna("").astype(str)
    ascii_text = text.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    needs_transliteration = ascii_text.str.strip().eq("") & text.str.strip().ne("")
    if needs_transliteration.any():  # Arabic, Kurdish or Cyrillic script: one call per distinct name
        unique = text[needs_transliteration].unique()
        ascii_text[needs_transliteration] = text[needs_transliteration].map(
            dict(zip(unique, (anyascii(u) for u in unique), strict=True)))
    key = ascii_text.str.lower().str.replace(r"['`´ʿʾ’‘]", "", regex=True)
    key = key.str.replace(r"[^a-z0-9]+", " ", regex=True).str.replace(_ARTICLES, " ", regex=True)
    for pattern, replacement in _VARIANTS:
        key = key.str.replace(pattern, replacement, regex=True)
    return key.str.split().str.join("")  # "Air Base" and "Airbase", "Tall Abyad" and "Tallabyad" agree


@dataclass
class Match:
    """How each asked-for name resolved: ``id`` is "" when it did not."""

    id: np.ndarray
    how: np.ndarray  # "name", "alias", "normalised", "fuzzy", "ambiguous" or "unknown"
    by_name: dict[str, list[str]]  # for ambiguous names: the ids they may mean
    index: NameIndex | None = None  # suggests ids for unknown names, when asked (fuzzy search is costly)

    def candidates(self, name: str) -> list[str]:
        """Ids a name may mean (ambiguous) or ids with close names (unknown), best first."""
        name = str(name).strip()
        if name in self.by_name:
            return self.by_name[name]
        if self.index is None:
            return []
        return self.index.suggest_name(name)


class NameIndex:
    """Names and aliases of a set of things (places or actors), each with a stable id.

    Parameters
    ----------
    ids, names
        One id and display name per thing.
    aliases
        Per thing, its other names separated by ``|``.
    rank
        Per thing, larger wins a tie between aliases (e.g. population); optional.
    """

    def __init__(self, ids: pd.Series, names: pd.Series, aliases: pd.Series, rank: pd.Series | None = None):
        ids = ids.astype(str).reset_index(drop=True)
        first = ~ids.duplicated().to_numpy()  # duplicate ids are reported by the table check
        self.display = pd.Series(names.astype(str).to_numpy()[first], index=ids.to_numpy()[first])
        alias_lists = aliases.fillna("").astype(str).reset_index(drop=True).str.split("|")
        alias_rows = pd.DataFrame({"id": ids, "alias": alias_lists}).explode("alias")
        alias_rows = alias_rows[alias_rows["alias"].str.strip().ne("")]
        rows = pd.concat([
            pd.DataFrame({"id": ids, "text": names.astype(str).to_numpy(), "tier": 0}),
            pd.DataFrame({"id": ids.to_numpy(), "text": ids.to_numpy(), "tier": 0}),
            pd.DataFrame({"id": alias_rows["id"].to_numpy(), "text": alias_rows["alias"].str.strip().to_numpy(),
                          "tier": 1}),
        ], ignore_index=True)
        rows["lower"] = rows["text"].str.casefold()
        rows["key"] = name_keys(rows["text"])
        rank_by_id = (pd.Series(rank.to_numpy()[first], index=ids.to_numpy()[first]) if rank is not None
                      else pd.Series(0, index=ids.to_numpy()[first]))
        rows["rank"] = rows["id"].map(rank_by_id).fillna(0).to_numpy()
        self._rows = rows.drop_duplicates(["id", "lower", "tier"])
        self._keys = self._rows.drop_duplicates(["id", "key"])
        self._choices = self._keys["key"].tolist()

    def match(self, names: pd.Series) -> Match:
        """Resolve many names at once; work is done once per distinct name."""
        names = names.fillna("").astype(str).str.strip()
        unique = pd.Series(names.unique())
        found = pd.DataFrame({"query": unique, "id": "", "how": "unknown"})
        candidates: dict[str, list[str]] = {}
        lowered = unique.str.casefold()
        keys = name_keys(unique)
        for how, column, probe, tiers in (("name", "lower", lowered, (0,)), ("alias", "lower", lowered, (1,)),
                                          ("normalised", "key", keys, (0, 1))):
            todo = found["how"].eq("unknown") & probe.ne("")
            if not todo.any():
                break
            pool = self._rows[self._rows["tier"].isin(tiers)]
            hits = pool.merge(pd.DataFrame({column: probe[todo], "query": unique[todo]}), on=column)
            hits = hits.drop_duplicates(["query", "id"])
            best_rank = hits.groupby("query")["rank"].transform("max")
            hits = hits[hits["rank"].eq(best_rank)]
            count = hits.groupby("query")["id"].transform("size")
            single = hits[count == 1].set_index("query")["id"]
            several = hits[count > 1].groupby("query")["id"].agg(list)  # few: ambiguous names only
            found.loc[found["query"].isin(single.index), "id"] = found["query"].map(single)
            found.loc[found["query"].isin(single.index), "how"] = how
            found.loc[found["query"].isin(several.index), "how"] = "ambiguous"
            candidates.update(several.to_dict())
        codes, uniques = pd.factorize(names)
        mapping = found.set_index("query").reindex(uniques)
        return Match(mapping["id"].to_numpy(dtype=object)[codes], mapping["how"].to_numpy(dtype=object)[codes],
                     candidates, self)

    @lru_cache(maxsize=4096)  # noqa: B019 - one index per loaded table, kept for its lifetime
    def suggest_name(self, name: str) -> list[str]:
        """Ids whose names are closest to ``name``, best first."""
        return self.suggest(name_keys(pd.Series([name])).iloc[0])

    def suggest(self, key: str, limit: int = 3, cutoff: float = 70) -> list[str]:
        """Ids whose names are closest to ``key`` (a name key), best first."""
        if not key:
            return []
        best = process.extract(key, self._choices, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=cutoff)
        ids = self._keys["id"].to_numpy()
        ordered = dict.fromkeys(ids[index] for _, _, index in best)
        return list(ordered)[:limit]

    def resolve_one(self, name: str, *, fuzzy: bool = True) -> tuple[str, str]:
        """Resolve one name interactively. Returns (id, how).

        A misspelling is accepted only when exactly one place's name key lies a single edit (one letter added,
        dropped or changed) from the name's key, and the key has at least seven letters. Arabic place names
        often differ by one letter from another real town ("Salma" and "As Salman", "Saqlawiyah" and
        "Saqlabiyah"), so shorter names and looser matches are reported as unknown, with suggestions, rather
        than silently taken for another town.
        """
        match = self.match(pd.Series([name]))
        if match.how[0] in ("name", "alias", "normalised"):
            return match.id[0], match.how[0]
        if fuzzy and match.how[0] == "unknown":
            key = name_keys(pd.Series([name])).iloc[0]
            if len(key) >= 7:
                close = process.extract(key, self._choices, scorer=Levenshtein.distance, limit=8, score_cutoff=1)
                ids = set(self._keys["id"].to_numpy()[[i for _, _, i in close]])
                if len(ids) == 1:
                    return ids.pop(), "fuzzy"
        return "", match.how[0]

    def describe(self, ids: list[str]) -> str:
        return ", ".join(f"{self.display.get(i, i)} ({i})" for i in ids)
