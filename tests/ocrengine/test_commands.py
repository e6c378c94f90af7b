import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from documents.models import Template
from ocrengine.models import EngineTemplate
from tests.ocrengine.conftest import DEMO

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def engine(live_server, settings):
    """import_template reaches the engine over HTTP, as the portal reaches it for everything."""
    from tests.ocrengine.conftest import ENGINE_SECRET

    settings.OCR_ENGINE_SECRET = ENGINE_SECRET
    settings.OCR_TEMPLATE_INVOKE_URL = settings.OCR_GENERAL_INVOKE_URL = f"{live_server.url}/ocr/local"
    settings.OCR_TEMPLATE_SECRET = settings.OCR_GENERAL_SECRET = ENGINE_SECRET


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def template_file(tmp_path):
    shutil.copy(DEMO / "claim-form.png", tmp_path / "claim-form.png")
    data = json.loads((DEMO / "claim-form.json").read_text())
    path = tmp_path / "claim-form.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    return path, data


def test_import_deploys_to_the_engine_and_registers_in_the_portal(template_file):
    path, data = template_file

    output = run("import_template", str(path))

    assert "deployed template 390 '보험금 청구서' (14 fields)" in output
    engine = EngineTemplate.objects.get(pk=390)
    assert (engine.width, engine.height, engine.lang, engine.deployed) == (1654, 2339, "ko", True)
    assert [field["name"] for field in engine.definition["fields"]] == [field["name"] for field in data["fields"]]
    assert Template.objects.get(pk=390).name == "보험금 청구서"


def test_importing_again_updates_the_template(template_file):
    path, data = template_file
    run("import_template", str(path))
    data["name"] = "보험금 청구서 (개정)"
    path.write_text(json.dumps(data, ensure_ascii=False))

    output = run("import_template", str(path))

    assert "updated template 390" in output
    assert EngineTemplate.objects.count() == 1
    assert Template.objects.get(pk=390).name == "보험금 청구서 (개정)"


def test_imported_templates_open_in_the_builder_as_their_deployed_version(template_file):
    from documents.models import TemplateVersion

    path, data = template_file
    run("import_template", str(path))
    run("import_template", str(path))  # the same file again: no new version
    data["fields"] = data["fields"][:3]
    data.pop("validation", None), data.pop("combine", None)
    path.write_text(json.dumps(data, ensure_ascii=False))
    run("import_template", str(path))

    versions = list(TemplateVersion.objects.filter(template_id=390).order_by("number"))
    assert [(version.number, version.deployed) for version in versions] == [(1, False), (2, True)]
    assert len(versions[1].definition["fields"]) == 3 and (versions[1].width, versions[1].height) == (1654, 2339)


def test_export_writes_a_file_that_imports_back_the_same(template_file, tmp_path):
    path, _ = template_file
    run("import_template", str(path))
    before = EngineTemplate.objects.get(pk=390)

    exported = run("export_template", "390", "--output", str(tmp_path / "out")).strip()

    data = json.loads(open(exported, encoding="utf-8").read())
    assert (data["id"], data["name"], data["image"]) == (390, "보험금 청구서", "claim-form.png")
    assert (tmp_path / "out" / "claim-form.png").read_bytes() == bytes(before.image)
    run("import_template", exported)
    after = EngineTemplate.objects.get(pk=390)
    assert after.definition == before.definition


def test_export_of_an_unknown_template_says_so():
    with pytest.raises(CommandError, match="No template 5"):
        run("export_template", "5")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(id="x"), "id: must be a positive whole number"),
        (lambda d: d.update(image="missing.png"), "is not a file"),
        (lambda d: d["fields"][0].update(box=[1600, 10, 500, 50]), "lies outside"),
        (lambda d: d["fields"][1].pop("cells"), "needs cells"),
        (lambda d: d["fields"].append(dict(d["fields"][0])), "used twice"),
        (lambda d: d["fields"][0].update(type="SIGNATURE"), "type must be one of"),
        (lambda d: d.update(combine={"name": "x", "text": "{nobody}"}), "no field named nobody"),
        (lambda d: d.update(validation={"rules": [{"field": "name", "pattern": "("}]}), "cannot be run in linear"),
        (lambda d: d.update(validation={"rules": [{"field": "name", "pattern": r"(a)\1"}]}), "backreferences"),
        (lambda d: d.update(lang="fr"), "lang: must be one of"),
        (lambda d: d.update(name="n" * 256), "name: must be text of 1 to 255"),  # the portal's table holds 255
        (lambda d: d["fields"][0].update(box=[float("inf"), 10, 500, 50]), "must be finite"),
        (lambda d: d["fields"][0].update(box=[float("nan"), 10, 500, 50]), "must be finite"),
        (lambda d: d.update(name=["x"]), "name: must be text"),
    ],
)
def test_a_bad_template_file_is_refused_with_the_reason(template_file, change, message):
    path, data = template_file
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False))

    with pytest.raises(CommandError, match=message):
        run("import_template", str(path))
    assert not EngineTemplate.objects.exists()
