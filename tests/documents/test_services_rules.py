"""Portal-side review rules, as the approval checks them (the browser's copy mirrors these)."""

import pytest

from documents.admin import TemplateFieldForm
from documents.models import Field, FieldType, Template, TemplateField
from documents.services.rules import field_failures, pattern_error

pytestmark = pytest.mark.django_db


def text(value: str) -> Field:
    return Field(field_type=FieldType.NORMAL, value=value)


@pytest.mark.parametrize(
    ("rule", "value", "failures"),
    [
        ({"required": True}, "  ", ["Required."]),
        ({"required": False, "numeric": True}, "", []),
        ({"numeric": True}, "12 34", []),
        ({"numeric": True}, "12a4", ["Digits only."]),
        ({"min_length": 3, "max_length": 4}, "ab", ["At least 3 characters."]),
        ({"min_length": 3, "max_length": 4}, "abcde", ["At most 4 characters."]),
        ({"allowed_values": "서울\n부산\n"}, "부산", []),
        ({"allowed_values": "서울\n부산"}, "대구", ["One of: 서울, 부산."]),
        ({"pattern": r"\d{3}-\d{4}"}, "010-1234", []),
        ({"pattern": r"\d{3}-\d{4}"}, "010-12345", ["Does not have the expected form."]),
        ({"pattern": r"\d+", "numeric": True, "message": "6 digits, please"}, "x", ["6 digits, please"]),
    ],
)
def test_text_rules(rule, value, failures):
    assert field_failures(text(value), TemplateField(**rule)) == failures


def test_a_required_checkbox_must_be_checked():
    rule = TemplateField(required=True)

    assert field_failures(Field(field_type=FieldType.CHECKBOX, checked=False), rule) == ["Must be checked."]
    assert field_failures(Field(field_type=FieldType.CHECKBOX, checked=True), rule) == []


def test_a_field_without_rules_never_fails():
    assert field_failures(text(""), None) == []


@pytest.mark.parametrize("pattern", ["(", r"(?P<year>\d+)", r"(?i)abc", r"\Aabc\Z", r"\C{3}", r"a\\\C"])
def test_patterns_browsers_would_read_differently_are_refused(pattern):
    assert pattern_error(pattern)


def test_the_admin_refuses_a_broken_pattern_and_inverted_lengths():
    template = Template.objects.create(id=7, name="t")
    form = TemplateFieldForm(
        data={"template": template.pk, "name": "a", "position": 0, "pattern": "([", "min_length": 5, "max_length": 2}
    )

    assert not form.is_valid()
    assert "pattern" in form.errors and "The minimum length is above the maximum." in form.errors["__all__"]


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?=a)a", r"(?!b)a", r"(?<=a)b", "a" * 501])
def test_patterns_that_could_take_exponential_time_are_refused_with_the_reason(pattern):
    reason = pattern_error(pattern)

    assert reason and ("cannot be run safely" in reason or "longer than" in reason)


def test_a_catastrophic_backtracking_pattern_runs_in_linear_time():
    rule = TemplateField(pattern="(a+)+$")
    field = Field(field_type=FieldType.NORMAL, value="a" * 50_000 + "!")

    assert field_failures(field, rule) == ["Does not have the expected form."]  # minutes for 35 chars on `re`


def test_digits_mean_ascii_digits_on_the_server_as_in_the_browser():
    rule = TemplateField(pattern=r"\d+")

    assert field_failures(Field(field_type=FieldType.NORMAL, value="١٢٣"), rule) == ["Does not have the expected form."]
    assert field_failures(Field(field_type=FieldType.NORMAL, value="123"), rule) == []


def test_an_escaped_backslash_before_c_is_an_ordinary_pattern():
    assert pattern_error(r"a\\C") is None  # a backslash, then the letter C


def test_a_stored_pattern_that_cannot_be_run_fails_the_value_instead_of_passing_it():
    """Saved before patterns ran on RE2 (or by hand): approving past it must ask for a reason."""
    [failure] = field_failures(text("0000"), TemplateField(pattern=r"(?!0000)\d{4}"))

    assert failure.startswith("The rule's pattern cannot be checked (") and "a supervisor must correct it" in failure


@pytest.mark.parametrize("pattern", [123, ["a"], None])
def test_a_pattern_that_is_not_text_is_refused_not_a_crash(pattern):
    assert pattern_error(pattern) == "The pattern must be text."


def test_a_refusal_names_backreferences_only_when_they_are_the_cause():
    assert "Backreferences" not in pattern_error("a{1001}") and "cannot be used" in pattern_error("a{1001}")


@pytest.mark.parametrize(
    ("name", "label", "shown"),
    [("fax-checkbox", "", "Fax checkbox"), ("amount_2", "", "Amount 2"), ("성명", "", "성명"), ("id", "번호", "번호"),
     ("--", "", "--")],
)  # fmt: skip
def test_a_field_reads_as_its_label_or_its_name_made_readable(name, label, shown):
    from documents.models import TemplateField
    from documents.services.rules import field_label

    assert field_label(name, TemplateField(name=name, label=label) if label else None) == shown
