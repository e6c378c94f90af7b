"""Settings are read from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ocrportal import env

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "OCRPORTAL_ENV": "production",
    "SECRET_KEY": "x9$Kq!7vR2mZ@pL4wE8nT#yB6cU1hJ5gF3dS0aQ-iO_rV&lX^zN*eW%sY+tG",
    "ALLOWED_HOSTS": "ocr.example.com",
    "OCR_ENGINE_SECRET": "engine-secret-for-tests",
    "DJANGO_SETTINGS_MODULE": "ocrportal.settings",
}


def manage(*args: str, environ: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    inherited = ("OCRPORTAL_", "SECRET_KEY", "DJANGO_", "DATABASE_URL", "STORAGE_BACKEND", "S3_", "OCR_")
    clean = {key: value for key, value in os.environ.items() if not key.startswith(inherited)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DATA_DIR": str(tmp_path), **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_the_deployment_check(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", environ=PRODUCTION, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing, tmp_path):
    environ = {key: value for key, value in PRODUCTION.items() if key != missing}

    result = manage("check", environ=environ, tmp_path=tmp_path)

    assert result.returncode != 0
    assert f"{missing}" in result.stderr and "must be set in production" in result.stderr


def test_production_refuses_to_start_without_ocr_secrets(tmp_path):
    environ = {key: value for key, value in PRODUCTION.items() if key != "OCR_ENGINE_SECRET"}

    result = manage("check", environ=environ, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "OCR_TEMPLATE_SECRET" in result.stderr


def test_production_refuses_debug(tmp_path):
    result = manage("check", environ={**PRODUCTION, "DEBUG": "1"}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(PRODUCTION["SECRET_KEY"] + "\n")
    environ = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}

    result = manage("check", "--deploy", environ={**environ, "SECRET_KEY_FILE": str(secret)}, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr


def test_development_keeps_its_generated_secret_key_in_the_data_dir(tmp_path):
    first = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        environ={},
        tmp_path=tmp_path,
    )
    second = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        environ={},
        tmp_path=tmp_path,
    )

    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_switches_to_postgresql(tmp_path):
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'])"
    )

    result = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        environ={"DATABASE_URL": "postgres://u:p@db.internal:5432/ocr"},
        tmp_path=tmp_path,
    )

    assert result.stdout.split() == ["django.db.backends.postgresql", "ocr", "db.internal"]


def test_defaults_keep_all_state_under_the_data_dir(tmp_path):
    code = (
        "from django.conf import settings; print(settings.DATABASES['default']['NAME']); "
        "print(settings.STORAGES['default']['OPTIONS']['location'])"
    )

    result = manage("shell", "--no-imports", "-c", code, environ={}, tmp_path=tmp_path)

    database, files = result.stdout.split()
    assert Path(database).parent == tmp_path and Path(files).parent == tmp_path


def test_s3_storage_is_chosen_by_setting(tmp_path):
    code = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    environ = {"STORAGE_BACKEND": "s3", "S3_BUCKET": "docs", "S3_ENDPOINT_URL": "http://127.0.0.1:9"}

    result = manage("shell", "--no-imports", "-c", code, environ=environ, tmp_path=tmp_path)

    assert result.stdout.strip() == "storages.backends.s3.S3Storage"


@pytest.mark.parametrize(
    ("reader", "raw", "message"),
    [
        (lambda: env.env_bool("FLAG", False), "maybe", "not a boolean"),
        (lambda: env.env_int("COUNT", 1), "ten", "not an integer"),
        (lambda: env.env_int("COUNT", 1, minimum=1), "0", "below the minimum"),
        (lambda: env.env_choice("MODE", "a", ("a", "b")), "c", "not one of"),
    ],
)
def test_readers_fail_loudly_on_bad_values(monkeypatch, reader, raw, message):
    monkeypatch.setenv("FLAG", raw)
    monkeypatch.setenv("COUNT", raw)
    monkeypatch.setenv("MODE", raw)

    with pytest.raises(ImproperlyConfigured, match=message):
        reader()


def test_readers_parse_good_values(monkeypatch, tmp_path):
    monkeypatch.setenv("FLAG", "yes")
    monkeypatch.setenv("COUNT", "20_000")
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    (tmp_path / "token").write_text("s3cret\n")
    monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "token"))
    monkeypatch.delenv("TOKEN", raising=False)

    assert env.env_bool("FLAG", False) is True
    assert env.env_int("COUNT", 1) == 20_000
    assert env.env_list("HOSTS") == ["a.example", "b.example"]
    assert env.env_str("TOKEN") == "s3cret"


def test_a_missing_secret_file_is_an_error(monkeypatch):
    monkeypatch.delenv("TOKEN", raising=False)
    monkeypatch.setenv("TOKEN_FILE", "/nonexistent/token")

    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env.env_str("TOKEN")


def test_a_lease_shorter_than_the_slowest_ocr_attempt_is_refused_at_start(tmp_path):
    result = manage("check", environ={"JOB_LEASE_SECONDS": "100", "OCR_READ_TIMEOUT": "120"}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "JOB_LEASE_SECONDS is 100 s, but one OCR attempt and its back-off may take 225 s" in result.stderr


@pytest.mark.parametrize("value", ["nan", "-1", "inf"])
def test_a_timeout_that_is_not_a_finite_positive_number_is_refused(value, tmp_path):
    result = manage("check", environ={"OCR_READ_TIMEOUT": value}, tmp_path=tmp_path)

    assert result.returncode != 0 and "must be a finite number, 0 or more" in result.stderr
