"""Column names, event kinds and the other fixed vocabularies of the three tables."""

from __future__ import annotations

EVENT_COLUMNS = ("date", "place", "actor", "kind", "confidence", "source", "url", "notes")
EVENT_REQUIRED = ("date", "place", "actor", "kind", "source")

PLACE_COLUMNS = ("place_id", "name", "alt_names", "kind", "lat", "lon", "country", "governorate",
                 "population", "parent", "source", "url")
PLACE_REQUIRED = ("place_id", "name", "lat", "lon")

ACTOR_COLUMNS = ("actor", "colour", "aliases", "side", "successor", "successor_date", "notes")
ACTOR_REQUIRED = ("actor", "colour")

#: Event kinds and what each one means. ``actor`` is the attacker for ``contested``/``repelled`` and the
#: besieger for ``besieged``.
EVENT_KINDS = {
    "captured": "the actor took control of the place (a change of control)",
    "held": "a source observes that the actor holds the place on that date",
    "contested": "fighting for the place began; the actor is the attacker",
    "repelled": "the actor's attack ended without a change of control",
    "besieged": "a siege of the place began; the actor is the besieger",
    "siege_lifted": "the siege of the place ended",
    "withdrew": "the actor left the place and nobody is named as taking it",
    "holds_part": "the actor holds part of the place; its controller keeps the rest (divided)",
    "holds_most": "the actor holds the larger part of the place; the previous controller keeps the rest",
}
CONFIDENCE = ("confirmed", "claimed", "disputed")
STATUSES = ("held", "divided", "contested", "besieged", "unknown")
PRECISIONS = {"D": "day", "M": "month", "Y": "year"}
UNKNOWN = "unknown"
