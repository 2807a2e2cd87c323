"""Print the current two-factor codes of the demo accounts (refuses production settings)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ppir.security_demo import DEMO_TOTP_SECRET, PERIOD, demo_code, demo_totp_users


class Command(BaseCommand):
    help = "Print the current TOTP code for the demo accounts (demo only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--watch", action="store_true", help="Keep printing a new code every 30 seconds."
        )

    def handle(self, *args, watch=False, **options):
        if getattr(settings, "PPIR_ENVIRONMENT", "") == "production":
            raise CommandError("demo_totp refuses to run under production settings.")
        users = list(demo_totp_users())
        if not users:
            self.stdout.write("No account uses the demo TOTP key. Run `manage.py seed_demo`.")
            return
        self.stdout.write(f"Demo TOTP key (for an authenticator app): {DEMO_TOTP_SECRET}")
        self.stdout.write("Accounts that use it:")
        for user in users:
            self.stdout.write(f"  {user.email}")
        while True:
            now = time.time()
            left = PERIOD - int(now) % PERIOD
            self.stdout.write(
                f"Code now: {demo_code(now)}  (valid {left} s more; next: {demo_code(now, 1)})"
            )
            if not watch:
                return
            time.sleep(left)
