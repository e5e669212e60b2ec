"""Load the North Midlands demo data set, idempotently, and print how to sign in."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from placeworks.contributions import collect, resolve


def demo_password() -> str:
    """The demo sign-in password: made once, kept in var/ (not in git) so reruns print the same."""
    path = Path(settings.VAR_DIR) / "demo-password.txt"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = "demo-" + secrets.token_urlsafe(9)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password


class Command(BaseCommand):
    help = "Load the North Midlands demo data (idempotent) and create the demo administrator."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="Where the demo will be served, for the sign-in link printed at the end.",
        )

    def handle(self, *args, **options):
        password = demo_password()
        User = get_user_model()
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={"email": "admin@example.org", "is_staff": True, "is_superuser": True},
        )
        if created:
            admin.set_password(password)
            admin.save()
        for _order, dotted in sorted(collect("DEMO")):
            loader = resolve(dotted)
            self.stdout.write(f"Loading demo data: {loader.__module__}")
            loader(self.stdout, password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo ready. Sign in at {options['url'].rstrip('/')}/accounts/login/\n"
                f"  administrator: username 'admin', password '{password}'\n"
                "  other demo users (same password): "
                + ", ".join(u.username for u in User.objects.filter(is_superuser=False)[:10])
            )
        )
