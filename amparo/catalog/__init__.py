"""The starter catalog: data files per country pack (``pe`` = Peru), loaded by
``amparo load-catalog`` (``load.py``) under one set of rules (``sync.py``, applied by
``apply.py``). Nothing outside a pack's files assumes a country."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

CATALOG_DIR = Path(__file__).resolve().parent


def available_packs() -> list[str]:
    """Country packs shipped with amparo, by folder name: the folders that hold a pack's
    files (every pack has its territory), not the code's own folders such as tests."""
    return sorted(p.name for p in CATALOG_DIR.iterdir() if (p / "territory.json").is_file())


def read_pack_file(pack: str, name: str) -> dict[str, Any]:
    """Read ``<pack>/<name>.json``; a missing pack is a clear error."""
    if pack not in available_packs():
        raise ValueError(
            f"unknown catalog pack {pack!r}; available: {', '.join(available_packs())}"
        )
    path = CATALOG_DIR / pack / f"{name}.json"
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def entry_fingerprint(entry: dict[str, Any]) -> str:
    """A fingerprint of a catalog entry, kept on the row it was loaded into: equal exactly
    when the entry is, so a load can tell whether the catalog changed since the last one."""
    return hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest()
