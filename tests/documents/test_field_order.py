"""One field order for a template everywhere (fields page, review panel, exports): the supervisor's where set,
else the page order of the boxes, read in rows that tolerate a crooked scan."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from documents.models import Template, TemplateField
from documents.services.field_order import reading_order
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond

pytestmark = pytest.mark.django_db

BOX_ORDER = ["name", "id", "address", "fax-checkbox", "mail-checkbox"]  # template_page's boxes, as read


def test_boxes_are_read_in_rows_top_to_bottom_and_left_to_right_despite_jitter():
    boxes = {
        # one row, scanned crooked: the right-hand box sits 12 px higher than its neighbours (boxes 40 px high)
        "surname": (300, 110, 500, 150),
        "given": (100, 122, 280, 162),
        "born": (520, 118, 700, 158),
        # the next row, 80 px lower: never mixed into the first
        "phone": (400, 200, 600, 240),
        "email": (100, 205, 380, 245),
        # a small checkbox beside a tall text area, centres 10 px apart
        "remarks": (100, 300, 600, 400),
        "urgent": (620, 330, 640, 350),
    }

    assert reading_order(boxes) == ["given", "surname", "born", "email", "phone", "remarks", "urgent"]


def test_rows_are_not_chained_by_a_slow_drift():
    """Boxes 40 px high, each 15 px lower than the last and placed right to left: a row is judged by its first
    box, so b0 and b4 (60 px apart) never share one, however small each step."""
    boxes = {f"b{index}": ((4 - index) * 100, 100 + index * 15, (4 - index) * 100 + 80, 140 + index * 15)
             for index in range(5)}  # fmt: skip

    assert reading_order(boxes) == ["b1", "b0", "b3", "b2", "b4"]


@pytest.fixture
def claim_form(make_document, replay):
    replay.answer = lambda received: respond(received, [make.template_page()])
    return make_document(content=samples.png(1000, 1000), name="claim.png")


def shown_rows(client) -> list[tuple[str, int]]:
    rows = client.get("/templates/390/fields/").context["rows"]
    return [(row.name, row.shown_position) for row in rows]


def panel(client, document) -> list[str]:
    [view] = client.get(f"/documents/{document.pk}/").context["page_views"]
    return [row.field.name for row in view.rows]


def csv_columns(user) -> list[str]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/exports/csv/?status=all")
    header = next(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return header[8:-1]  # the fields, between the fixed columns and the combined text


def test_without_a_set_order_the_fields_page_the_review_panel_and_exports_follow_the_boxes(
    claim_form, supervisor_client, supervisor
):
    """OCR answers `id` first; on the form `name` sits left of it on the same line."""
    assert shown_rows(supervisor_client) == [(name, place) for place, name in enumerate(BOX_ORDER, 1)]
    assert panel(supervisor_client, claim_form) == BOX_ORDER
    assert csv_columns(supervisor) == BOX_ORDER
    page = supervisor_client.get("/templates/390/fields/").content.decode()
    assert 'name="r0-position" value="1"' in page and 'value="1000"' not in page
    assert 'placeholder="Fax checkbox"' in page, "an empty label box shows the label reviewers see meanwhile"


def test_saving_the_fields_page_without_moving_anything_keeps_following_the_boxes(claim_form, supervisor_client):
    form = {}
    for index, (name, place) in enumerate(shown_rows(supervisor_client)):
        form |= {f"r{index}-name": name, f"r{index}-shown_position": place, f"r{index}-position": place}
    form["r0-label"] = "성명"

    supervisor_client.post("/templates/390/fields/", form)

    assert TemplateField.objects.get(template_id=390, name="name").label == "성명"
    assert set(TemplateField.objects.filter(template_id=390).values_list("position", flat=True)) == {0}


def test_a_supervisors_order_is_kept_on_the_fields_page_in_the_review_panel_and_in_exports(
    claim_form, supervisor_client, supervisor
):
    wanted = ["mail-checkbox", "address", "id", "name", "fax-checkbox"]
    form = {}
    for index, (name, place) in enumerate(shown_rows(supervisor_client)):
        moved = wanted.index(name) + 1
        form |= {f"r{index}-name": name, f"r{index}-shown_position": place, f"r{index}-position": moved}

    supervisor_client.post("/templates/390/fields/", form)

    assert [name for name, _place in shown_rows(supervisor_client)] == wanted
    assert panel(supervisor_client, claim_form) == wanted
    assert csv_columns(supervisor) == wanted


def draw(client, fields):
    body = {"id": 980, "name": "시험", "lang": "ko", "definition": {"fields": fields}, "rules": {}}
    image = SimpleUploadedFile("reference.png", samples.png(800, 600))
    response = client.post("/templates/builder/save", {"payload": json.dumps(body), "image": image})
    assert response.status_code == 201, response.content


def test_the_builder_orders_drawn_fields_by_their_boxes_and_a_new_one_goes_after_a_set_order(supervisor_client):
    # drawn bottom first, and the right-hand box of the top row before the left-hand one
    drawn = [
        {"name": "signature", "box": [40, 400, 300, 60]},
        {"name": "date", "box": [400, 52, 150, 40]},
        {"name": "name", "box": [40, 45, 300, 40]},
    ]
    draw(supervisor_client, drawn)

    assert [name for name, _place in shown_rows_of(supervisor_client, 980)] == ["name", "date", "signature"]

    TemplateField.objects.filter(template_id=980, name="signature").update(position=1)
    TemplateField.objects.filter(template_id=980, name="name").update(position=2)
    TemplateField.objects.filter(template_id=980, name="date").update(position=3)
    draw(supervisor_client, [*drawn, {"name": "stamp", "box": [10, 10, 40, 20]}])

    assert [name for name, _place in shown_rows_of(supervisor_client, 980)] == ["signature", "name", "date", "stamp"]
    assert Template.objects.filter(pk=980).exists()


def shown_rows_of(client, template_id: int) -> list[tuple[str, int]]:
    return [(row.name, row.shown_position) for row in client.get(f"/templates/{template_id}/fields/").context["rows"]]


def test_a_turned_page_lists_its_fields_in_the_templates_order_not_its_own(
    claim_form, supervisor_client, make_document
):
    from documents.models import Field, Page

    turned = make_document(content=samples.png(1000, 1000, text="turned"), name="turned.png")
    page = Page.objects.get(document=turned)
    # The page turned 90° clockwise: each box's (x, y) lands at (height - y, x), so its own geometry reads in
    # another order than the template's.
    for field in Field.objects.filter(page=page):
        field.poly = [[1000 - y, x] for x, y in field.poly]
        field.save(update_fields=["poly"])
    Page.objects.filter(pk=page.pk).update(rotation=90)

    assert panel(supervisor_client, turned) == BOX_ORDER
