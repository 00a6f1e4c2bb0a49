"""Fixtures of other apps the home page tests build on."""

from amparo.assessment.tests.conftest import round_a, threats  # noqa: F401
from amparo.rollout.tests.conftest import playbook, stages  # noqa: F401
