from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from documents.roles import REVIEWER, SUPERVISOR, roles_ensure

DEMO_ACCOUNTS = [
    ("reviewer", "reviewer-demo", REVIEWER),
    ("supervisor", "supervisor-demo", SUPERVISOR),
]


class Command(BaseCommand):
    help = "Create the demo reviewer and supervisor (development only)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo accounts are never created in production.")
        roles_ensure()
        users = get_user_model()
        for username, password, group_name in DEMO_ACCOUNTS:
            user, created = users.objects.get_or_create(username=username)
            if created:
                user.set_password(password)
                user.is_staff = group_name == SUPERVISOR
                user.save()
            user.groups.add(Group.objects.get(name=group_name))
            state = "created" if created else "exists"
            self.stdout.write(f"demo {group_name.lower()} ({state}): {username} / {password}")
