"""The demo's indicators: every key indicator has a baseline and a target, counts are
plausible, and linked measures show on the charts; running the demo twice changes nothing."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from amparo.accounts.models import User
from amparo.indicators.models import Indicator, Observation, Target
from amparo.mitigation.models import MeasureMove


def test_the_demo_gives_every_key_indicator_goals_and_shows_progress(db, settings) -> None:
    settings.DEBUG = True
    call_command("demo", stdout=StringIO())
    counts = (Observation.objects.count(), Target.objects.count(), MeasureMove.objects.count())
    call_command("demo", stdout=StringIO())
    assert (
        Observation.objects.count(),
        Target.objects.count(),
        MeasureMove.objects.count(),
    ) == counts
    keys = list(Indicator.objects.filter(is_key=True))
    assert len(keys) == 12
    for indicator in keys:
        for region in ("PE-LOR", "PE-UCA"):
            kinds = set(
                Target.objects.filter(indicator=indicator, region__code=region).values_list(
                    "kind", flat=True
                )
            )
            assert kinds == {"baseline", "target"}, (indicator.code, region)
    plans = Observation.objects.filter(indicator__code__in=["OUT-PLAN-REGIONAL", "OUT-PLAN-ANNUAL"])
    assert plans.exists() and max(o.value for o in plans) <= 2
    client = Client()
    client.force_login(User.objects.get(username="demo-coordinador"))
    views = {
        v.indicator.code: v
        for v, _c in client.get(reverse("region-dashboard", args=["PE-LOR"])).context["charts"]
    }
    assert 0 < views["OC-REINTEGRATED-PCT"].current < 100
    assert views["OC-REINTEGRATED-PCT"].progress is not None
    assert views["OUT-TRAINED"].progress is not None
    assert -1 < views["OUT-TRAINED"].progress < 3  # the same scale, not several times over
    marked = [v for v in views.values() if v.marks]
    assert marked
    assert all(v.series[0][0] <= v.marks[0][0] <= v.series[-1][0] for v in marked)
