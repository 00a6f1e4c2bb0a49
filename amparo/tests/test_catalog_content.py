"""The Peru pack's data, read straight from its JSON files (no database): a complete
mitigation library, links that point at entries that exist, both languages everywhere,
and a national policy that records no more than its sources verify."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

PACK = Path(__file__).resolve().parents[1] / "catalog" / "pe"

KINDS = ("policy", "procedure", "program")
KIND_IN_CODE = {"POL": "policy", "PRO": "procedure", "PRG": "program"}

# What docs/catalog.md lists as the framework vocabulary; LEGAL: is followed by a norm.
FRAMEWORKS = {
    *(f"CODE:C{n}" for n in range(1, 7)),
    *(f"4P:{p}" for p in ("prevention", "protection", "prosecution", "partnership")),
    *(
        f"INSPIRE:{s}"
        for s in (
            "laws",
            "norms",
            "safe_environments",
            "parents",
            "income",
            "response",
            "education",
        )
    ),
}

# The national policy as far as the team's policy reference (shared/catalog/POLICY.md, §1.2-1.4)
# verifies it: three objectives, guidelines L1.1 and L3.1, services 1-4 in full and service 5
# in part. Anything beyond these in policy.json would be a guess; people complete the rest
# in the app.
VERIFIED_OBJECTIVES = {"OP1", "OP2", "OP3"}
VERIFIED_GUIDELINES = {"L1.1", "L3.1"}
VERIFIED_SERVICES = {"S1", "S2", "S3", "S4"}
PARTIAL_SERVICES = {"S5"}

# Texts a person reads as the entry's heading or body: never empty, unless the whole item
# is marked unverified and the text is unknown (null).
REQUIRED_TEXTS = {"title", "description", "name", "label", "text", "recipient"}


@cache
def _read(name: str) -> dict[str, Any]:
    return json.loads((PACK / f"{name}.json").read_text(encoding="utf-8"))


def _controls() -> list[dict[str, Any]]:
    return _read("controls")["controls"]


def _threats() -> list[dict[str, Any]]:
    return _read("threats")["threats"]


def _indicators() -> list[dict[str, Any]]:
    return _read("indicators")["indicators"]


def _policy() -> dict[str, Any]:
    return _read("policy")


def _dimensions() -> list[dict[str, Any]]:
    return _read("disaggregations")["dimensions"]


def _policy_tags() -> set[str]:
    policy = _policy()
    prefix = policy["policy"]["code"]
    items = policy["objectives"] + policy["guidelines"] + policy["services"]
    return {f"{prefix}:{item['code']}" for item in items}


def test_every_threat_has_a_policy_a_procedure_and_a_program() -> None:
    counts: Counter[tuple[str, str]] = Counter()
    for control in _controls():
        for threat in control["threats"]:
            counts[threat, control["kind"]] += 1
    missing = [
        f"{threat['code']} {kind}"
        for threat in _threats()
        for kind in KINDS
        if counts[threat["code"], kind] == 0
    ]
    assert _threats() and missing == []


def test_controls_point_at_threats_of_their_own_sector_and_at_existing_policy_entries() -> None:
    sectors = {s["code"] for s in _read("territory")["sectors"]}
    threat_sector = {t["code"]: t["sector"] for t in _threats()}
    tags = _policy_tags()
    for control in _controls():
        assert control["sector"] in sectors, control["code"]
        assert control["kind"] in KINDS, control["code"]
        assert control["threats"], control["code"]
        for threat in control["threats"]:
            assert threat_sector.get(threat) == control["sector"], (control["code"], threat)
        assert set(control["policy"]) <= tags, control["code"]


def test_control_codes_name_their_sector_and_kind_and_fit_the_database() -> None:
    for control in _controls():
        match = re.fullmatch(r"([A-Z]{3})-(POL|PRO|PRG)-(\d{2})", control["code"])
        assert match, control["code"]
        assert match[1] == control["sector"], control["code"]
        assert KIND_IN_CODE[match[2]] == control["kind"], control["code"]
        assert len(control["title_es"]) <= 200 and len(control["title_en"]) <= 200


def test_controls_use_the_framework_vocabulary() -> None:
    for control in _controls():
        unknown = [
            f
            for f in control["frameworks"]
            if f not in FRAMEWORKS and not re.fullmatch(r"LEGAL:\S.*", f)
        ]
        assert unknown == [], control["code"]


def test_indicators_point_at_existing_policy_entries_and_dimensions() -> None:
    tags = _policy_tags()
    dimensions = {d["code"] for d in _dimensions()}
    for indicator in _indicators():
        assert set(indicator["policy"]) <= tags, indicator["code"]
        assert set(indicator["disaggregations"]) <= dimensions, indicator["code"]
        assert len(indicator["code"]) <= 20


def test_codes_are_unique() -> None:
    policy = _policy()
    groups = {
        "controls": [c["code"] for c in _controls()],
        "threats": [t["code"] for t in _threats()],
        "indicators": [i["code"] for i in _indicators()],
        "policy": [
            item["code"]
            for key in ("objectives", "guidelines", "services", "regional_context")
            for item in policy[key]
        ]
        + [t["code"] for o in policy["objectives"] for t in o["targets"] or []]
        + [a["code"] for a in policy["protocol"]["axes"]],
        "dimensions": [d["code"] for d in _dimensions()],
    }
    for dimension in _dimensions():
        groups[f"values of {dimension['code']}"] = [v["code"] for v in dimension["values"]]
    for name, codes in groups.items():
        assert codes, name
        assert sorted(c for c, n in Counter(codes).items() if n > 1) == [], name


def _pairs(node: Any, where: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Every ``<base>_es`` / ``<base>_en`` pair under ``node``: (where, base, its object)."""
    found = []
    if isinstance(node, dict):
        for key in node:
            if key.endswith(("_es", "_en")):
                found.append((where, key[:-3], node))
        for key, value in node.items():
            found += _pairs(value, f"{where} {node.get('code', '')}/{key}".strip())
    elif isinstance(node, list):
        for item in node:
            found += _pairs(item, where)
    return found


def test_every_text_has_spanish_and_english() -> None:
    files = sorted(PACK.glob("*.json"))
    assert {p.stem for p in files} >= {"controls", "threats", "policy", "disaggregations"}
    for path in files:
        for where, base, node in _pairs(_read(path.stem), path.stem):
            assert f"{base}_es" in node and f"{base}_en" in node, (where, base)
            es, en = node[f"{base}_es"], node[f"{base}_en"]
            if es is None or en is None:
                # Unknown: both null, and only where the text is optional or the item unverified.
                assert es is None and en is None, (where, base)
                assert base not in REQUIRED_TEXTS or node.get("verified") is False, (where, base)
                continue
            assert isinstance(es, str) and isinstance(en, str), (where, base)
            assert es.strip() == es and en.strip() == en, (where, base)
            assert bool(es) == bool(en), (where, base)
            assert es or base not in REQUIRED_TEXTS, (where, base)


def test_every_entry_has_a_source_and_a_verified_flag() -> None:
    policy = _policy()
    entries = [
        *_controls(),
        *_threats(),
        *_indicators(),
        policy["policy"],
        policy["protocol"],
        *policy["protocol"]["axes"],
        *(
            item
            for key in ("objectives", "guidelines", "services", "regional_context")
            for item in policy[key]
        ),
        *(t for o in policy["objectives"] for t in o["targets"] or []),
        *_dimensions(),
        *(v for d in _dimensions() for v in d["values"]),
    ]
    for entry in entries:
        assert isinstance(entry["verified"], bool), entry["code"]
        parts = entry["source"].split("; ")
        assert all(p.strip() == p and p for p in parts), entry["code"]


def test_the_policy_lists_only_what_its_reference_verifies() -> None:
    policy = _policy()
    assert {o["code"] for o in policy["objectives"]} == VERIFIED_OBJECTIVES
    guidelines = {g["code"]: g for g in policy["guidelines"]}
    services = {s["code"]: s for s in policy["services"]}
    assert set(guidelines) <= VERIFIED_GUIDELINES
    assert set(services) <= VERIFIED_SERVICES | PARTIAL_SERVICES
    assert all(services[code]["verified"] is False for code in PARTIAL_SERVICES & set(services))
    # The totals the app shows as "N of 19 recorded".
    assert policy["policy"]["objectives_total"] == 3
    assert policy["policy"]["guidelines_total"] == 19
    assert policy["policy"]["services_total"] == 42
    objectives = {o["code"] for o in policy["objectives"]}
    assert all(g["objective"] in objectives for g in guidelines.values())
    assert all(s["guideline"] in guidelines for s in services.values() if s["guideline"])


def test_unverified_policy_items_are_marked_and_verified_ones_are_complete() -> None:
    policy = _policy()
    essentials = {
        "objectives": ("name_es",),
        "guidelines": ("name_es", "objective"),
        "services": ("name_es", "guideline", "recipient_es", "condition", "provider"),
    }
    for key, fields in essentials.items():
        for item in policy[key]:
            known = all(item[f] is not None for f in fields)
            assert item["verified"] is known, (key, item["code"])
    for service in policy["services"]:
        assert service["condition"] in ("new", "improved", None), service["code"]
        assert service["regional_role"] in ("recipient", "provider", "none", None)
        assert service["regional_role"] is None or service["verified"], service["code"]
    # What no source gave is null, never a guess: the objectives' indicators and the
    # protocol's steps for regional governments.
    assert all(o["indicators"] is None for o in policy["objectives"])
    assert policy["protocol"]["regional_steps"] is None


def test_policy_targets_point_at_indicators_of_the_pack() -> None:
    codes = {i["code"] for i in _indicators()}
    targets = [t for o in _policy()["objectives"] for t in o["targets"] or []]
    assert targets
    assert all(t["indicator"] in codes for t in targets if t["indicator"])


def test_disaggregation_values_fit_an_observation() -> None:
    for dimension in _dimensions():
        assert re.fullmatch(r"[a-z_]+", dimension["code"]), dimension["code"]
        for value in dimension["values"]:
            assert re.fullmatch(r"[a-z0-9_+-]+", value["code"]), value["code"]
            # Observations store "dimension=value" in 40 characters.
            assert len(f"{dimension['code']}={value['code']}") <= 40


def test_age_groups_do_not_overlap_and_leave_no_gap() -> None:
    """Small-number suppression relies on a dimension's values adding up to its total."""
    ages = [d for d in _dimensions() if any("min_age" in v for v in d["values"])]
    assert {d["code"] for d in ages} >= {"age", "age_band"}
    for dimension in ages:
        values = sorted(dimension["values"], key=lambda v: v["min_age"])
        assert values[0]["min_age"] == 0, dimension["code"]
        for before, after in itertools.pairwise(values):
            assert after["min_age"] == before["max_age"] + 1, dimension["code"]


def test_sdg_16_2_2_follows_its_official_definition() -> None:
    indicator = next(i for i in _indicators() if i.get("standard", {}).get("code") == "16.2.2")
    standard = indicator["standard"]
    assert standard["name_en"] == (
        "Number of victims of human trafficking per 100,000 population, "
        "by sex, age and form of exploitation"
    )
    assert (standard["custodian"], standard["per_population"]) == ("UNODC", 100000)
    assert indicator["disaggregations"] == standard["disaggregations"]
    forms = next(d for d in _dimensions() if d["code"] == "exploitation_form")
    assert {v["sdg_series"] for v in forms["values"]} == {
        f"{standard['series']['count']}{suffix}" for suffix in ("SX", "FL", "OG", "OP")
    }
