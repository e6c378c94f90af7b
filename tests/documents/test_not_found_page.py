"""In development (DEBUG on, `make run`) a missing page is the portal's own page, not Django's list of URLs."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def development(settings):
    settings.DEBUG = True
    position = settings.MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:position], "documents.errors.NotFoundPageMiddleware",
                           *settings.MIDDLEWARE[position:]]  # fmt: skip


@pytest.mark.parametrize("path", ["/no-such-page/", "/documents/999999/"])
def test_a_missing_page_in_development_is_the_portals_not_found_page(development, reviewer_client, path):
    response = reviewer_client.get(path)

    assert response.status_code == 404
    text = response.content.decode()
    assert "There is nothing here" in text
    assert "URLconf" not in text and "documents:detail" not in text


def test_without_the_page_django_would_list_the_urls(settings, reviewer_client):
    settings.DEBUG = True  # the trap the middleware closes: this is what `make run` showed

    text = reviewer_client.get("/no-such-page/").content.decode()

    assert "URLconf" in text


def test_a_missing_trailing_slash_still_redirects_in_development(development, reviewer_client):
    assert reviewer_client.get("/upload")["Location"] == "/upload/"
