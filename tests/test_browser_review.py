"""The review workspace in real Chromium, on documents read by the built-in engine over HTTP."""

import io
import json

import pytest
from playwright.sync_api import expect

from documents.models import Document, DocumentStatus, Field, FieldEdit, Template, TemplateField
from documents.services import document_upload
from documents.services.review import field_correct
from documents.services.rules import field_label
from documents.views.workspace import confidence_level
from ocrengine.demo.samples import generate
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond, with_page_info
from tests.ocrengine.conftest import DEMO
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEMPLATE = json.loads((DEMO / "claim-form.json").read_text())


@pytest.fixture
def claim(engine_domain, reviewer) -> Document:
    """A filled claim form, straight (no rotation or shift), read by the engine."""
    sample = generate(1, seed=5, strong=False)[0]
    document = document_upload(file=io.BytesIO(sample.content), name=sample.name, uploaded_by=reviewer).document
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW, document.error
    return document


def open_review(page, document) -> None:
    page.goto(f"/documents/{document.pk}/")
    page.locator(".review.ready").wait_for()


def box_in_page_pixels(page, field_id: int) -> list[float]:
    """Where the overlay draws a field, measured on screen and turned into the page image's pixels."""
    return page.evaluate(
        """(id) => {
            const image = document.querySelector('.stage img');
            const shape = document.querySelector(`g[data-field-id="${id}"] .outline`).getBoundingClientRect();
            const frame = image.getBoundingClientRect();
            const scale = image.naturalWidth / frame.width;
            return [(shape.left - frame.left) * scale, (shape.top - frame.top) * scale,
                    shape.width * scale, shape.height * scale];
        }""",
        field_id,
    )


def field_id(document, name: str) -> int:
    return Field.objects.get(page__document=document, name=name).pk


def test_every_box_sits_on_its_template_field_at_every_zoom(page, reviewer, password, claim):
    log_in(page, reviewer, password)
    open_review(page, claim)
    page.wait_for_function("document.querySelector('.stage img').complete")

    for zoom in ("fit", "in", "in"):
        page.locator(f"[data-zoom={zoom}]").click()
        for spec in [TEMPLATE["title"], *TEMPLATE["fields"]]:
            drawn = box_in_page_pixels(page, field_id(claim, spec["name"]))
            # The engine snaps a field onto its printed frame, a few pixels from the template's box at most.
            assert drawn == pytest.approx(spec["box"], abs=14), (zoom, spec["name"], drawn)
        cells = page.locator(f'g[data-field-id="{field_id(claim, "id")}"] .cell')
        expect(cells).to_have_count(6)


def test_a_reviewer_corrects_with_the_keyboard_only_approves_and_sees_it_all_after_reload(
    page, reviewer, password, claim
):
    log_in(page, reviewer, password)
    open_review(page, claim)
    name_id, id_id, fax_id = (field_id(claim, name) for name in ("name", "id", "fax-checkbox"))
    first_cell = Field.objects.get(pk=id_id).subfields.order_by("position").first()
    fax_before = Field.objects.get(pk=fax_id).checked

    page.locator(f"#input-{name_id}").focus()
    level = confidence_level(Field.objects.get(pk=name_id).confidence)  # the engine decides; the page shows it
    expect(page.locator(f'g[data-field-id="{name_id}"]')).to_have_class(f"box type-normal level-{level} active")
    page.keyboard.press("Control+A")
    page.keyboard.type("김철수")
    page.keyboard.press("Enter")  # saves, and moves to the first cell of "id", selected
    expect(page.locator(f"#field-{name_id} .save-state")).to_have_text("Saved")
    expect(page.locator(f"#input-{id_id}")).to_be_focused()
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    expect(page.locator(f"#field-{id_id} .save-state")).to_have_text("Saved")
    for _ in range(20):
        if page.evaluate("document.activeElement.id") == f"input-{fax_id}":
            break
        page.keyboard.press("Enter")
    expect(page.locator(f"#input-{fax_id}")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator(f"#field-{fax_id} .save-state")).to_have_text("Saved")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".messages")).to_contain_text("Approved")

    open_review(page, claim)
    expect(page.locator(".outcome-banner")).to_contain_text(f"Approved by {reviewer.username}")
    expect(page.locator(f"#input-{name_id}")).to_have_value("김철수")
    expect(page.locator(f"#input-{id_id}")).to_have_value("7")
    expect(page.locator(f"#input-{fax_id}")).to_be_checked(checked=not fax_before)
    expect(page.locator(f"#field-{name_id} .original")).to_be_visible()
    page.locator(".history summary").click()
    history = page.locator(".history li")
    expect(history.filter(has_text="Text corrected")).to_contain_text("김철수")
    expect(history.filter(has_text="Multi-box cell corrected")).to_contain_text(f"{first_cell.value} → 7")
    expect(history.filter(has_text="Checkbox set")).to_have_count(1)
    expect(history.filter(has_text="Approved")).to_contain_text(reviewer.username)
    assert Document.objects.get(pk=claim.pk).status == DocumentStatus.APPROVED
    assert Field.objects.get(pk=id_id).value.startswith("7")
    assert FieldEdit.objects.filter(field__page__document=claim, user=reviewer).count() == 3


def test_two_windows_editing_one_field_the_second_sees_the_conflict_and_enter_waits_for_a_choice(
    new_tab, reviewer, password, claim
):
    name_id = field_id(claim, "name")
    windows = []
    for _ in range(2):
        window = new_tab()
        log_in(window, reviewer, password)
        open_review(window, claim)
        windows.append(window)
    first, second = windows

    second.locator(f"#input-{name_id}").fill("둘째")
    first.locator(f"#input-{name_id}").fill("첫째")
    first.locator(f"#input-{name_id}").press("Enter")
    expect(first.locator(f"#field-{name_id} .save-state")).to_have_text("Saved")

    # The second window learns of the save while its own value is still unsaved: the conflict box, at once.
    conflict = second.locator(f"#field-{name_id} .conflict")
    expect(conflict).to_contain_text("You, in another window, changed this field")
    expect(conflict.locator("dd").first).to_have_text("첫째")
    second.locator(f"#input-{name_id}").press("Enter")
    expect(second.locator(f"#input-{name_id}")).to_be_focused()
    expect(second.locator(f"#field-{name_id} .save-state")).to_have_text(
        "Not moving on: choose below which value to keep first."
    )
    assert Field.objects.get(pk=name_id).value == "첫째"

    conflict.get_by_role("button", name="Save mine over it").click()
    expect(second.locator(f"#field-{name_id} .save-state")).to_have_text("Saved")
    assert Field.objects.get(pk=name_id).value == "둘째"


def approve_by(page, how: str) -> None:
    if how == "keys":
        page.keyboard.press("Control+Enter")
    else:
        page.locator("#approve").get_by_role("button", name="Approve").click()


@pytest.mark.parametrize("how", ["keys", "button"])
def test_approval_does_not_go_over_a_value_the_server_refused(page, reviewer, password, claim, how):
    """Saved by someone else while this page was open: the typed value is refused (a conflict), and the
    approval asked for at once (Ctrl+Enter, or the button) stops there instead of approving the other value."""
    name_id = field_id(claim, "name")
    log_in(page, reviewer, password)
    open_review(page, claim)
    field = Field.objects.get(pk=name_id)
    field_correct(field_id=name_id, user=reviewer, version=field.version, value="THEIRS")

    page.locator(f"#input-{name_id}").fill("MINE")
    approve_by(page, how)

    # Saved by this reviewer elsewhere (the box says "You, in another window") or by someone else: a conflict.
    expect(page.locator(f"#field-{name_id} .conflict")).to_contain_text("changed this field while you were editing")
    expect(page.locator("#approve .approve-blocked")).to_be_visible()
    expect(page.locator(f"#input-{name_id}")).to_be_focused()
    claim.refresh_from_db()
    assert claim.status == DocumentStatus.IN_REVIEW
    assert Field.objects.get(pk=name_id).value == "THEIRS"

    page.locator(f"#field-{name_id} .conflict").get_by_role("button", name="Save mine over it").click()
    expect(page.locator(f"#field-{name_id} .save-state")).to_have_text("Saved")
    approve_by(page, how)
    expect(page.locator(".messages")).to_contain_text(f"Approved #{claim.pk}")
    claim.refresh_from_db()
    assert claim.status == DocumentStatus.APPROVED
    assert Field.objects.get(pk=name_id).value == "MINE"


class Gate:
    """Holds back the page's requests to `url` until opened, then lets them through."""

    def __init__(self, page, url: str) -> None:
        self.held, self.opened = [], False
        page.route(url, self.arrived)

    def arrived(self, route) -> None:
        if self.opened:
            route.continue_()
        else:
            self.held.append(route)

    def open(self) -> None:
        self.opened = True
        while self.held:
            self.held.pop(0).continue_()


class Finger:
    """A finger on a touch screen, put down and lifted apart (Playwright's tap does both at once)."""

    def __init__(self, page) -> None:
        self.session = page.context.new_cdp_session(page)

    def down(self, x: float, y: float) -> None:
        self.session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})

    def up(self) -> None:
        self.session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    def second(self, x: float, y: float, *, held: tuple[float, float]) -> None:
        """A second finger put down at (x, y) and lifted, while the first stays `held` where it is."""
        first, other = {"x": held[0], "y": held[1], "id": 0}, {"x": x, "y": y, "id": 1}
        self.session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [first, other]})
        self.session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": [other]})


def press_approve(page, finger: Finger | None = None):
    """The mouse (or `finger`) pressed on Approve, scrolled into view: where, for the release."""
    button = page.locator("#approve").get_by_role("button", name="Approve")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if finger is not None:
        finger.down(x, y)
    else:
        page.mouse.move(x, y)
        page.mouse.down()
    return x, y


def until_moved_away(page, x, y) -> None:
    """Until the page has moved Approve from under the pressed pointer."""
    page.wait_for_function("([x, y]) => !document.elementFromPoint(x, y).closest('#approve button')", arg=[x, y])


@pytest.mark.parametrize("moved_by", ["refusal", "poll"])
def test_approve_held_down_while_the_page_moves_it_away_still_asks_for_the_approval_and_stops(
    page, reviewer, password, claim, moved_by
):
    """Pressing Approve takes the focus from the field typed in, which sends its save. Before the button is
    released, the page above it grows and moves it from under the pointer: the save's refusal (or a poll bringing
    the other value) opens the conflict box in the field just above. The release where the button was pressed is
    still the reviewer's click: the approval is asked for, and stops at the refused value. (The pieces of the page
    beside the fields, which moved it in a CI run, keep their room from the start: test_browser_entry.py.)"""
    typed_in = field_id(claim, "account")  # the last text field, just above Approve
    polls = Gate(page, "**/documents/*/state?*")  # no poll tells the page of the other value before it may
    saves = Gate(page, "**/api/fields/*/")
    if moved_by != "poll":
        saves.open()
    log_in(page, reviewer, password)
    open_review(page, claim)
    field = Field.objects.get(pk=typed_in)
    field_correct(field_id=typed_in, user=reviewer, version=field.version, value="THEIRS")
    page.locator(f"#input-{typed_in}").fill("MINE")
    x, y = press_approve(page)
    if moved_by == "poll":
        polls.open()  # while the save is still on its way
    expect(page.locator(f"#field-{typed_in} .conflict")).to_contain_text("while you were editing")
    until_moved_away(page, x, y)
    page.mouse.up()
    saves.open()

    expect(page.locator(f"#field-{typed_in} .conflict")).to_contain_text("while you were editing")
    expect(page.locator("#approve .approve-blocked")).to_be_visible()
    expect(page.locator(f"#input-{typed_in}")).to_be_focused()
    claim.refresh_from_db()
    assert claim.status == DocumentStatus.IN_REVIEW
    assert Field.objects.get(pk=typed_in).value == "THEIRS"


def held_while_a_poll_moves_it(page, reviewer, password, claim, finger: Finger | None):
    """Approve pressed (by the mouse or `finger`) on the review page of `claim` while a poll brings another's
    value of its last field and the field above grows and moves the button away. Clicks reaching the document
    afterwards are counted in `window.strays`. The field's id and where the press is."""
    account = field_id(claim, "account")
    polls = Gate(page, "**/documents/*/state?*")
    log_in(page, reviewer, password)
    open_review(page, claim)
    field = Field.objects.get(pk=account)
    field_correct(field_id=account, user=reviewer, version=field.version, value="THEIRS")
    page.evaluate("() => document.addEventListener('click', () => (window.strays = (window.strays || 0) + 1))")
    x, y = press_approve(page, finger)
    polls.open()
    until_moved_away(page, x, y)
    return account, (x, y)


@pytest.mark.parametrize("pointer", ["mouse", "touch"])
def test_a_value_from_elsewhere_that_moves_approve_while_pressed_stops_short_of_approving(
    new_tab, reviewer, password, claim, pointer
):
    """Nothing typed here; another save arrives by the poll while Approve is held, and the field above grows and
    moves the button away. The release is the reviewer's click, but on a page that changed under it: not
    approved, and the line by the button says so. A finger's press is the button's to the end (a touch pointer
    is captured by what it went down on), so where it is lifted is looked up, not taken from the event."""
    page = new_tab(has_touch=pointer == "touch")
    finger = Finger(page) if pointer == "touch" else None
    account, _pressed = held_while_a_poll_moves_it(page, reviewer, password, claim, finger)
    finger.up() if finger is not None else page.mouse.up()

    expect(page.locator("#approve .approve-moved")).to_be_visible()
    expect(page.locator("#approve").get_by_role("button", name="Approve")).to_be_focused()
    expect(page.locator(f"#input-{account}")).to_have_value("THEIRS")
    assert page.evaluate("window.strays") is None  # the click sent after the release reached nothing
    claim.refresh_from_db()
    assert claim.status == DocumentStatus.IN_REVIEW

    page.locator("#approve").get_by_role("button", name="Approve").click()  # seen, and approved on purpose
    expect(page.locator(".messages")).to_contain_text(f"Approved #{claim.pk}")


def test_another_finger_lifted_where_approve_was_is_not_the_press_on_it(new_tab, reviewer, password, claim):
    """One finger holds Approve while a poll moves it; a second taps where it was. That lift is not the first
    finger's: nothing is asked for until the first finger lifts."""
    page = new_tab(has_touch=True)
    finger = Finger(page)
    _account, (x, y) = held_while_a_poll_moves_it(page, reviewer, password, claim, finger)

    finger.second(x + 4, y, held=(x, y))
    moved = page.locator("#approve .approve-moved")
    page.evaluate("() => new Promise((done) => setTimeout(done))")
    hidden_while_held = moved.is_hidden()
    finger.up()

    assert hidden_while_held
    expect(moved).to_be_visible()
    claim.refresh_from_db()
    assert claim.status == DocumentStatus.IN_REVIEW


def test_turning_the_wheel_while_approve_is_pressed_is_no_approval(page, reviewer, password, claim):
    log_in(page, reviewer, password)
    open_review(page, claim)
    x, y = press_approve(page)

    page.mouse.wheel(0, -250)
    until_moved_away(page, x, y)
    page.mouse.up()

    expect(page.locator("#approve .approve-moved")).to_be_hidden()
    claim.refresh_from_db()
    assert claim.status != DocumentStatus.APPROVED


def test_one_click_on_approve_approves_an_untouched_page(page, reviewer, password, claim):
    log_in(page, reviewer, password)
    open_review(page, claim)

    page.locator("#approve").get_by_role("button", name="Approve").click()

    expect(page.locator(".messages")).to_contain_text(f"Approved #{claim.pk}")
    claim.refresh_from_db()
    assert claim.status == DocumentStatus.APPROVED


def test_a_second_click_while_the_approval_is_on_its_way_sends_nothing_more(page, reviewer, password, claim):
    """A double click, or an impatient second one while the next page is slow to come, posted the approval twice.
    The approval's POST is held; the second click, and the task after it, run in the page before it comes back
    (Playwright waits for a navigation under way before it evaluates anything new)."""
    approvals = Gate(page, "**/documents/*/approve")
    log_in(page, reviewer, password)
    open_review(page, claim)

    button = page.locator("#approve").get_by_role("button", name="Approve")

    sent = button.evaluate(
        """async (button) => {
            const form = button.form, send = form.submit;
            let sent = 0, first;
            const firstSent = new Promise((done) => (first = done));
            form.submit = function () { sent += 1; first(); return send.call(this); };
            button.click();
            await firstSent;
            button.click();
            await new Promise((done) => setTimeout(done)); // by then an approval not refused at once is sent
            return sent;
        }"""
    )
    approvals.open()

    assert sent == 1
    expect(page.locator(".messages")).to_contain_text(f"Approved #{claim.pk}")
    claim.refresh_from_db()
    assert claim.status == DocumentStatus.APPROVED


HOSTILE = ["<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "javascript:alert(1)"]


def test_hostile_ocr_text_is_shown_as_text_and_runs_nothing(page, reviewer, password, make_document, replay):
    replay.answer = lambda received: respond(
        received,
        [
            make.image(
                [
                    make.field("name", HOSTILE[0], (100, 100, 300, 50)),
                    make.field(HOSTILE[1], HOSTILE[1], (100, 200, 300, 50)),
                    make.field("url", HOSTILE[2], (100, 300, 300, 50)),
                ],
                matchedTemplate={"id": 390, "name": HOSTILE[1]},
                validationResult={"result": "INVALID", "message": HOSTILE[0]},
            )
        ],
    )
    document = make_document(name="hostile.png")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, reviewer, password)

    response = page.goto(f"/documents/{document.pk}/")
    page.locator(".review.ready").wait_for()
    for field in Field.objects.filter(page__document=document):
        page.locator(f"#input-{field.pk}").focus()  # draws and highlights its box
        expect(page.locator(f"#input-{field.pk}")).to_have_value(field.value)
        titles = page.locator(f'g[data-field-id="{field.pk}"] title')
        expect(titles).to_have_text(f"{field_label(field.name, None)}: {field.value}")
    page.wait_for_timeout(300)

    assert dialogs == []
    assert page.locator("img[src=x], svg[onload], a[href^=javascript]").count() == 0
    expect(page.locator(".checks q")).to_have_text(HOSTILE[0])
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_f8_jumps_to_the_next_low_confidence_field_on_another_page(page, reviewer, password, make_document, replay):
    def answer(received):
        images = [
            make.image([make.field("sure", "fine", (100, 100, 300, 50), confidence=0.99)]),
            make.image([make.field("unsure", "f1ne", (100, 400, 300, 50), confidence=0.31)]),
        ]
        return respond(received, [with_page_info(received, image, index, (1000, 1000)) for index, image in
                                  enumerate(images)])  # fmt: skip

    replay.answer = answer
    document = make_document(content=samples.pdf(2), name="two.pdf")
    unsure = Field.objects.get(page__document=document, name="unsure")
    log_in(page, reviewer, password)
    open_review(page, document)
    expect(page.locator("[data-show-page='0']")).to_have_attribute("aria-current", "true")

    page.locator(f"#input-{Field.objects.get(page__document=document, name='sure').pk}").focus()
    page.keyboard.press("F8")

    expect(page.locator(f"#input-{unsure.pk}")).to_be_focused()
    expect(page.locator("[data-show-page='1']")).to_have_attribute("aria-current", "true")
    expect(page.locator(".stage img")).to_have_attribute("src", f"/documents/{document.pk}/pages/1/image")
    expect(page.locator(f'g[data-field-id="{unsure.pk}"]')).to_have_class("box type-normal level-low active")
    page.locator("[data-show-page='0']").click()
    expect(page.locator(".stage img")).to_have_attribute("src", f"/documents/{document.pk}/pages/0/image")


def test_f8_with_no_low_field_says_so(page, reviewer, password, make_document, replay):
    replay.answer = lambda received: respond(
        received, [make.image([make.field("sure", "fine", (100, 100, 300, 50), confidence=0.99)])]
    )
    document = make_document(name="sure.png")
    log_in(page, reviewer, password)
    open_review(page, document)

    page.keyboard.press("F8")

    expect(page.locator(".key-answer")).to_have_text("No field on this document is below the low-confidence mark.")


def test_rules_are_checked_as_the_reviewer_types_and_a_box_click_and_revert_work(
    page, reviewer, password, make_document, replay
):
    replay.answer = lambda received: respond(received, [make.template_page()])
    document = make_document(content=samples.png(1000, 1000), name="claim.png")
    TemplateField.objects.create(
        template=Template.objects.get(pk=390), name="name", label="성명", pattern="[가-힣]{2,4}", message="한글 2–4자"
    )
    name = Field.objects.get(page__document=document, name="name")
    log_in(page, reviewer, password)
    open_review(page, document)
    field = page.locator(f"#field-{name.pk}")
    expect(field.locator("label").first).to_have_text("성명")

    page.locator(f'g[data-field-id="{name.pk}"] .outline').click()
    expect(page.locator(f"#input-{name.pk}")).to_be_focused()
    page.keyboard.type("X")
    expect(field.locator(".rule-failures")).to_have_text("한글 2–4자")
    expect(page.locator("#approve .override")).to_be_visible()
    page.keyboard.press("Enter")
    expect(field.locator(".save-state")).to_have_text("Saved")
    expect(field.locator(".original")).to_contain_text("김민수")

    field.get_by_role("button", name="Revert").click()
    expect(field.locator(".save-state")).to_have_text("Reverted to the OCR value")
    expect(page.locator(f"#input-{name.pk}")).to_have_value("김민수")
    expect(field.locator(".rule-failures li")).to_have_count(0)
    expect(page.locator("#approve .override")).to_be_hidden()
    expect(page.locator(".claim-banner")).to_contain_text("You are reviewing this document")
    assert list(FieldEdit.objects.filter(field=name).values_list("action", flat=True)) == ["text", "revert"]


def test_a_table_cell_is_corrected_in_the_browser(page, reviewer, password, make_document, replay):
    from documents.models import TableCell

    replay.answer = lambda received: respond(received, [make.table_page()])
    document = make_document(content=samples.png(400, 300), name="table.png", mode="general")
    cell = TableCell.objects.get(table__page__document=document, text="pear")
    log_in(page, reviewer, password)
    open_review(page, document)

    page.locator(f'g[data-cell-id="{cell.pk}"] .outline').click(force=True)
    expect(page.locator(f"#cell-{cell.pk} textarea")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("plum")
    page.keyboard.press("Enter")

    expect(page.locator(f"#cell-{cell.pk} .save-state")).to_have_text("Saved")
    expect(page.locator(f"#cell-{cell.pk}")).to_have_class("table-cell changed")
    cell.refresh_from_db()
    assert (cell.text, cell.ocr_text, cell.version) == ("plum", "pear", 2)


def test_a_pattern_that_backtracks_forever_in_javascript_is_checked_at_once_as_the_reviewer_types(
    page, reviewer, password, make_document, replay
):
    # With the browser's own RegExp, `(a+)+$` against 40 a's and a "!" would freeze the tab for days.
    replay.answer = lambda received: respond(received, [make.template_page()])
    document = make_document(content=samples.png(1000, 1000), name="claim.png")
    TemplateField.objects.create(template=Template.objects.get(pk=390), name="name", pattern="(a+)+$", message="a's")
    name = Field.objects.get(page__document=document, name="name")
    log_in(page, reviewer, password)
    open_review(page, document)

    page.locator(f"#input-{name.pk}").fill("a" * 40 + "!")

    expect(page.locator(f"#field-{name.pk} .rule-failures")).to_have_text("a's")
    page.locator(f"#input-{name.pk}").fill("a" * 40)
    expect(page.locator(f"#field-{name.pk} .rule-failures li")).to_have_count(0)
