"""A supervisor adds a reviewer on the People page and turns them off, in Chromium."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from documents.roles import is_reviewer
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_adds_a_reviewer_and_turns_them_off_on_the_people_page(page, supervisor, reviewer, password):
    log_in(page, supervisor, password)

    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_label("Username").fill("nina-new")
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Initial password").fill("short")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".field-error")).to_contain_text("too short")

    page.get_by_label("Username").fill("nina-new")
    page.get_by_label("Initial password").fill("a-long-new-password-77")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("nina-new can now sign in as Reviewer.")
    row = page.locator('tr[data-username="nina-new"]')
    expect(row).to_contain_text("Nina")

    page.locator(f'tr[data-username="{reviewer.username}"]').get_by_role("button", name="Turn off").click()
    expect(page.locator(f'tr[data-username="{reviewer.username}"]')).to_have_class("inactive")
    expect(page.locator(f'tr[data-username="{reviewer.username}"]')).to_contain_text("Turned off")
    assert is_reviewer(get_user_model().objects.get(username="nina-new"))
    assert not get_user_model().objects.get(pk=reviewer.pk).is_active
