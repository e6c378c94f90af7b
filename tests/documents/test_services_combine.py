"""The combined text (combineResult) rebuilt from corrected values: with the template's pattern, or by
putting each corrected value where OCR's stood."""

import pytest

from documents.models import Template, TemplateVersion
from documents.services.combine import FieldText, combine_patterns, combined_text

NAME = FieldText("name", ocr="김민수", current="김민준")
ID = FieldText("id", ocr="102831", current="172831")


def test_the_templates_pattern_rebuilds_the_text_as_the_engine_does():
    fields = [NAME, ID, FieldText("amount", ocr="", current="5,000")]

    assert combined_text("김민수 / 102831 / 원", fields, ["{name} / {id} / {amount}원"]) == "김민준 / 172831 / 5,000원"


def test_a_pattern_that_does_not_give_ocrs_text_is_not_used():
    assert combined_text("김민수 / 102831", [NAME, ID], ["{id}-{name}"]) == "김민준 / 172831"


def test_without_a_pattern_each_corrected_value_takes_the_place_of_ocrs():
    fields = [FieldText("dong", ocr="1", current="2"), FieldText("ho", ocr="101", current="707")]

    # Longest first: the 1 inside 101 is not the dong's.
    assert combined_text("101호 1동", fields) == "707호 2동"


def test_a_field_ocr_read_as_empty_has_no_place_without_the_pattern():
    assert combined_text("김민수 / ", [NAME, FieldText("memo", ocr="", current="급함")]) == "김민준 / "


@pytest.mark.django_db
def test_patterns_come_from_the_portal_drawn_versions_deployed_first():
    template = Template.objects.create(id=77, name="drawn")
    for number, text, deployed in ((1, "{a}", False), (2, "{a} {b}", True), (3, "{a}", False)):
        TemplateVersion.objects.create(
            template=template, number=number, name="drawn", definition={"combine": {"name": "c", "text": text}},
            image="x.png", width=1, height=1, deployed=deployed,
        )  # fmt: skip

    assert combine_patterns([77, 78]) == {77: ["{a} {b}", "{a}"]}
