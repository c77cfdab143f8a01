"""Outcome questionnaires as data: each measure is one JSON file in `settings.OUTCOME_MEASURES_DIR`
(outcomes/measures/ by default), read and checked here once per process.

A definition says everything the scoring engine (outcomes.scoring), the forms, the API and the
charts need: its items and answer scale, how it is scored and with how many answers missing,
which direction is better, and the minimal important change with its published source, or why
there is none. A new questionnaire is a new file; nothing in the code names a measure.

The shape of a file (see the shipped ones):

    key, name, instructions, order (where it comes on a page), source (the instrument's
    citation), licence_note,
    items: [{key, text}, ...]            the fixed questions, each answered on `scale`; or
    named_items: {key, max, prompt}      up to `max` items the client names (the PSFS's
                                         activities), each rated on `scale`,
    scale: {min, max, anchors: {"0": "Not at all", ...}},
    scoring: {method: "sum" | "mean", min_answered: "all" | N, decimals: N},
    direction: "higher_is_worse" | "higher_is_better",
    minimal_important_change: {points, percent, text, source} or null,
    threshold_note: why there is no threshold (when it is null), shown beside the change.

A file that does not fit this shape stops the app at start-up (ImproperlyConfigured) rather
than score anyone with it.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_DIR = Path(__file__).resolve().parent / "measures"
METHODS = ("sum", "mean")
DIRECTIONS = ("higher_is_worse", "higher_is_better")


@dataclass(frozen=True)
class Item:
    key: str
    text: str


@dataclass(frozen=True)
class NamedItems:
    """Items the client names themselves (for example up to 3 activities), each rated on the scale."""

    key: str  # where the list sits in the answers: {"activities": [{"name": ..., "score": ...}]}
    max: int
    prompt: str


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    anchors: dict[int, str]

    @property
    def points(self) -> list[int]:
        return list(range(self.min, self.max + 1))


@dataclass(frozen=True)
class Threshold:
    """The minimal important change: in points, or as a share of the first score, or either."""

    points: Decimal | None
    percent: Decimal | None
    text: str  # "2 points or 30%"
    source: str  # the published source, as a citation


@dataclass(frozen=True)
class Measure:
    key: str
    name: str
    instructions: str
    order: int
    items: tuple[Item, ...]
    named_items: NamedItems | None
    scale: Scale
    method: str
    min_answered: int  # the fewest items answered that still give a score
    decimals: int
    higher_is_better: bool
    threshold: Threshold | None
    threshold_note: str
    source: str
    licence_note: str

    @property
    def item_count(self) -> int:
        """How many items there are (fixed), or may be (named)."""
        return self.named_items.max if self.named_items else len(self.items)

    @property
    def score_min(self) -> Decimal:
        return Decimal(self.scale.min * (self.item_count if self.method == "sum" else 1))

    @property
    def score_max(self) -> Decimal:
        return Decimal(self.scale.max * (self.item_count if self.method == "sum" else 1))

    @property
    def threshold_text(self) -> str:
        return self.threshold.text if self.threshold else "no published threshold"


def measures() -> dict[str, Measure]:
    """Every measure, in page order, by key."""
    return _load(str(getattr(settings, "OUTCOME_MEASURES_DIR", DEFAULT_DIR)))


def measure_get(key: str) -> Measure | None:
    return measures().get(key)


def measures_reload() -> None:
    """Read the files again (after adding one, or in tests that point the setting elsewhere)."""
    _load.cache_clear()


@cache
def _load(directory: str) -> dict[str, Measure]:
    found = [measure_from_file(path) for path in sorted(Path(directory).glob("*.json"))]
    keys = [measure.key for measure in found]
    if len(set(keys)) != len(keys):
        raise ImproperlyConfigured(f"Two outcome measures in {directory} share a key: {sorted(keys)}")
    return {measure.key: measure for measure in sorted(found, key=lambda m: (m.order, m.key))}


def measure_from_file(path: Path) -> Measure:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return measure_from_dict(raw)
    except (ValueError, KeyError, TypeError) as error:
        raise ImproperlyConfigured(f"Outcome measure {path.name} is not valid: {error}") from error


def measure_from_dict(raw: dict[str, object]) -> Measure:
    """Check one definition and build the Measure; ValueError, KeyError or TypeError when it doesn't fit."""
    scale_raw = _mapping(raw["scale"])
    scale = Scale(
        min=_int(scale_raw["min"]),
        max=_int(scale_raw["max"]),
        anchors={int(point): str(label) for point, label in _mapping(scale_raw.get("anchors", {})).items()},
    )
    if scale.min >= scale.max:
        raise ValueError("the scale's min must be below its max")
    items = tuple(Item(key=str(each["key"]), text=str(each["text"])) for each in _list(raw.get("items", [])))
    named_raw = raw.get("named_items")
    named = None
    if named_raw is not None:
        named_map = _mapping(named_raw)
        named = NamedItems(
            key=str(named_map["key"]), max=_int(named_map["max"]), prompt=str(named_map["prompt"])
        )
    if bool(items) == bool(named):
        raise ValueError("a measure has either fixed `items` or `named_items`, not both or neither")
    if len({item.key for item in items}) != len(items):
        raise ValueError("two items share a key")
    scoring = _mapping(raw["scoring"])
    method = str(scoring["method"])
    if method not in METHODS:
        raise ValueError(f"scoring.method must be one of {METHODS}")
    count = named.max if named else len(items)
    wanted = scoring.get("min_answered", "all")
    min_answered = count if wanted == "all" else _int(wanted)
    if not 1 <= min_answered <= count:
        raise ValueError("scoring.min_answered must be between 1 and the number of items")
    if method == "sum" and min_answered != count:
        # A sum with items missing is not the same scale: no score rather than a smaller one.
        raise ValueError("a summed score needs every item answered (min_answered: all)")
    direction = str(raw["direction"])
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}")
    threshold = _threshold(raw.get("minimal_important_change"))
    threshold_note = str(raw.get("threshold_note", ""))
    if threshold is None and not threshold_note:
        raise ValueError("without a minimal_important_change, say why in threshold_note")
    return Measure(
        key=_key(raw["key"]),
        name=str(raw["name"]),
        instructions=str(raw["instructions"]),
        order=_int(raw.get("order", 100)),
        items=items,
        named_items=named,
        scale=scale,
        method=method,
        min_answered=min_answered,
        decimals=_int(scoring.get("decimals", 0)),
        higher_is_better=direction == "higher_is_better",
        threshold=threshold,
        threshold_note=threshold_note,
        source=str(raw["source"]),
        licence_note=str(raw.get("licence_note", "")),
    )


def _threshold(raw: object) -> Threshold | None:
    if raw is None:
        return None
    values = _mapping(raw)
    points = values.get("points")
    percent = values.get("percent")
    if points is None and percent is None:
        raise ValueError("minimal_important_change needs points, percent or both")
    source = str(values["source"])
    if not source.strip():
        raise ValueError("minimal_important_change needs its published source")
    return Threshold(
        points=None if points is None else _positive(points),
        percent=None if percent is None else _positive(percent),
        text=str(values["text"]),
        source=source,
    )


def _key(value: object) -> str:
    key = str(value)
    if not key.isidentifier() or len(key) > 40:
        raise ValueError(f"key {key!r} must be a short identifier")
    return key


def _positive(value: object) -> Decimal:
    number = Decimal(str(value))
    if not number.is_finite() or number <= 0:
        raise ValueError("thresholds are positive numbers")
    return number


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{value!r} is not a whole number")
    return value


def _mapping(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise TypeError(f"{value!r} is not an object")
    return value


def _list(value: object) -> list[dict[str, object]]:
    if not isinstance(value, list):
        raise TypeError(f"{value!r} is not a list")
    return value
