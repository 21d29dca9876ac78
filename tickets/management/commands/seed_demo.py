"""``manage.py seed_demo``: load demo data once (idempotent), then each app's ``demo.seed``."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from helpdesk.discovery import app_modules
from tickets.demo import DEMO_PASSWORD, STAFF


class Command(BaseCommand):
    help = "Load demo organizations, staff, tickets and each app's demo data (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--tickets", type=int, default=300, help="How many core demo tickets (first run only)."
        )

    def handle(self, *args, **options):
        if getattr(
            settings, "HELPDESK_PRODUCTION", False
        ):  # demo logins (admin / demo) on a live site: never
            raise CommandError(
                "Demo data is never loaded under production settings (helpdesk.settings_prod)."
            )
        for app, module in app_modules("demo"):
            if app == "tickets":
                module.seed(self.stdout, tickets=options["tickets"])
            else:
                module.seed(self.stdout)
        logins = ", ".join(f"{u} ({role})" for u, _, _, role, _ in STAFF[:4])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo logins (password '{DEMO_PASSWORD}'): {logins}, agent2..agent4, eng1, eng2; "
                f"customer portal: customer"
            )
        )
