"""``amparo load-catalog``: every kind of catalog row of the chosen packs, in one
transaction, in the order rows refer to each other."""

from __future__ import annotations

from django.db import transaction

from amparo.assessment.services import threats_catalog_load
from amparo.catalog.sync import LoadCount
from amparo.indicators.services import disaggregations_catalog_load, indicators_catalog_load
from amparo.mitigation.services import controls_catalog_load
from amparo.policy.services import policy_catalog_load
from amparo.questionnaires.catalog import questionnaires_catalog_load
from amparo.rollout.services import playbook_catalog_load
from amparo.territory.services import territory_catalog_load


@transaction.atomic
def catalog_load(*, packs: list[str]) -> LoadCount:
    """Load ``packs`` (names from ``available_packs``): regions and sectors first, since
    every other row belongs to a sector; the national policy before the controls and
    indicators tagged with its entries; threats before the controls that treat them and the
    questions that ask about them. Returns what was created, updated, kept and left."""
    count = LoadCount()
    for pack in packs:
        territory_catalog_load(pack=pack, count=count)
        playbook_catalog_load(pack=pack, count=count)
        policy_catalog_load(pack=pack, count=count)
        threats_catalog_load(pack=pack, count=count)
        controls_catalog_load(pack=pack, count=count)
        questionnaires_catalog_load(pack=pack, count=count)
        disaggregations_catalog_load(pack=pack, count=count)
        indicators_catalog_load(pack=pack, count=count)
    return count
