import ast
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from documents.views.upload import script_messages
from tests import samples

KO_PO = Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES" / "django.po"
KO_MO = KO_PO.with_suffix(".mo")
PLACEHOLDERS = re.compile(r"%\(\w+\)[sd]|\{\w+\}|</?[a-z]+[^>]*>")


def po_entries(path: Path) -> list[dict]:
    """Each entry of a .po file as {"flags": [...], "msgid": ..., "msgstr[0]": ...}; enough for these checks."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry: dict = {"flags": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, text = line.split(" ", 1)
                entry[key] = ast.literal_eval(text)
        entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    return [text for key, text in entry.items() if key.startswith("msgstr")]


def test_every_korean_entry_is_translated_and_none_is_fuzzy():
    entries = [entry for entry in po_entries(KO_PO) if entry["msgid"]]

    assert len(entries) > 200
    assert [entry["msgid"] for entry in entries if not all(translations(entry))] == []
    assert [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]] == []
    header = po_entries(KO_PO)[0]
    assert "fuzzy" not in header["flags"] and "Plural-Forms: nplurals=1; plural=0;" in header["msgstr"]


def test_korean_translations_keep_every_placeholder_and_tag():
    # Korean's one plural form stands for every count, so it keeps the plural's placeholders (msgfmt insists on
    # %(count)d there even where the English singular spells "one" out).
    changed = [
        entry["msgid"]
        for entry in po_entries(KO_PO)
        for text in translations(entry)
        if entry["msgid"]
        and set(PLACEHOLDERS.findall(entry.get("msgid_plural", entry["msgid"]))) != set(PLACEHOLDERS.findall(text))
    ]

    assert changed == []


def test_msgfmt_accepts_the_korean_catalogue():
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext is not installed; `make setup` installs it"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(KO_PO)], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr


def test_the_compiled_catalogue_is_up_to_date():
    assert KO_MO.exists() and KO_MO.stat().st_mtime >= KO_PO.stat().st_mtime, (
        "locale/ko is not compiled; `make setup` runs compilemessages"
    )


def test_the_scripts_hold_no_english_words_of_their_own():
    with translation.override("en"):
        words = [word for word in script_messages().values() if isinstance(word, str)]
    scripts = "".join(path.read_text() for path in (Path(settings.BASE_DIR) / "static" / "js").glob("*.js"))

    assert [word for word in words if word in scripts] == []


@pytest.mark.django_db
def test_a_korean_browser_gets_the_queue_in_korean(reviewer_client, make_document):
    make_document(name="claim.png")

    page = reviewer_client.get("/", HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9,en;q=0.5").content.decode()

    assert '<html lang="ko">' in page
    for korean in ("작업 목록", "다음 문서 검수", "문서 업로드", "검수 필요", "로그아웃"):
        assert korean in page
    for english in ("Review next", "Upload documents", "Needs review", "Log out"):
        assert english not in page


@pytest.mark.django_db
def test_a_korean_browser_gets_the_review_page_in_korean(reviewer_client, make_document):
    document = make_document(name="claim.png")

    page = reviewer_client.get(f"/documents/{document.pk}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert '<html lang="ko">' in page
    for korean in ("승인", "반려", "파일 정보", "필드"):
        assert korean in page
    for english in (">Approve", ">Reject<", "About this file", "Fields</h2>"):
        assert english not in page


@pytest.mark.django_db
def test_a_korean_browser_gets_the_upload_page_and_its_script_words_in_korean(reviewer_client):
    page = reviewer_client.get("/upload/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "파일 선택" in page and "Choose files" not in page
    data = re.search(r'<script id="upload-messages" type="application/json">(.*?)</script>', page, re.S)
    words = json.loads(data[1])
    assert words["uploading"] == "업로드 중…" and words["queued"] == "대기 중…"
    assert words["pagesOne"] == words["pagesOther"] == "%(count)d페이지"


@pytest.mark.django_db
def test_a_refused_upload_is_explained_in_korean_with_the_same_code(reviewer_client):
    response = reviewer_client.post(
        "/upload/",
        {"file": SimpleUploadedFile("empty.png", b"")},
        headers={"Accept": "application/json", "Accept-Language": "ko"},
    )

    [result] = response.json()["results"]
    assert result["code"] == "empty_file"
    assert result["message"] == "빈 파일입니다."


@pytest.mark.django_db
def test_choosing_korean_in_the_switcher_keeps_later_pages_korean(reviewer_client, make_document):
    document = make_document(name="claim.png")

    response = reviewer_client.post("/i18n/setlang/", {"language": "ko", "next": "/"})

    assert response.status_code == 302 and response["Location"] == "/"
    queue = reviewer_client.get("/").content.decode()
    review = reviewer_client.get(f"/documents/{document.pk}/").content.decode()
    assert '<html lang="ko">' in queue and "다음 문서 검수" in queue
    assert '<html lang="ko">' in review and "파일 정보" in review


@pytest.mark.django_db
def test_without_a_language_preference_pages_are_in_english(reviewer_client, make_document):
    document = make_document(content=samples.png(), name="claim.png")

    queue = reviewer_client.get("/").content.decode()
    review = reviewer_client.get(f"/documents/{document.pk}/").content.decode()

    assert '<html lang="en">' in queue and "Review next" in queue and "다음 문서 검수" not in queue
    assert '<html lang="en">' in review and "About this file" in review and "파일 정보" not in review


@pytest.mark.django_db
def test_a_user_without_a_role_is_refused_in_korean(outsider_client):
    response = outsider_client.get("/", HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 403
    page = response.content.decode()
    assert "접근 권한 없음" in page and "책임자에게 접근 권한을 요청하세요" in page
    assert "Ask a supervisor" not in page


def test_the_catalogue_holds_every_string_the_code_marks(tmp_path, settings, monkeypatch):
    # makemessages over a copy of the sources and the catalogue: a string marked since the catalogue was last
    # updated shows up in the copy and not here. (Run in the real tree it would rewrite the real catalogue.)
    source = tmp_path / "src"
    root = Path(settings.BASE_DIR)
    for folder in ("documents", "ocrengine", "ocrportal", "templates", "static"):
        shutil.copytree(root / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    copy = source / "locale" / "ko" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(KO_PO, copy)
    settings.LOCALE_PATHS = [source / "locale"]
    monkeypatch.chdir(source)

    from django.core.management import call_command

    call_command("makemessages", locale=["ko"], no_obsolete=True, verbosity=0)

    def msgids(path: Path) -> set[str]:
        return {entry["msgid"] for entry in po_entries(path) if entry.get("msgid")}

    assert msgids(copy) - msgids(KO_PO) == set(), "run `manage.py makemessages -l ko` and translate the new strings"
