"""Load the demo: organisation, accounts and content. Safe to run again."""

import time

from django.core.management.base import BaseCommand

from demo.certificates import seed_certificates
from demo.content import seed_content
from demo.courses import seed_courses
from demo.organisation import ACCOUNTS, COORDINATOR_SCOPES, DEMO_PASSWORD, seed_organisation
from demo.packages import seed_packages
from demo.quizzes import seed_quizzes
from demo.scale import seed_load_accounts, seed_scale, seed_synthetic_staff
from demo.sessions import seed_sessions
from demo.site import seed_site


class Command(BaseCommand):
    help = "Load demo data (idempotent). --staff N adds N synthetic staff for load testing."

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=0, help="synthetic staff to add")
        parser.add_argument(
            "--load-accounts",
            type=int,
            default=0,
            help="sign-in accounts for the load test: this many learners (with --staff)",
        )

    def handle(self, *args, staff: int, load_accounts: int, **options):
        if staff < 0 or load_accounts < 0:
            self.stderr.write("--staff and --load-accounts must be zero or more")
            raise SystemExit(2)
        started = time.monotonic()
        seed_site(stdout=self.stdout)
        seed_content(stdout=self.stdout)
        seed_organisation(stdout=self.stdout)
        seed_courses(stdout=self.stdout)
        seed_packages(stdout=self.stdout)
        seed_sessions(stdout=self.stdout)
        seed_quizzes(stdout=self.stdout)
        seed_certificates(stdout=self.stdout)
        if staff:
            # Load-test data: bulk inserts, so no signals run and the synthetic completions
            # get no certificates (as for completions imported from another system).
            created = seed_synthetic_staff(count=staff, stdout=self.stdout)
            self.stdout.write(f"Added {created} synthetic staff.")
            seed_scale(staff_count=staff, stdout=self.stdout)
        if load_accounts:
            # A manager for about every 20 learners, one department each; one coordinator.
            seed_load_accounts(
                learners=load_accounts, managers=max(1, load_accounts // 20), stdout=self.stdout
            )
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        )
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, *_rest, role in ACCOUNTS:
            scope = COORDINATOR_SCOPES.get(username)
            self.stdout.write(f"  {username:<18} {role}{f' ({scope})' if scope else ''}")
        self.stdout.write(f"  {'admin':<18} superuser")
