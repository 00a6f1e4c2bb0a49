"""What changed between two versions of a questionnaire (pure; no Django import).

A version is a snapshot of its questions: plain dicts as stored on
``QuestionnaireVersion.questions``, each with its field name, kind, labels, hints,
order, whether it is required, the threat and rating it suggests, and its options (each
with a field name, labels and a rating). Questions and options are matched by field name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# The question fields compared, in the order they are reported.
QUESTION_FIELDS = (
    "kind",
    "label_es",
    "label_en",
    "hint_es",
    "hint_en",
    "required",
    "order",
    "threat",
    "rates",
)
OPTION_FIELDS = ("label_es", "label_en", "rating")


@dataclass(frozen=True)
class QuestionChange:
    name: str
    fields: tuple[str, ...] = ()  # question fields that changed, in QUESTION_FIELDS order
    options_added: tuple[str, ...] = ()
    options_removed: tuple[str, ...] = ()
    options_changed: tuple[str, ...] = ()  # options whose labels or rating changed


@dataclass(frozen=True)
class VersionDiff:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[QuestionChange, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _options(question: Mapping) -> dict[str, Mapping]:
    return {o["name"]: o for o in question.get("choices", ())}


def _question_change(old: Mapping, new: Mapping) -> QuestionChange | None:
    fields = tuple(f for f in QUESTION_FIELDS if old.get(f) != new.get(f))
    before, after = _options(old), _options(new)
    added = tuple(n for n in after if n not in before)
    removed = tuple(n for n in before if n not in after)
    changed = tuple(
        n
        for n in after
        if n in before and any(before[n].get(f) != after[n].get(f) for f in OPTION_FIELDS)
    )
    if not (fields or added or removed or changed):
        return None
    return QuestionChange(new["name"], fields, added, removed, changed)


def version_diff(old: Sequence[Mapping], new: Sequence[Mapping]) -> VersionDiff:
    """Questions added (in the new version's order), removed (in the old one's order) and
    changed, with what changed in each."""
    before = {q["name"]: q for q in old}
    after = {q["name"]: q for q in new}
    changes = (_question_change(before[n], after[n]) for n in after if n in before)
    return VersionDiff(
        added=tuple(n for n in after if n not in before),
        removed=tuple(n for n in before if n not in after),
        changed=tuple(c for c in changes if c is not None),
    )
