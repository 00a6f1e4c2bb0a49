"""The authorization sweep: every named URL of the site (the API has its own tests), for
every role, on objects of region A and of region B, must answer the expected status. A new
URL that is not in the table fails ``test_every_url_is_in_the_sweep``.

Roles: a program admin, the coordinator of A, the tourism focal point of A, a viewer of A,
an outsider with no membership, and an anonymous visitor. Region A is Loreto, B Ucayali.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from amparo.assessment import services as assessment_services
from amparo.assessment.models import Finding, Threat
from amparo.disclosure.models import AuditRun
from amparo.fieldservers.models import Connection, PublishedForm
from amparo.imports.models import ImportJob
from amparo.mitigation.models import Evidence, Measure
from amparo.partnerships.models import Material, MaterialVersion, Meeting, NextStep, Partnership
from amparo.reports.models import ReportFile
from amparo.rollout.models import (
    Blackout,
    Event,
    PlanRun,
    Playbook,
    RecoveryGroup,
    Rollout,
    Stage,
    Team,
)
from amparo.territory.models import Contact, Organization

ROLES = ["admin", "coordinator", "focal", "viewer", "outsider", None]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _five_groups(rollout, church) -> RecoveryGroup:
    """The first of five groups: a number viewers may see, so they may open a group page
    (with fewer, the list and its pages are hidden from them: its length is small)."""
    first = RecoveryGroup.objects.create(
        rollout=rollout, church=church, launched_on=date(2025, 7, 1), meeting_day=1
    )
    for n in range(4):
        RecoveryGroup.objects.create(
            rollout=rollout, church=church, label=f"G{n}", launched_on=date(2025, 7, 1),
            meeting_day=1,
        )  # fmt: skip
    return first


def _row(admin, coordinator, focal, viewer, outsider, anonymous=302):
    return {
        "admin": admin,
        "coordinator": coordinator,
        "focal": focal,
        "viewer": viewer,
        "outsider": outsider,
        None: anonymous,
    }


READ = _row(200, 200, 200, 200, 404)
CHANGE = _row(200, 200, 403, 403, 404)
SECTOR = _row(200, 200, 200, 403, 404)  # rows of the tourism sector: the focal point's own
DETAIL = _row(200, 200, 200, 403, 404)  # documents and evidence text
ADMIN = _row(200, 403, 403, 403, 403)
MEMBER = _row(200, 200, 200, 200, 404)
# Church-track settings: program admins change them, coordinators read their region's.
SETTINGS = _row(200, 200, 403, 403, 404)
REGION_ADMIN = _row(200, 403, 403, 403, 404)  # a region's settings, changed by admins only
USER = _row(200, 200, 200, 200, 200)
OWN_REPORT = _row(404, 200, 404, 404, 404)  # a report is its requester's
OTHER_REGION = _row(200, 404, 404, 404, 404)
PUBLIC = _row(200, 200, 200, 200, 200, anonymous=200)  # password reset: before signing in
PASSED = _row(302, 302, 302, 302, 302)  # the code page, once nothing is owed, sends on
# Turning two-factor off: program admins must keep it; the others have no device here.
OTP_OFF = _row(403, 302, 302, 302, 302)
OTP_ON = _row(200, 302, 302, 302, 302)  # recovery codes: for those with an app set up
PEOPLE = _row(200, 200, 403, 403, 404)  # people of the region: its coordinators and admins
GONE = _row(404, 404, 404, 404, 404, anonymous=404)  # an invitation link that does not work

# name -> (expected on region A, whether it is scoped to a region, method, kwargs builder)
A, B = "A", "B"


def _finding(o, r):
    return {"code": o[r]["code"], "pk": o[r]["round"].pk, "finding_pk": o[r]["finding"].pk}


SWEEP = {
    "home": (USER, False, "get", lambda o, r: {}),
    "region-detail": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "organization-create": (CHANGE, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "organization-edit": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["org"].pk},
    ),
    "organization-import": (CHANGE, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "organization-import-template": (CHANGE, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "organization-import-job": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "job_id": o[r]["org_job"].pk},
    ),
    "organization-import-confirm": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "job_id": o[r]["org_job"].pk},
    ),
    "organization-import-discard": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "job_id": o[r]["org_job"].pk},
    ),
    "contact-create": (CHANGE, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "contact-edit": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["contact"].pk},
    ),
    "program": (USER, False, "get", lambda o, r: {}),
    "planner": (ADMIN, False, "get", lambda o, r: {}),
    "plan-run": (ADMIN, False, "get", lambda o, r: {"pk": o["plan"].pk}),
    "plan-apply": (ADMIN, False, "post", lambda o, r: {"pk": o["plan"].pk}),
    "track-settings": (SETTINGS, False, "get", lambda o, r: {}),
    "team-list": (SETTINGS, False, "get", lambda o, r: {}),
    "team-create": (ADMIN, False, "get", lambda o, r: {}),
    "team-edit": (ADMIN, False, "get", lambda o, r: {"pk": o["team"].pk}),
    "team-delete": (ADMIN, False, "get", lambda o, r: {"pk": o["team"].pk}),
    "travel-times": (SETTINGS, False, "get", lambda o, r: {}),
    "blackout-calendar": (SETTINGS, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "blackout-create": (REGION_ADMIN, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "blackout-edit": (
        REGION_ADMIN,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["blackout"].pk},
    ),
    "blackout-delete": (
        REGION_ADMIN,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["blackout"].pk},
    ),
    "plan-cancel": (ADMIN, False, "post", lambda o, r: {"pk": o["plan"].pk}),
    "playbook-list": (MEMBER, False, "get", lambda o, r: {}),
    "playbook-create": (ADMIN, False, "get", lambda o, r: {}),
    "playbook-detail": (MEMBER, False, "get", lambda o, r: {"code": "iglesias"}),
    "playbook-edit": (ADMIN, False, "get", lambda o, r: {"code": "iglesias"}),
    "stage-create": (ADMIN, False, "get", lambda o, r: {"code": "iglesias"}),
    "stage-edit": (ADMIN, False, "get", lambda o, r: {"code": "iglesias", "pk": o["stage"].pk}),
    "stage-delete": (ADMIN, False, "post", lambda o, r: {"code": "iglesias", "pk": o["stage"].pk}),
    "rollout-create": (CHANGE, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "rollout-board": (
        READ,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["rollout"].pk},
    ),
    "event-create": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "rollout_pk": o[r]["rollout"].pk},
    ),
    "event-detail": (
        READ,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["event"].pk},
    ),
    "event-edit": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["event"].pk},
    ),
    "event-complete": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["event"].pk},
    ),
    "event-cancel": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["event"].pk},
    ),
    "attendance-save": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["event"].pk},
    ),
    "attendance-delete": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["event"].pk, "row_pk": 1},
    ),
    "group-create": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "rollout_pk": o[r]["rollout"].pk},
    ),
    "group-detail": (
        READ,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["group"].pk},
    ),
    "group-edit": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["group"].pk},
    ),
    "group-report-save": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["group"].pk},
    ),
    "calendar-settings": (USER, False, "get", lambda o, r: {}),
    "calendar-create": (USER, False, "post", lambda o, r: {}),
    "calendar-revoke": (USER, False, "post", lambda o, r: {"pk": 999}),
    "threat-list": (MEMBER, False, "get", lambda o, r: {}),
    "threat-create": (ADMIN, False, "get", lambda o, r: {}),
    "threat-edit": (ADMIN, False, "get", lambda o, r: {"pk": o["threat"].pk}),
    "matrix-detail": (MEMBER, False, "get", lambda o, r: {"code": "5x5"}),
    "matrix-edit": (ADMIN, False, "get", lambda o, r: {"code": "5x5"}),
    "matrix-list": (MEMBER, False, "get", lambda o, r: {}),
    "matrix-create": (ADMIN, False, "get", lambda o, r: {}),
    "matrix-copy": (ADMIN, False, "post", lambda o, r: {"code": "5x5"}),
    "round-list": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "round-start": (CHANGE, True, "post", lambda o, r: {"code": o[r]["code"]}),
    "round-detail": (
        READ,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk},
    ),
    "round-move": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk},
    ),
    "round-coverage": (
        READ,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk},
    ),
    "round-heatmap": (
        READ,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk},
    ),
    "finding-list": (
        READ,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk},
    ),
    "finding-create": (
        SECTOR,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk},
    ),
    "finding-detail": (
        READ,
        True,
        "get",
        _finding,
    ),
    "finding-edit": (
        SECTOR,
        True,
        "get",
        _finding,
    ),
    "finding-delete": (SECTOR, True, "get", _finding),
    "my-measures": (USER, False, "get", lambda o, r: {}),
    "measure-list": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "measure-library": (SECTOR, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "measure-from-control": (
        SECTOR,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "control_pk": o["control"].pk},
    ),
    "measure-systemic": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "measure-create": (SECTOR, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "measure-detail": (
        READ,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["measure"].pk},
    ),
    "measure-edit": (
        SECTOR,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["measure"].pk},
    ),
    "measure-move": (
        SECTOR,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["measure"].pk},
    ),
    "evidence-add": (
        SECTOR,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["measure"].pk},
    ),
    "evidence-download": (
        DETAIL,
        True,
        "get",
        lambda o, r: {
            "code": o[r]["code"],
            "pk": o[r]["measure"].pk,
            "evidence_pk": o[r]["evidence"].pk,
        },
    ),
    "questionnaires": (
        READ,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk},
    ),
    "questionnaire-export": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk},
    ),
    "import-upload": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk},
    ),
    "import-job": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk, "job_id": o[r]["job"].pk},
    ),
    "import-confirm": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk, "job_id": o[r]["job"].pk},
    ),
    "import-discard": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk, "job_id": o[r]["job"].pk},
    ),
    "fieldserver-list": (ADMIN, False, "get", lambda o, r: {}),
    "fieldserver-create": (ADMIN, False, "get", lambda o, r: {}),
    "fieldserver-edit": (ADMIN, False, "get", lambda o, r: {"pk": o["connection"].pk}),
    "fieldserver-test": (ADMIN, False, "post", lambda o, r: {"pk": o["connection"].pk}),
    "fieldserver-enable": (ADMIN, False, "post", lambda o, r: {"pk": o["connection"].pk}),
    "round-fieldservers": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk},
    ),
    "fieldserver-publish": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk},
    ),
    "fieldserver-sync": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk, "form_pk": o[r]["form"].pk},
    ),
    "fieldserver-job": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk, "job_id": o[r]["pull"].pk},
    ),
    "fieldserver-job-confirm": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk, "job_id": o[r]["pull"].pk},
    ),
    "fieldserver-job-discard": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["round"].pk, "job_id": o[r]["pull"].pk},
    ),
    "accept-suggestion": (
        SECTOR,
        True,
        "post",
        _finding,
    ),
    "program-dashboard": (USER, False, "get", lambda o, r: {}),
    "region-dashboard": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "region-indicators": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "indicator-entry": (CHANGE, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "questionnaire-list": (ADMIN, False, "get", lambda o, r: {}),
    "questionnaire-detail": (ADMIN, False, "get", lambda o, r: {"code": "Q-TUR"}),
    "questionnaire-preview": (ADMIN, False, "get", lambda o, r: {"code": "Q-TUR"}),
    "questionnaire-version": (ADMIN, False, "get", lambda o, r: {"code": "Q-TUR", "number": 1}),
    "question-create": (ADMIN, False, "get", lambda o, r: {"code": "Q-TUR"}),
    "question-edit": (
        ADMIN,
        False,
        "get",
        lambda o, r: {"code": "Q-TUR", "pk": o["question"].pk},
    ),
    "indicator-import": (CHANGE, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "indicator-import-job": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "job_id": o[r]["values_job"].pk},
    ),
    "indicator-import-confirm": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "job_id": o[r]["values_job"].pk},
    ),
    "indicator-import-discard": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "job_id": o[r]["values_job"].pk},
    ),
    "indicator-targets": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "indicator_code": "X-1"},
    ),
    "indicator-create": (ADMIN, False, "get", lambda o, r: {}),
    "indicator-edit": (ADMIN, False, "get", lambda o, r: {"indicator_code": "X-1"}),
    "pipeline": (USER, False, "get", lambda o, r: {}),
    "region-partnerships": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "partnership-move": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["partnership"].pk},
    ),
    "agreement-download": (
        DETAIL,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["partnership"].pk},
    ),
    "meetings": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "next-step-create": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["meeting"].pk},
    ),
    "next-step-edit": (
        CHANGE,
        True,
        "get",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["step"].pk},
    ),
    "event-materials": (
        CHANGE,
        True,
        "post",
        lambda o, r: {"code": o[r]["code"], "pk": o[r]["event"].pk},
    ),
    "my-tasks": (USER, False, "get", lambda o, r: {}),
    "step-done": (CHANGE, True, "post", lambda o, r: {"pk": o[r]["step"].pk}),
    "materials": (MEMBER, False, "get", lambda o, r: {}),
    "material-edit": (ADMIN, False, "get", lambda o, r: {"pk": o["material"].pk}),
    "material-version-add": (ADMIN, False, "post", lambda o, r: {"pk": o["material"].pk}),
    "material-download": (MEMBER, False, "get", lambda o, r: {"pk": o["material_version"].pk}),
    "api-tokens": (USER, False, "get", lambda o, r: {}),
    "api-token-revoke": (USER, False, "post", lambda o, r: {"pk": 999}),
    "program-reports": (MEMBER, False, "get", lambda o, r: {}),
    "region-reports": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "report-status": (OWN_REPORT, False, "get", lambda o, r: {"pk": o["report"].pk}),
    "report-download": (OWN_REPORT, False, "get", lambda o, r: {"pk": o["report"].pk}),
    "round-list-csv": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "partnerships-csv": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "indicators-csv": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "my-measures-csv": (USER, False, "get", lambda o, r: {}),
    "my-tasks-csv": (USER, False, "get", lambda o, r: {}),
    "change-log": (ADMIN, False, "get", lambda o, r: {}),
    "ops-status": (ADMIN, False, "get", lambda o, r: {}),
    "disclosure-audit": (ADMIN, False, "get", lambda o, r: {}),
    "disclosure-audit-run": (ADMIN, False, "get", lambda o, r: {"pk": o["audit"].pk}),
    "disaggregation-list": (MEMBER, False, "get", lambda o, r: {}),
    "disaggregation-create": (ADMIN, False, "get", lambda o, r: {}),
    "disaggregation-edit": (ADMIN, False, "get", lambda o, r: {"dimension_code": "sex"}),
    "disaggregation-value-create": (
        ADMIN,
        False,
        "get",
        lambda o, r: {"dimension_code": "sex"},
    ),
    "disaggregation-value-edit": (
        ADMIN,
        False,
        "get",
        lambda o, r: {"dimension_code": "sex", "pk": o["sex_f"].pk},
    ),
    "dhis2-mapping": (ADMIN, False, "get", lambda o, r: {}),
    "dhis2-mapping-delete": (ADMIN, False, "post", lambda o, r: {"pk": o["dhis2_code"].pk}),
    "dhis2-export": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "dhis2-import": (CHANGE, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "policy-list": (MEMBER, False, "get", lambda o, r: {}),
    "policy-alignment": (MEMBER, False, "get", lambda o, r: {}),
    "policy-alignment-region": (READ, True, "get", lambda o, r: {"code": o[r]["code"]}),
    "policy-edit": (ADMIN, False, "get", lambda o, r: {"instrument_code": "PNFTP"}),
    "policy-item-create": (ADMIN, False, "get", lambda o, r: {"instrument_code": "PNFTP"}),
    "policy-item-edit": (
        ADMIN,
        False,
        "get",
        lambda o, r: {"instrument_code": "PNFTP", "pk": o["policy_item"].pk},
    ),
    "account-security": (USER, False, "get", lambda o, r: {}),
    "otp-setup": (USER, False, "get", lambda o, r: {}),
    "otp-verify": (PASSED, False, "get", lambda o, r: {}),
    "otp-disable": (OTP_OFF, False, "get", lambda o, r: {}),
    "otp-recovery-codes": (OTP_ON, False, "get", lambda o, r: {}),
    "password-change": (USER, False, "get", lambda o, r: {}),
    "password-change-done": (USER, False, "get", lambda o, r: {}),
    "password-reset": (PUBLIC, False, "get", lambda o, r: {}),
    "password-reset-sent": (PUBLIC, False, "get", lambda o, r: {}),
    "password-reset-confirm": (
        PUBLIC,
        False,
        "get",
        lambda o, r: {"uidb64": "MQ", "token": "not-a-token"},
    ),
    "password-reset-done": (PUBLIC, False, "get", lambda o, r: {}),
    "people": (PEOPLE, False, "get", lambda o, r: {}),
    "person-detail": (PEOPLE, False, "get", lambda o, r: {"pk": o["person"].pk}),
    "membership-add": (PEOPLE, False, "post", lambda o, r: {"pk": o["person"].pk}),
    "membership-edit": (
        PEOPLE,
        False,
        "get",
        lambda o, r: {"pk": o["person"].pk, "membership_pk": o["membership"].pk},
    ),
    "membership-remove": (
        PEOPLE,
        False,
        "post",
        lambda o, r: {"pk": o["person"].pk, "membership_pk": o["membership"].pk},
    ),
    "person-deactivate": (ADMIN, False, "post", lambda o, r: {"pk": o["person"].pk}),
    "person-reactivate": (ADMIN, False, "post", lambda o, r: {"pk": o["person"].pk}),
    "second-factor-reset": (ADMIN, False, "get", lambda o, r: {"pk": o["person"].pk}),
    "invitation-new": (PEOPLE, False, "get", lambda o, r: {}),
    "invitation-resend": (PEOPLE, False, "post", lambda o, r: {"pk": o["invitation"].pk}),
    "invitation-revoke": (PEOPLE, False, "post", lambda o, r: {"pk": o["invitation"].pk}),
    "invitation-accept": (GONE, False, "get", lambda o, r: {"token": "not-a-token"}),
}
# Not swept here, each for a reason tested elsewhere:
NOT_SWEPT = {
    "login",
    "logout",
    "set_language",  # public pages (test_login)
    "calendar-feed",
    "calendar-region-feed",  # secret-link feeds, no session (test_calendar)
    "health",
    "health-ready",  # public JSON for monitors, no session (ops/tests/test_health)
}


def _named_urls():
    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                if not str(p.pattern).startswith(("admin/", "api/v1/")):
                    yield from walk(p.url_patterns)
            elif p.name:
                yield p.name

    return set(walk(get_resolver().url_patterns))


def test_every_url_is_in_the_sweep() -> None:
    missing = _named_urls() - set(SWEEP) - NOT_SWEPT
    assert not missing, f"add these URLs to the authorization sweep: {sorted(missing)}"


@pytest.fixture
def objects(world, settings, tmp_path):
    from amparo.catalog.sync import LoadCount
    from amparo.rollout.services import playbook_catalog_load

    settings.MEDIA_ROOT = tmp_path
    playbook_catalog_load(pack="pe", count=LoadCount())
    playbook = Playbook.objects.get(code="iglesias")
    threat = Threat.objects.create(code="TUR-01", sector=world.sector, title_es="t", title_en="t")
    found = {"stage": Stage.objects.get(playbook=playbook, code="lanzamiento"), "threat": threat}
    connection = Connection.objects.create(
        kind="kobo", name="kobo", base_url="https://kobo.example.org", secret_sealed="x"
    )
    found["connection"] = connection
    for key, region in ((A, world.region_a), (B, world.region_b)):
        org = Organization.objects.create(name=f"Iglesia {key}", kind="church", region=region)
        rollout = Rollout.objects.create(region=region, playbook=playbook)
        event = Event.objects.create(
            rollout=rollout,
            stage=playbook.stages.get(code="reuniones"),
            starts_on=date(2025, 1, 6),
            ends_on=date(2025, 1, 7),
            city="x",
        )
        assessment = assessment_services.assessment_start(region=region, clone_previous=False)
        measure = Measure.objects.create(
            region=region, sector=world.sector, kind="policy", title="m"
        )
        evidence = Evidence(measure=measure, description="d")
        evidence.file.save("e.pdf", SimpleUploadedFile("e.pdf", PDF), save=False)
        evidence.save()
        partnership = Partnership.objects.create(
            region=region, organization=org, since=date(2026, 1, 1)
        )
        partnership.agreement.save("a.pdf", SimpleUploadedFile("a.pdf", PDF))
        meeting = Meeting.objects.create(
            region=region, held_on=date(2026, 1, 2), place="x", purpose="p"
        )
        found[key] = {
            "code": region.code,
            "org": org,
            "contact": Contact.objects.create(organization=org, name="c"),
            "rollout": rollout,
            "event": event,
            "group": _five_groups(rollout, org),
            "round": assessment,
            "finding": Finding.objects.create(
                assessment=assessment,
                threat=threat,
                sector=world.sector,
                inherent_likelihood=3,
                inherent_impact=3,
            ),
            "measure": measure,
            "evidence": evidence,
            "partnership": partnership,
            "meeting": meeting,
            "step": NextStep.objects.create(
                meeting=meeting,
                description="s",
                owner=world.users["admin"],
                due_on=date(2026, 2, 1),
            ),
            "job": ImportJob.objects.create(
                kind="field_answers",
                region=region,
                target=assessment,
                original_name="x.csv",
                file_format="csv",
            ),
            "pull": ImportJob.objects.create(
                kind="field_sync", region=region, target=assessment, original_name="kobo · 1"
            ),
            "form": PublishedForm.objects.create(
                connection=connection,
                assessment=assessment,
                server_form_id=f"amparo_all_{key}",
                published_at=timezone.now(),
            ),
            "values_job": ImportJob.objects.create(
                kind="observations", region=region, original_name="x.csv", file_format="csv"
            ),
            "blackout": Blackout.objects.create(
                region=region, first_day=date(2027, 2, 1), last_day=date(2027, 2, 9)
            ),
            "org_job": ImportJob.objects.create(
                kind="organizations", region=region, original_name="x.csv", file_format="csv"
            ),
        }
    from amparo.indicators.models import Indicator

    Indicator.objects.create(
        code="X-1",
        name_es="x",
        name_en="x",
        level="output",
        unit="count",
        direction="higher",
        aggregation="sum",
        frequency="monthly",
    )
    found["team"] = Team.objects.create(code="sweep", name="Equipo", home_region=world.region_a)
    found["audit"] = AuditRun.objects.create(created_by=world.users["admin"], donor=True)
    found["plan"] = PlanRun.objects.create(
        playbook=playbook,
        input={
            "start": "2027-01-04",
            "regions": [{"code": "PE-LOR"}],
            "stages": [{"code": "m", "days": 1}],
            "teams": [{"code": "A", "stages": ["m"]}],
        },
        result={
            "status": "optimal",
            "finish": "2027-01-05",
            "lower_bound": "2027-01-05",
            "baseline_sequential_finish": "2027-01-05",
            "events": [],
        },
    )
    from amparo.mitigation.models import Control
    from amparo.questionnaires.models import Question, Questionnaire, QuestionnaireVersion

    found["control"] = Control.objects.create(
        code="TUR-POL-01", sector=world.sector, kind="policy", title_es="c", title_en="c"
    )
    questionnaire = Questionnaire.objects.create(
        code="Q-TUR", sector=world.sector, title_es="q", title_en="q"
    )
    found["question"] = Question.objects.create(
        questionnaire=questionnaire,
        order=1,
        name="hostels",
        kind="yes_no",
        label_es="¿?",
        label_en="?",
        choices=[
            {"name": "yes", "label_es": "Sí", "label_en": "Yes", "rating": 2},
            {"name": "no", "label_es": "No", "label_en": "No", "rating": 4},
        ],
    )
    QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, form_version="v1")
    from amparo.dhis2.models import Dhis2Code
    from amparo.indicators.models import DisaggregationDimension, DisaggregationValue

    found["dhis2_code"] = Dhis2Code.objects.create(kind="org_unit", key="PE-LOR", code="ou")
    from amparo.policy.models import PolicyInstrument, PolicyItem

    sex = DisaggregationDimension.objects.create(code="sex", name_es="Sexo", name_en="Sex")
    found["sex_f"] = DisaggregationValue.objects.create(
        dimension=sex, code="f", label_es="Mujer", label_en="Female"
    )

    instrument = PolicyInstrument.objects.create(
        code="PNFTP", kind="policy", name_es="p", name_en="p"
    )
    found["policy_item"] = PolicyItem.objects.create(
        instrument=instrument, kind="objective", code="OP1", name_es="o"
    )
    found["material"] = Material.objects.create(code="m", title_es="m", title_en="m", kind="series")
    version = MaterialVersion(
        material=found["material"],
        language="es",
        version="1",
        original_name="m.pdf",
        content_type="application/pdf",
    )
    version.file.save("m.pdf", SimpleUploadedFile("m.pdf", PDF), save=False)
    version.save()
    found["material_version"] = version
    report = ReportFile(
        kind="executive",
        file_format="pdf",
        lang="es",
        data_key="k",
        status="done",
        created_by=world.users["coordinator"],
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    report.file.save("r.pdf", SimpleUploadedFile("r.pdf", PDF), save=False)
    report.save()
    found["report"] = report
    from amparo.accounts.invitations import invitation_create
    from amparo.accounts.models import Membership
    from amparo.accounts.people import MembershipSpec

    found["person"] = world.users["focal"]  # a person of region A
    found["membership"] = Membership.objects.get(user=world.users["focal"])
    found["invitation"] = invitation_create(
        by=world.users["admin"],
        email="nueva@example.org",
        memberships=[MembershipSpec("viewer", world.region_a)],
        link_for=lambda token: token,
    )
    return found


def _status(client: Client, method: str, url: str) -> int:
    response = client.get(url) if method == "get" else client.post(url, {})
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response.status_code


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_each_role_gets_the_expected_status_everywhere(world, objects, role) -> None:
    client = world.client(role)
    failures = []
    for name, (expected, regional, method, kwargs) in SWEEP.items():
        for which in (A, B) if regional else (A,):
            want = expected[role] if which == A else (OTHER_REGION[role] if role else 302)
            if method == "post" and want in (200, 302) and role is not None:
                continue  # an allowed POST changes data; its behaviour is tested with its feature
            url = reverse(name, kwargs=kwargs(objects, which))
            got = _status(client, method, url)
            if method == "post" and want == 200:
                want = got  # not reached: allowed posts are skipped above
            if got != want:
                failures.append(f"{name} ({which}, {method.upper()}): expected {want}, got {got}")
    assert not failures, "\n".join(failures)
