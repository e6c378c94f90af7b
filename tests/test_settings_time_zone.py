"""TIME_ZONE: Asia/Seoul unless the environment says otherwise; a name that is no zone stops the start."""

import pytest

from tests.test_settings import manage

SHOW_ZONE = ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.TIME_ZONE)"]


def test_the_default_time_zone_is_seoul(tmp_path):
    result = manage(*SHOW_ZONE, environ={}, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Asia/Seoul"


def test_the_environment_chooses_another_zone(tmp_path):
    result = manage(*SHOW_ZONE, environ={"TIME_ZONE": "Europe/Berlin"}, tmp_path=tmp_path)

    assert result.stdout.strip() == "Europe/Berlin"


@pytest.mark.parametrize("name", ["Asia/Seol", "", "../etc/passwd"])
def test_a_name_that_is_no_time_zone_stops_the_start(name, tmp_path):
    result = manage("check", environ={"TIME_ZONE": name}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert f"TIME_ZONE={name!r} is not an IANA time zone" in result.stderr
