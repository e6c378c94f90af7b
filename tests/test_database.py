import os

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_suite_runs_on_the_database_it_was_given():
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")) else "sqlite"

    assert connection.vendor == expected
