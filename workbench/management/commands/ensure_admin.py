"""Create the first admin account, printing its generated password once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

RESET_HINT = "Forgot it? Run .venv/bin/python manage.py changepassword {username}"


class Command(BaseCommand):
    help = "Create a superuser 'admin' with a generated password if no superuser exists yet."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            name = existing.get_username()
            self.stdout.write(
                f"An admin account already exists (username: {name}); its password is not "
                f"shown again.\n{RESET_HINT.format(username=name)}"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            f"Created admin account\n  username: {username}\n  password: {password}\n"
            f"Write it down: it is shown only this once.\n{RESET_HINT.format(username=username)}"
        )
