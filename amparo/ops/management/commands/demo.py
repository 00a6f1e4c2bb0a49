from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.demo import demo_users_create
from amparo.accounts.models import User
from amparo.assessment.demo import demo_assessment_create
from amparo.indicators.demo import demo_indicators_create
from amparo.mitigation.demo import demo_mitigation_create
from amparo.partnerships.demo import demo_partnerships_create
from amparo.questionnaires.demo import demo_questionnaires_create
from amparo.rollout.demo import demo_rollout_create
from amparo.territory.demo import demo_territory_create


class Command(BaseCommand):
    help = "Create demo users of each role and demo data for every region (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG=false. Demo users have public passwords.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "refusing to create demo users with public passwords while DEBUG is false; "
                "pass --allow-production if this really is a demo server"
            )
        call_command("load_catalog", stdout=self.stdout)
        organizations = demo_territory_create()
        events = demo_rollout_create()
        findings = demo_assessment_create()
        logins = demo_users_create()
        measures = demo_mitigation_create(
            coordinator=User.objects.get(username="demo-coordinador"),
            admin=User.objects.get(username="demo-admin"),
        )
        submissions = demo_questionnaires_create(by=User.objects.get(username="demo-coordinador"))
        observations = demo_indicators_create()
        demo_partnerships_create(
            coordinator=User.objects.get(username="demo-coordinador"),
            focal=User.objects.get(username="demo-enlace"),
            admin=User.objects.get(username="demo-admin"),
        )
        self.stdout.write(
            f"demo data: {organizations} demo organizations, {events} demo events, "
            f"{findings} demo findings, {measures} demo measures, "
            f"{submissions} demo field submissions, {observations} demo indicator values"
        )
        self.stdout.write("demo logins (all data marked demo is invented):")
        for login in logins:
            self.stdout.write(f"  {login.username:<18} {login.password:<14} {login.description}")
        for login in logins:
            if login.totp_key:
                self.stdout.write(
                    f"{login.username} also needs a code: add the key {login.totp_key} to an "
                    f"authenticator app (demo only, public), or run: "
                    f"oathtool --totp -b {login.totp_key}"
                )
