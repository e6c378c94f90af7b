"""The template builder's pages and calls: supervisors only, clear refusals, rules for CLOVA's templates."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Template, TemplateField, TemplateVersion
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond
from tests.ocrengine.conftest import DEMO

pytestmark = pytest.mark.django_db

URLS = [
    ("get", "/templates/"),
    ("get", "/templates/builder/"),
    ("post", "/templates/builder/save"),
    ("post", "/templates/builder/try"),
    ("post", "/templates/import"),
    ("get", "/templates/390/fields/"),
    ("get", "/templates/390/export"),
    ("post", "/templates/390/undeploy"),
    ("post", "/templates/390/versions/1/deploy"),
    ("get", "/templates/390/versions/1/image"),
]


def state(fields, **extra):
    return {"id": 980, "name": "시험", "lang": "ko", "definition": {"fields": fields, **extra}, "rules": {}}


def post_state(client, body, image: bytes | None = None):
    files = {"image": SimpleUploadedFile("reference.png", image if image is not None else samples.png(800, 600))}
    return client.post("/templates/builder/save", {"payload": json.dumps(body), **files})


@pytest.mark.parametrize(("method", "url"), URLS)
def test_the_builder_is_for_supervisors(reviewer_client, anonymous_client, method, url):
    assert getattr(reviewer_client, method)(url).status_code == 403
    assert getattr(anonymous_client, method)(url)["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ([], "Draw at least one field."),
        ([{"name": "a", "box": [1, 1, 50, 20]}, {"name": "a", "box": [1, 40, 50, 20]}], "the name is used twice"),
        ([{"name": "a", "box": [700, 500, 300, 300]}], "the box must lie on the page"),
        ([{"name": "", "box": [1, 1, 50, 20]}], "give it a name"),
        ([{"name": "m", "type": "MULTI_BOX", "cells": 0, "box": [1, 1, 50, 20]}], "needs 1 to 40 cells"),
    ],
)
def test_a_template_that_cannot_work_is_refused_with_what_is_wrong(supervisor_client, fields, message):
    response = post_state(supervisor_client, state(fields))

    assert response.status_code == 400 and message in response.json()["message"]
    assert not TemplateVersion.objects.exists()


def test_saving_keeps_every_version_and_the_review_rules(supervisor_client):
    fields = [{"name": "total", "type": "NORMAL", "valueType": "NUMERIC", "box": [10, 10, 200, 40]}]
    body = state(fields, combine={"name": "sum", "text": "{total}"})
    body["rules"] = {"total": {"label": "합계", "numeric": True, "min_length": "2"}}

    first = post_state(supervisor_client, body)
    second = post_state(supervisor_client, body)

    assert (first.status_code, second.status_code) == (201, 201)
    assert list(TemplateVersion.objects.values_list("number", flat=True)) == [2, 1]
    rule = TemplateField.objects.get(template_id=980, name="total")
    assert (rule.label, rule.numeric, rule.min_length) == ("합계", True, 2)
    assert TemplateVersion.objects.first().definition["combine"] == {"name": "sum", "text": "{total}"}
    assert supervisor_client.get("/templates/980/builder/").status_code == 200


def test_deploying_without_the_built_in_engine_says_so(supervisor_client):
    # In tests the OCR domain is the CLOVA replay, which has no template calls, as CLOVA has none.
    post_state(supervisor_client, state([{"name": "a", "box": [1, 1, 50, 20]}]))

    response = supervisor_client.post("/templates/980/versions/1/deploy", follow=True)

    assert "not the built-in engine" in response.content.decode() or "refused" in response.content.decode()
    assert not TemplateVersion.objects.get().deployed


def test_clova_templates_get_order_labels_and_rules_from_the_names_seen(supervisor_client, make_document, replay):
    replay.answer = lambda received: respond(received, [make.template_page()])
    make_document(content=samples.png(1000, 1000), name="claim.png")

    page = supervisor_client.get("/templates/390/fields/").content.decode()
    assert not TemplateField.objects.exists(), "looking at the page writes nothing"
    saved = supervisor_client.post(
        "/templates/390/fields/",
        {"r0-name": "name", "r0-label": "성명", "r0-required": "on", "r0-position": "0",
         "r1-name": "id", "r1-pattern": "[0-9]{6}", "r1-position": "1", "r1-min_length": "6", "r1-max_length": "6"},
    )  # fmt: skip
    broken = supervisor_client.post(
        "/templates/390/fields/",
        {"r0-name": "id", "r0-pattern": r"(\d)\1", "r1-name": "name", "r1-label": "changed"},
        follow=True,
    )
    inverted = supervisor_client.post(
        "/templates/390/fields/", {"r0-name": "id", "r0-min_length": "9", "r0-max_length": "2"}, follow=True
    )

    assert all(name in page for name in ("id", "name", "address", "fax-checkbox", "mail-checkbox"))
    assert saved.status_code == 302
    rows = {row.name: row for row in TemplateField.objects.filter(template_id=390)}
    assert (rows["name"].label, rows["name"].required) == ("성명", True)
    assert (rows["id"].pattern, rows["id"].min_length, rows["id"].max_length) == ("[0-9]{6}", 6, 6)
    assert "id: The pattern cannot be run safely" in broken.content.decode()
    assert "id: The minimum length is above the maximum." in inverted.content.decode()
    rows["name"].refresh_from_db()
    assert rows["name"].label == "성명", "a refused form changes nothing, not even its other rows"
    assert TemplateField.objects.get(pk=rows["id"].pk).max_length == 6
    assert Template.objects.get(pk=390).versions.count() == 0


def test_importing_a_template_file_and_image_makes_a_version(supervisor_client):
    data = json.loads((DEMO / "claim-form.json").read_text())
    files = [
        SimpleUploadedFile("claim-form.json", json.dumps(data).encode()),
        SimpleUploadedFile("claim-form.png", (DEMO / "claim-form.png").read_bytes()),
    ]

    response = supervisor_client.post("/templates/import", {"files": files})
    missing = supervisor_client.post(
        "/templates/import", {"files": [SimpleUploadedFile("x.json", json.dumps(data).encode())]}, follow=True
    )

    assert response["Location"] == "/templates/390/builder/"
    assert TemplateVersion.objects.get(template_id=390).definition["fields"] == data["fields"]
    assert "image is missing" in missing.content.decode()


BOX = [1, 1, 50, 20]
SHAPES = [
    pytest.param({"definition": [1]}, "must be an object", id="definition-list"),
    pytest.param({"definition": {"fields": ["a"]}}, "list of objects", id="field-not-object"),
    pytest.param({"definition": {"fields": [{"name": ["a"], "box": BOX}]}}, "give it a name", id="name-list"),
    pytest.param({"definition": {"fields": [{"name": "n" * 256, "box": BOX}]}}, "longer than", id="name-long"),
    pytest.param(
        {"definition": {"fields": [{"name": "a", "box": BOX}], "title": "x"}}, "must be an object", id="title-text"
    ),
    pytest.param(
        {"definition": {"fields": [{"name": "a", "box": BOX}], "validation": [1]}},
        "must be an object",
        id="validation-list",
    ),
    pytest.param(
        {"definition": {"fields": [{"name": "a", "box": BOX}], "validation": {"rules": "ab"}}},
        "list of objects",
        id="rules-text",
    ),
    pytest.param(
        {"definition": {"fields": [{"name": "a", "box": BOX}], "validation": {"rules": [{"field": ["a"]}]}}},
        "must be text",
        id="rule-field-list",
    ),
    pytest.param(
        {"definition": {"fields": [{"name": "a", "box": BOX}], "combine": "x"}}, "must be an object", id="combine-text"
    ),
    pytest.param(
        {"definition": {"fields": [{"name": "m", "type": "MULTI_BOX", "cells": True, "box": BOX}]}},
        "1 to 40 cells",
        id="cells-true",
    ),
    pytest.param(
        {"definition": {"fields": [{"name": "a", "box": [float("inf"), 1, 50, 20]}]}}, "draw its box", id="box-infinite"
    ),
    pytest.param(
        {"definition": {"fields": [{"name": "a", "box": [float("nan"), 1, 50, 20]}]}}, "draw its box", id="box-nan"
    ),
    pytest.param({"definition": {"fields": [{"name": "a\x00b", "box": BOX}]}}, "give it a name", id="name-nul"),
    pytest.param(
        {"definition": {"fields": [{"name": "c", "type": "CHECKBOX", "checkedText": {"x": 1}, "box": BOX}]}},
        "must be text",
        id="checked-text-object",
    ),
    pytest.param(
        {"definition": {"fields": [{"name": "a", "box": BOX}], "combine": {"text": ["x"]}}},
        "must be text",
        id="combine-text-list",
    ),
    pytest.param(
        {
            "definition": {
                "fields": [{"name": "a", "box": BOX}],
                "validation": {"rules": [{"field": "a", "message": ["x"]}]},
            }
        },
        "must be text",
        id="rule-message-list",
    ),
    pytest.param({"id": True}, "template id", id="id-true"),
    pytest.param({"id": 3.9}, "template id", id="id-float"),
    pytest.param({"name": ["x"]}, "must be text", id="template-name-list"),
    pytest.param({"name": "t" * 256}, "longer than", id="template-name-long"),
    pytest.param({"rules": {"a": {"label": {"x": 1}}}}, "Must be text", id="label-object"),
]


@pytest.mark.parametrize(("change", "message"), SHAPES)
def test_a_builder_state_of_the_wrong_shape_is_refused_and_stores_nothing(supervisor_client, file_storage, change,
                                                                          message):  # fmt: skip
    body = {**state([{"name": "a", "box": [1, 1, 50, 20]}]), **change}

    response = post_state(supervisor_client, body)

    assert response.status_code == 400 and message in response.json()["message"], response.content
    assert not TemplateVersion.objects.exists() and not TemplateField.objects.exists()
    assert list(file_storage.rglob("*.png")) == []


def test_a_refused_rule_leaves_no_reference_image_behind(supervisor_client, file_storage):
    body = state([{"name": "a", "box": [1, 1, 50, 20]}])
    body["rules"] = {"a": {"min_length": "9", "max_length": "2"}}

    for _ in range(3):
        assert post_state(supervisor_client, body).status_code == 400

    assert not TemplateVersion.objects.exists()
    assert [path for path in file_storage.rglob("*.png")] == []


@pytest.mark.parametrize(
    "url",
    ["/templates/builder/?document=abc", "/templates/builder/?document=1&page=²", "/templates/980/export?version=abc",
     "/exports/?ready=abc", "/exports/?ready=1&bom=perhaps"],
)  # fmt: skip
def test_odd_query_values_on_the_builder_and_export_pages_are_no_server_error(supervisor_client, url):
    post_state(supervisor_client, state([{"name": "a", "box": [1, 1, 50, 20]}]))
    assert supervisor_client.get(url).status_code in (200, 404)


@pytest.mark.parametrize("page", ["abc", [1], -1])
def test_trying_a_draft_on_a_page_that_is_no_page_is_a_clear_refusal(supervisor_client, page):
    body = {**state([{"name": "a", "box": [1, 1, 50, 20]}]), "document": "abc", "page": page}
    response = supervisor_client.post(
        "/templates/builder/try",
        {"payload": json.dumps(body), "image": SimpleUploadedFile("reference.png", samples.png(800, 600))},
    )
    assert response.status_code == 400 and "Choose an uploaded document" in response.json()["message"]


def test_the_fields_page_leaves_alone_what_a_row_does_not_send(supervisor_client, make_document, replay):
    """A row posted with its name alone (a script, an older page) keeps the rules it does not mention."""
    replay.answer = lambda received: respond(received, [make.template_page()])
    make_document(content=samples.png(1000, 1000), name="claim.png")
    TemplateField.objects.create(template_id=390, name="id", label="번호", pattern="[0-9]{6}", min_length=6)

    supervisor_client.post("/templates/390/fields/", {"r0-name": "id", "r0-position": "2"})
    refused = supervisor_client.post("/templates/390/fields/", {"r0-name": "", "r0-position": "1"}, follow=True)

    row = TemplateField.objects.get(template_id=390, name="id")
    assert (row.label, row.pattern, row.min_length, row.position) == ("번호", "[0-9]{6}", 6, 2)
    assert "needs a name" in refused.content.decode()
    assert not TemplateField.objects.filter(name="").exists()


def test_a_broken_template_file_import_is_a_message_not_a_server_error(supervisor_client):
    files = [SimpleUploadedFile("t.json", b"[" * 5000 + b"]" * 5000), SimpleUploadedFile("t.png", samples.png())]
    nested = supervisor_client.post("/templates/import", {"files": files}, follow=True)
    broken = supervisor_client.post(
        "/templates/import", {"files": [SimpleUploadedFile("t.json", b"{not json")]}, follow=True
    )
    assert nested.status_code == broken.status_code == 200
    assert "cannot be read" in nested.content.decode() or "Choose the template" in nested.content.decode()
    assert "cannot be read" in broken.content.decode()


def test_a_field_drawn_with_an_old_field_s_name_starts_with_no_rules(supervisor_client):
    """The builder edits every rule of the fields it draws: a new field named like a deleted one does not
    inherit the deleted one's label."""
    first = state([{"name": "z", "box": [1, 1, 50, 20]}])
    first["rules"] = {"z": {"label": "LB", "required": True}}
    post_state(supervisor_client, first)
    renamed = state([{"name": "y", "box": [1, 1, 50, 20]}])
    renamed["rules"] = {"y": {"label": "LB", "required": True}}
    post_state(supervisor_client, renamed)

    post_state(supervisor_client, state([{"name": "y", "box": [1, 1, 50, 20]}, {"name": "z", "box": [1, 40, 50, 20]}]))

    z = TemplateField.objects.get(template_id=980, name="z")
    assert (z.label, z.required) == ("", False)


def test_progress_ignores_ids_that_are_no_numbers(reviewer_client):
    response = reviewer_client.get("/documents/progress?ids=²,３,99999999999999999999,abc,1")
    assert response.status_code == 200 and response.json() == {"documents": []}
