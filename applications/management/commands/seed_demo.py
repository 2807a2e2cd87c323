"""Load the demo: every part of the system, in one idempotent command.

Each app contributes steps in its own `demo.py`; they run in the order below, share one
DemoContext (a seeded random generator and the objects made so far) and must be safe to
run again: a second run changes nothing."""

import random
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

DEMO_STEPS = [
    "accounts.demo.seed_accounts",
    "panels.demo.seed_committees",
    "applications.demo.seed_projects_and_rounds",
    "applications.demo.seed_applications",
    "panels.demo_assignment.seed_assignments",
    "panels.demo.seed_reviews",
    "procurement.demo.seed_procurement",
    "notifications.demo.seed_notifications",
    "ppir.security_demo.seed_demo_totp",
]


@dataclass
class DemoContext:
    rng: random.Random
    stdout: object
    objects: dict = field(default_factory=dict)

    def say(self, message: str) -> None:
        self.stdout.write(message)


class Command(BaseCommand):
    help = "Load demo data with one account per role (refuses under production settings)."

    def handle(self, *args, **options):
        if getattr(settings, "PPIR_ENVIRONMENT", "") == "production":
            raise CommandError("seed_demo refuses to run under production settings.")
        ctx = DemoContext(rng=random.Random(20260126), stdout=self.stdout)
        for dotted in DEMO_STEPS:
            step = import_string(dotted)
            with transaction.atomic():
                step(ctx)
        accounts = ctx.objects.get("demo_accounts", [])
        if accounts:
            self.stdout.write("\nDemo accounts (password for all: see below):")
            for role, email in accounts:
                self.stdout.write(f"  {role:<22} {email}")
            self.stdout.write(f"  password: {ctx.objects.get('demo_password', '')}")
