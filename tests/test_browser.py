import re

import pytest
from playwright.sync_api import expect

from documents.models import Document
from tests import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user, password) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Documents")).to_be_visible()


def test_a_reviewer_logs_in_uploads_two_files_and_sees_them_listed(page, reviewer, password, tmp_path):
    (tmp_path / "claim-form.pdf").write_bytes(samples.pdf(2))
    (tmp_path / "receipt.png").write_bytes(samples.png())
    log_in(page, reviewer, password)

    page.get_by_role("link", name="Upload", exact=True).click()
    page.locator("#upload-form[data-ready]").wait_for()
    page.locator("#file-input").set_input_files([tmp_path / "claim-form.pdf", tmp_path / "receipt.png"])
    expect(page.locator("#chosen li")).to_have_count(2)
    page.get_by_role("button", name="Upload").click()

    results = page.locator("#results li.ok")
    expect(results).to_have_count(2)
    expect(results.nth(0)).to_contain_text("claim-form.pdf")
    expect(results.nth(0)).to_contain_text("2 pages")
    expect(results.nth(1)).to_contain_text("receipt.png")

    page.get_by_role("link", name="Follow this upload's processing on one page →").click()
    batch_rows = page.locator("table.documents tbody tr")
    expect(batch_rows).to_have_count(2)
    expect(batch_rows.nth(0)).to_contain_text("Needs review")

    page.get_by_role("link", name="Queue", exact=True).click()
    rows = page.locator("table.documents tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("link", name="claim-form.pdf")).to_be_visible()
    expect(page.get_by_role("link", name="receipt.png")).to_be_visible()
    assert Document.objects.count() == 2


def test_a_bad_file_is_reported_beside_a_good_one(page, reviewer, password, tmp_path):
    (tmp_path / "fine.png").write_bytes(samples.png())
    (tmp_path / "fake.png").write_bytes(samples.html_named_png())
    log_in(page, reviewer, password)

    page.goto("/upload/")
    page.locator("#upload-form[data-ready]").wait_for()
    page.locator("#file-input").set_input_files([tmp_path / "fine.png", tmp_path / "fake.png"])
    page.get_by_role("button", name="Upload").click()

    expect(page.locator("#results li.ok")).to_have_count(1)
    failed = page.locator("#results li.failed")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("fake.png")
    expect(failed).to_contain_text("not a JPEG, PNG, PDF or TIFF")
    assert list(Document.objects.values_list("display_name", flat=True)) == ["fine.png"]


def test_each_file_of_one_upload_may_have_its_own_ocr_mode_and_language(page, reviewer, password, tmp_path):
    (tmp_path / "korean-form.png").write_bytes(samples.png())
    (tmp_path / "japanese-letter.png").write_bytes(samples.png(text="letter"))
    (tmp_path / "extra.png").write_bytes(samples.png(text="extra"))
    log_in(page, reviewer, password)

    page.goto("/upload/")
    page.locator("#upload-form[data-ready]").wait_for()
    page.locator("#file-input").set_input_files(
        [tmp_path / "korean-form.png", tmp_path / "japanese-letter.png", tmp_path / "extra.png"]
    )
    page.get_by_label("OCR for japanese-letter.png").select_option("general")
    page.get_by_label("Language for japanese-letter.png").select_option("ja")
    page.get_by_role("button", name="Remove extra.png").click()
    page.get_by_label("Korean", exact=True).check()  # the form's choice, for every file not given its own
    page.get_by_role("button", name="Upload").click()

    expect(page.locator("#results li.ok")).to_have_count(2)
    chosen = dict(Document.objects.values_list("display_name", "mode"))
    langs = dict(Document.objects.values_list("display_name", "lang"))
    assert chosen == {"korean-form.png": "template", "japanese-letter.png": "general"}
    assert langs == {"korean-form.png": "ko", "japanese-letter.png": "ja"}
