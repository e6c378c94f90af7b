"""Field entry on the review page in real Chromium: multi-box cells like a data-entry station, the field's piece
of the page beside it, confirming a low value with Enter, and the way in from the keyboard."""

import io
import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from documents.models import DocumentStatus, Field, FieldEdit, SubField, Template
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond, with_page_info
from tests.test_browser import log_in
from tests.test_browser_review import claim, field_id, open_review  # noqa: F401  (claim is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def form(make_document, replay):
    """The claim form as the fixtures answer it: a six-box id `102831`, a name, an address, two checkboxes."""
    replay.answer = lambda received: respond(received, [make.template_page()])
    return make_document(content=samples.png(1000, 1000), name="claim.png")


def cells_of(page, field) -> list[str]:
    return page.locator(f"#field-{field} .cell").evaluate_all("(cells) => cells.map((cell) => cell.value)")


def focused_cell(page) -> int:
    """Which box of its multi-box has the focus (0-based), -1 for anything else."""
    return page.evaluate("[...document.activeElement.parentElement.children].indexOf(document.activeElement)")


def paste(page, text: str) -> None:
    page.evaluate(
        """(text) => {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            document.activeElement.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                                                                               cancelable: true}));
        }""",
        text,
    )


def test_multibox_cells_take_one_character_each_advance_go_back_and_fill_on_paste(page, reviewer, password, form):
    box = field_id(form, "id")
    log_in(page, reviewer, password)
    open_review(page, form)

    page.locator(f"#input-{box}").click()  # the caret lands after the "1": typing must still replace it
    page.keyboard.type("8")
    assert focused_cell(page) == 1
    page.keyboard.type("4")
    assert cells_of(page, box)[:3] == ["8", "4", "2"] and focused_cell(page) == 2
    page.keyboard.press("Backspace")  # clears the third box and steps back
    page.keyboard.press("Backspace")  # clears the second and steps back to the first
    assert cells_of(page, box)[:3] == ["8", "", ""] and focused_cell(page) == 0
    page.keyboard.type("5")  # replaces the 8, does not make it 58
    page.keyboard.press("ArrowLeft")
    assert focused_cell(page) == 0
    page.keyboard.press("ArrowRight")
    paste(page, "123456")  # five boxes left for six characters

    assert cells_of(page, box) == ["5", "1", "2", "3", "4", "5"]
    expect(page.locator(f"#field-{box} .entry-note")).to_have_text(
        "1 character(s) did not fit in the boxes and were left out: 6"
    )
    expect(page.locator(f"#field-{box} .joined")).to_have_text("512345")
    expect(page.locator(f"#field-{box} .save-state")).to_have_text("Saved")
    page.wait_for_function(
        "(id) => [...document.querySelectorAll(`#field-${id} .cell`)].every((c) => c.value === c.dataset.saved)",
        arg=box,
    )
    open_review(page, form)
    assert cells_of(page, box) == ["5", "1", "2", "3", "4", "5"]
    assert [sub.value for sub in SubField.objects.filter(field_id=box).order_by("position")] == list("512345")
    assert Field.objects.get(pk=box).value == "512345"


def test_the_note_of_what_a_paste_left_out_goes_at_the_fields_next_change(page, reviewer, password, form):
    box = field_id(form, "id")
    note = page.locator(f"#field-{box} .entry-note")
    log_in(page, reviewer, password)
    open_review(page, form)

    page.locator(f"#field-{box} .cell").nth(0).click()
    paste(page, "12345678")
    expect(note).to_have_text("2 character(s) did not fit in the boxes and were left out: 78")
    page.keyboard.press("ArrowLeft")  # walking the boxes changes nothing: the note stays
    expect(note).to_be_visible()
    page.keyboard.type("9")
    expect(note).to_have_count(0)
    assert cells_of(page, box) == ["1", "2", "3", "4", "9", "6"]

    paste(page, "AB")  # from the last box: one fits, one does not
    expect(note).to_have_text("1 character(s) did not fit in the boxes and were left out: B")
    page.keyboard.press("Backspace")
    expect(note).to_have_count(0)


def compose(session, steps: list[str], committed: str) -> None:
    """What a Korean input method sends while a syllable is built jamo by jamo, then committed."""
    for text in steps:
        session.send("Input.imeSetComposition", {"text": text, "selectionStart": len(text), "selectionEnd": len(text)})
    session.send("Input.insertText", {"text": committed})


def test_syllables_composed_by_an_input_method_each_fill_a_box_save_and_move_on(page, reviewer, password, form):
    box = field_id(form, "id")
    log_in(page, reviewer, password)
    open_review(page, form)
    session = page.context.new_cdp_session(page)

    page.locator(f"#field-{box} .cell").nth(1).click()
    compose(session, ["ㅎ", "하", "한"], "한")
    assert focused_cell(page) == 2
    compose(session, ["ㄱ", "그", "글"], "글")
    compose(session, ["ㅈ", "자"], "자")

    assert cells_of(page, box) == ["1", "한", "글", "자", "3", "1"] and focused_cell(page) == 4
    expect(page.locator(f"#field-{box} .joined")).to_have_text("1한글자31")
    page.wait_for_function(
        "(id) => [...document.querySelectorAll(`#field-${id} .cell`)].every((c) => c.value === c.dataset.saved)",
        arg=box,
    )
    assert [sub.value for sub in SubField.objects.filter(field_id=box).order_by("position")] == list("1한글자31")


def test_a_click_inside_a_cell_on_the_page_focuses_and_selects_that_cell(page, reviewer, password, form):
    box = field_id(form, "id")
    log_in(page, reviewer, password)
    open_review(page, form)

    target = page.locator(f'g[data-field-id="{box}"] .cell').nth(3).bounding_box()
    # Well inside the box, away from its dashed line: the area, not the outline, takes the click.
    page.mouse.click(target["x"] + target["width"] * 0.5, target["y"] + target["height"] * 0.5)

    assert focused_cell(page) == 3
    assert page.evaluate("[document.activeElement.selectionStart, document.activeElement.selectionEnd]") == [0, 1]
    page.keyboard.type("0")
    assert cells_of(page, box) == ["1", "0", "2", "0", "3", "1"]


def test_f8_goes_to_a_low_cell_and_selects_it(page, reviewer, password, form):
    box = field_id(form, "id")
    SubField.objects.filter(field_id=box, position=4).update(confidence=0.2)
    log_in(page, reviewer, password)
    open_review(page, form)
    expect(page.locator(".low-count")).to_have_text("1 low-confidence")
    expect(page.locator(f"#field-{box}")).to_have_class(re.compile(r"\blow\b"))  # flagged, whatever its own level

    page.keyboard.press("F8")

    assert focused_cell(page) == 4
    assert page.evaluate("[document.activeElement.selectionStart, document.activeElement.selectionEnd]") == [0, 1]
    expect(page.locator(f'g[data-field-id="{box}"]')).to_have_class("box type-multi_box level-low active")


def test_the_snippet_beside_a_field_is_the_piece_of_the_page_under_its_box_and_zooms(
    page,
    reviewer,
    password,
    claim,  # noqa: F811
):
    name = Field.objects.get(page__document=claim, name="name")
    xs = [point[0] for point in name.poly]
    ys = [point[1] for point in name.poly]
    log_in(page, reviewer, password)
    open_review(page, claim)
    snippet = page.locator(f'.snippet[data-field-id="{name.pk}"]')
    expect(snippet).to_be_visible()
    canvas = snippet.locator("canvas")
    expect(canvas).to_have_attribute("data-source", re.compile(r"^-?\d+,"))  # drawn

    source = [int(part) for part in canvas.get_attribute("data-source").split(",")]
    width = canvas.evaluate("(canvas) => canvas.getBoundingClientRect().width")
    canvas.click()
    zoomed = canvas.evaluate("(canvas) => canvas.getBoundingClientRect().width")
    ink = canvas.evaluate(
        """(canvas) => {
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let dark = 0;
            for (let i = 0; i < pixels.length; i += 4) if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 300) dark++;
            return dark;
        }"""
    )

    assert source == pytest.approx([min(xs) - 6, min(ys) - 6, max(xs) - min(xs) + 12, max(ys) - min(ys) + 12], abs=1)
    assert ink > 50  # the handwriting in the box, not a blank piece of paper
    assert zoomed == pytest.approx(width * 3, rel=0.02)
    page.locator("h2#fields-title").click()
    expect(snippet).not_to_have_class("snippet zoomed")


def skewed_scan(box: list[tuple[int, int]]) -> bytes:
    """A white page with the box's top edge drawn as a thick black line, as a skewed scan shows a form's line."""
    image = Image.new("RGB", (1000, 1000), "white")
    ImageDraw.Draw(image).line([box[0], box[1]], fill="black", width=5)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def snippet_read(canvas) -> tuple[float, int, int, list[float]]:
    """The snippet's angle and size, and how much of its row 6 and of its middle row (between the ends) is dark:
    set upright, the form's line runs along the top margin and nothing crosses the middle."""
    angle, width, height = canvas.evaluate("(c) => [Number(c.dataset.angle), c.width, c.height]")
    dark = canvas.evaluate(
        """(canvas) => {
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            const share = (y) => {
                let dark = 0;
                const from = Math.round(canvas.width * 0.1), to = Math.round(canvas.width * 0.9);
                for (let x = from; x < to; x++) if (pixels[(y * canvas.width + x) * 4] < 128) dark++;
                return dark / (to - from);
            };
            return [share(6), share(Math.round(canvas.height / 2))];
        }"""
    )
    return angle, width, height, dark


def snippet_of(page, reviewer, password, make_document, replay, corners, content: bytes | None = None):
    """The review page of a scan (by default skewed_scan's) whose one field OCR placed on these corners, and
    that field's snippet."""
    answer = make.field("name", "김민수", (0, 0, 1, 1))
    answer["boundingPoly"] = {"vertices": [{"x": x, "y": y} for x, y in corners]}
    replay.answer = lambda received: respond(received, [make.image([answer])])
    document = make_document(content=content or skewed_scan(corners), name="scan.png")
    log_in(page, reviewer, password)
    open_review(page, document)
    return page.locator(".snippet canvas")


def test_a_snippet_on_a_skewed_scan_is_cut_along_the_box_and_set_upright(
    page, reviewer, password, make_document, replay
):
    corners = [(200, 300), (497, 341), (491, 391), (194, 350)]
    canvas = snippet_of(page, reviewer, password, make_document, replay, corners)
    expect(canvas).to_have_attribute("data-source", "188,294,315,103")

    angle, width, height, dark = snippet_read(canvas)

    assert angle == pytest.approx(0.137, abs=0.002)  # atan2(41, 297): the box's own slope
    assert (width, height) == (312, 62)  # its length and height along the text, plus the margin
    assert dark[0] > 0.95 and dark[1] == 0  # the line straight along the top, nothing across the middle


def test_a_snippet_on_a_page_turned_sideways_is_set_upright_not_cut_as_a_sliver(
    page, reviewer, password, make_document, replay
):
    # The text runs down the page: its top-left corner is the box's top right, its top edge the box's right side.
    corners = [(450, 200), (450, 500), (400, 500), (400, 200)]
    canvas = snippet_of(page, reviewer, password, make_document, replay, corners)
    expect(canvas).to_have_attribute("data-source", "394,194,62,312")

    angle, width, height, dark = snippet_read(canvas)

    assert angle == pytest.approx(1.5708, abs=0.001)  # a quarter turn, as the text runs
    assert (width, height) == (312, 62)  # wide along the text, not a tall sliver
    assert dark[0] > 0.95 and dark[1] == 0  # the text's top edge along the top


def test_a_box_whose_corners_start_elsewhere_is_cut_as_it_lies(page, reviewer, password, make_document, replay):
    # Bottom-left first: read as text order, this wide box would be a quarter turn of a tall one.
    corners = [(200, 350), (200, 300), (500, 300), (500, 350)]
    canvas = snippet_of(page, reviewer, password, make_document, replay, corners, samples.png(1000, 1000))
    expect(canvas).to_have_attribute("data-source", "194,294,312,62")

    assert canvas.evaluate("(c) => [Number(c.dataset.angle), c.width, c.height]") == [0, 312, 62]


@pytest.mark.parametrize(
    "corners", [[(300, 300)] * 4, [(200, 300), (500, 300), (500, 300), (200, 300)]], ids=["point", "line"]
)
def test_a_box_with_no_room_in_it_shows_no_piece(page, reviewer, password, make_document, replay, corners):
    """All margin, its piece looked like an empty checkbox beside the value."""
    snippet_of(page, reviewer, password, make_document, replay, corners, samples.png(1000, 1000))

    expect(page.locator(".fields-panel .field textarea").first).to_have_value("김민수")
    expect(page.locator(".snippet")).to_be_hidden()


def test_a_snippet_fetches_its_page_image_only_when_its_field_comes_near(
    page, reviewer, password, make_document, replay
):
    def answer(received):
        many = [
            make.field(f"line-{number:02d}", f"value {number}", (100, 40 + 30 * number, 300, 25))
            for number in range(30)
        ]
        images = [make.image(many), make.image([make.field("far", "away", (100, 400, 300, 50))])]
        return respond(received, [with_page_info(received, image, index, (1000, 1000)) for index, image in
                                  enumerate(images)])  # fmt: skip

    replay.answer = answer
    document = make_document(content=samples.pdf(2), name="long.pdf")
    far = Field.objects.get(page__document=document, name="far")
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    log_in(page, reviewer, password)
    open_review(page, document)
    near = page.locator(f'.snippet[data-field-id="{field_id(document, "line-00")}"] canvas')
    expect(near).to_have_attribute("data-source", re.compile(r"^-?\d+,"))  # drawn
    far_canvas = page.locator(f'.snippet[data-field-id="{far.pk}"] canvas')
    expect(far_canvas).to_be_visible()  # its room kept before its page image comes: drawing it moves nothing
    room = far_canvas.bounding_box()

    assert not [url for url in asked if url.endswith("/pages/1/image")]  # page 2's fields are far below
    assert far_canvas.get_attribute("data-source") is None
    page.locator(f"#field-{far.pk}").scroll_into_view_if_needed()
    expect(far_canvas).to_have_attribute("data-source", re.compile(r"^-?\d+,"))
    assert [url for url in asked if url.endswith("/pages/1/image")]
    assert far_canvas.bounding_box()["height"] == pytest.approx(room["height"], abs=0.5)


def test_enter_confirms_a_low_field_and_approval_waits_for_it_under_the_template_setting(
    page, reviewer, password, form
):
    name = field_id(form, "name")
    Field.objects.filter(pk=name).update(confidence=0.2)
    Template.objects.filter(pk=390).update(require_confirmation=True)
    log_in(page, reviewer, password)
    open_review(page, form)

    page.locator("#approve").get_by_role("button", name="Approve").click()
    expect(page.locator("#approve .approve-unconfirmed")).to_have_text(
        "Confirm or correct every low-confidence field before approving: Name."
    )
    expect(page.locator(f"#input-{name}")).to_be_focused()
    form.refresh_from_db()
    assert form.status == DocumentStatus.NEEDS_REVIEW

    page.keyboard.press("Enter")
    expect(page.locator(f"#field-{name} .save-state")).to_have_text("Confirmed")
    expect(page.locator(f"#field-{name}")).to_have_class("field level-low low confirmed")
    expect(page.locator(f"#field-{name} .confirmed-mark")).to_be_visible()
    expect(page.locator(f'g[data-field-id="{name}"]')).to_have_class(re.compile(r"\blevel-low\b.*\bconfirmed\b"))
    page.locator("#approve").get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text(f"Approved #{form.pk}")

    open_review(page, form)
    page.locator(".history summary").click()
    expect(page.locator(".history li").filter(has_text="Confirmed as read")).to_contain_text("김민수 → 김민수")
    assert list(FieldEdit.objects.filter(field_id=name).values_list("action", flat=True)) == ["confirm"]


def test_changing_a_confirmed_value_takes_the_confirmation_away(page, reviewer, password, form):
    name = field_id(form, "name")
    Field.objects.filter(pk=name).update(confidence=0.2)
    log_in(page, reviewer, password)
    open_review(page, form)

    page.locator(f"#field-{name}").get_by_role("button", name="Confirm").click()
    expect(page.locator(f"#field-{name}")).to_have_class("field level-low low confirmed")
    page.locator(f"#input-{name}").fill("김민준")
    page.keyboard.press("Enter")

    expect(page.locator(f"#field-{name} .save-state")).to_have_text("Saved")
    expect(page.locator(f"#field-{name}")).to_have_class("field level-low low changed")
    assert Field.objects.get(pk=name).confirmed is False


def test_the_first_field_is_one_tab_away_and_the_claim_holder_starts_in_it(page, reviewer, password, form):
    first = page.locator(".fields-panel .field").first.locator("textarea, input").first
    log_in(page, reviewer, password)
    open_review(page, form)

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the fields")).to_be_focused()
    page.keyboard.press("Enter")
    expect(first).to_be_focused()

    page.get_by_role("button", name="Start reviewing").click()
    page.locator(".review.ready").wait_for()
    expect(first).to_be_focused()


def test_a_piece_whose_page_image_fails_keeps_its_room_and_shows_it_is_missing(page, reviewer, password, claim):  # noqa: F811
    page.route("**/documents/*/pages/*/image*", lambda route: route.abort())
    log_in(page, reviewer, password)
    page.goto(f"/documents/{claim.pk}/")
    page.locator(".review.ready").wait_for()
    name = Field.objects.get(page__document=claim, name="name")
    snippet = page.locator(f'.snippet[data-field-id="{name.pk}"]')

    expect(snippet).to_have_class(re.compile(r"\bunavailable\b"))
    expect(snippet).to_be_visible()  # taken away, it moved everything below it
    expect(snippet.get_by_text("Page image not available")).to_be_visible()  # not the hatching of one still coming
    expect(page.locator(".viewer").get_by_role("status")).to_contain_text("could not be loaded")
    expect(page.locator(".stage img")).to_be_hidden()  # no broken image's icon over the boxes
    # The words stay inside every piece, a checkbox's too (the holder was as wide as the field).
    spill = page.locator(".snippet.unavailable").evaluate_all(
        """(holders) => holders.map((holder) => holder.querySelector('.snippet-missing').getBoundingClientRect().right
            - holder.querySelector('canvas').getBoundingClientRect().right)"""
    )
    assert len(spill) > 4 and max(spill) <= 1
    assert snippet.locator("canvas").bounding_box()["height"] > 10
