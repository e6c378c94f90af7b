"""One service writes a template's review rules, for the admin, the builder and the fields page alike."""

import pytest

from documents.models import Template, TemplateField
from documents.services.template_rules import RulesError, rules_check, template_rules_save

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ({"pattern": r"(a)\1"}, "The pattern cannot be run safely"),
        ({"min_length": "5", "max_length": "2"}, "The minimum length is above the maximum."),
        ({"min_length": "-1"}, "Min length must be a whole number"),
        ({"max_length": "many"}, "Max length must be a whole number"),
        ({"required": "perhaps"}, "required must be true or false"),
        ({"label": "x" * 256}, "At most 255 characters."),
    ],
)
def test_a_bad_rule_is_refused_saying_which_field_and_why(given, problem):
    with pytest.raises(RulesError) as refused:
        rules_check("phone", given)
    assert refused.value.message.startswith("phone: ") and problem in refused.value.message


def test_only_the_keys_given_are_written_and_all_or_nothing():
    template = Template.objects.create(id=5, name="t")
    template_rules_save(template=template, rules={"phone": {"label": "전화", "min_length": "10", "required": "on"}})
    template_rules_save(template=template, rules={"phone": {"pattern": r"\d+"}})

    row = TemplateField.objects.get(template=template, name="phone")
    assert (row.label, row.min_length, row.required, row.pattern) == ("전화", 10, True, r"\d+")

    with pytest.raises(RulesError):
        template_rules_save(template=template, rules={"phone": {"label": "new"}, "id": {"max_length": "x"}})
    row.refresh_from_db()
    assert row.label == "전화" and not TemplateField.objects.filter(name="id").exists()


def test_the_builder_saves_lengths_and_refuses_inverted_ones(supervisor):
    from documents.services.template_builder import BuilderError, _rules_save

    template = Template.objects.create(id=6, name="t")
    definition = {"fields": [{"name": "id"}, {"name": "name"}]}
    _rules_save(template, definition, {"id": {"min_length": 6, "max_length": 6}})
    assert TemplateField.objects.get(name="id").max_length == 6
    assert TemplateField.objects.get(name="name").position == 0, "the order follows the boxes until one is set"

    with pytest.raises(BuilderError) as refused:
        _rules_save(template, definition, {"id": {"min_length": 9, "max_length": 1}})
    assert refused.value.message == "The review rules of id: The minimum length is above the maximum."


@pytest.mark.parametrize("rules", [["id"], {"id": "min 6"}, {"id": [1]}])
def test_rules_that_are_not_objects_per_field_are_refused(rules):
    from documents.services.template_builder import BuilderError, _rules_save

    template = Template.objects.create(id=7, name="t")
    with pytest.raises(BuilderError):
        _rules_save(template, {"fields": [{"name": "id"}]}, rules)
