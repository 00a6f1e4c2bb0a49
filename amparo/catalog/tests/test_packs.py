"""The packs are the folders that hold a pack's files, whatever else the package holds."""

from __future__ import annotations

import pytest

from amparo.catalog import CATALOG_DIR, available_packs, read_pack_file


def test_the_packs_are_the_folders_with_pack_files_not_the_tests() -> None:
    assert (CATALOG_DIR / "tests").is_dir()
    assert available_packs() == ["pe"]


def test_reading_a_folder_that_is_not_a_pack_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown catalog pack 'tests'; available: pe"):
        read_pack_file("tests", "territory")
