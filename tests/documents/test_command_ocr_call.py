import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import error_reply, respond


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ocr_call", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def png(tmp_path):
    path = tmp_path / "claim.png"
    path.write_bytes(samples.png())
    return path


def test_it_prints_what_the_portal_parsed(png, replay):
    replay.answer = lambda received: respond(received, [make.template_page()])

    out, err = run(str(png), "--template-id", "390", "--lang", "ko,ja")

    assert "Template OCR at http://127.0.0.1:" in err
    assert "Page 1: SUCCESS template 390 '보험금 청구서', validation VALID" in out
    assert "id [MULTI_BOX NUMERIC] '102831' 0.90  cells: 1 0 2 8 3 1" in out
    assert "fax-checkbox [CHECKBOX ALL] checked 'V'" in out
    [received] = replay.received
    assert received.image["templateIds"] == [390] and received.message["lang"] == "ko,ja"


def test_it_prints_json_with_pages_fields_subfields_and_tables(png, replay):
    replay.answer = lambda received: respond(received, [make.table_page()])

    out, _ = run(str(png), "--general", "--tables", "--json")

    [page] = json.loads(out)["pages"]
    assert page["infer_result"] == "SUCCESS"
    assert [field["text"] for field in page["fields"]] == ["a", "b", "c"]
    assert page["tables"][0]["cells"][0] == {
        "row": 0,
        "column": 0,
        "row_span": 1,
        "column_span": 2,
        "text": "Item Name",
    }
    assert replay.received[0].call == "general" and replay.received[0].message["enableTableDetection"] is True


def test_it_splits_a_long_pdf_and_prints_every_page(tmp_path, replay):
    path = tmp_path / "long.pdf"
    path.write_bytes(samples.pdf(7))

    out, _ = run(str(path))

    assert len(replay.received) == 2
    assert [line.split(":")[0] for line in out.splitlines() if line.startswith("Page")] == [
        f"Page {n}" for n in range(1, 8)
    ]


def test_it_reports_an_error_with_its_code(png, replay):
    replay.script.append(error_reply("1021", "no deploy information"))

    with pytest.raises(CommandError, match=r"\[1021\].*Deploy"):
        run(str(png))


def test_it_refuses_a_file_it_would_not_upload(tmp_path):
    path = tmp_path / "page.png"
    path.write_bytes(samples.html_named_png())

    with pytest.raises(CommandError, match="not a JPEG, PNG, PDF or TIFF"):
        run(str(path))
