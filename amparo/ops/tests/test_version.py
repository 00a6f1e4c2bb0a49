"""One version, shown by ``amparo --version``, the footer and /health/, and a CHANGELOG
grouped by release with the version being prepared on top."""

from __future__ import annotations

import re
from pathlib import Path

import amparo

CHANGELOG = Path(__file__).resolve().parents[3] / "CHANGELOG.md"
RELEASE = re.compile(r"^## (\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})$")


def _parts(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".")[:3])


def test_the_changelog_is_grouped_by_release_newest_first() -> None:
    headings = [line for line in CHANGELOG.read_text().splitlines() if line.startswith("## ")]
    assert headings[0] == f"## Unreleased ({amparo.__version__.removesuffix('.dev0')})"
    releases = [RELEASE.match(h) for h in headings[1:]]
    assert all(releases), [h for h, m in zip(headings[1:], releases, strict=True) if not m]
    versions = [_parts(m.group(1)) for m in releases]
    dates = [m.group(2) for m in releases]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions)
    assert dates == sorted(dates, reverse=True)
    # The version being prepared comes after every release.
    assert _parts(amparo.__version__) > versions[0]


def test_the_version_is_the_packages() -> None:
    text = (CHANGELOG.parent / "pyproject.toml").read_text()
    assert 'version = {attr = "amparo.__version__"}' in text
