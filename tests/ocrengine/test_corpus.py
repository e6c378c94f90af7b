"""The measuring corpus's parts: the report part's typefaces stay out of tuning, and the probe's are new."""

import pytest
from PIL import ImageFont

from ocrengine.demo import corpus
from ocrengine.demo.fonts import PROBE, REPORT, TUNE, TYPEFACES, typefaces


def _files(split: str) -> set[tuple[str, int]]:
    return {(face.path, face.index) for face in TYPEFACES if face.split == split}


def test_no_font_file_is_in_two_parts_or_the_probe():
    tune, report, probe = _files(TUNE), _files(REPORT), _files(PROBE)

    assert not tune & report and not tune & probe and not report & probe


@pytest.mark.parametrize("face", [face for face in TYPEFACES if face.split == PROBE], ids=lambda face: face.family)
def test_every_probe_face_writes_the_digits_and_its_script(face):
    # A face without a glyph draws its empty box: Guseul's digits are boxes, and read as 0s measured nothing.
    font = ImageFont.truetype(face.path, 40, index=face.index)
    missing = bytes(font.getmask("\U000f0001"))
    letters = "0123456789-@.홍길동팀" if face.lang == "ko" else "0123456789-@.山田太郎あいうアイウ"

    assert [letter for letter in letters if bytes(font.getmask(letter)) == missing] == []


def test_the_probe_fills_the_tuning_layouts_in_its_own_faces_printed_and_by_hand():
    count = 2 * len(corpus.forms(TUNE))  # printed and scanned, then hand-lettered and photographed
    samples = corpus.generate(PROBE, count, seed=1)

    tuning_layouts = {form.slug for form in corpus.forms(TUNE)}
    probe_faces = {face.family for lang in ("ko", "ja") for face in typefaces(lang=lang, split=PROBE)}
    assert {sample.layout for sample in samples} == tuning_layouts
    assert {sample.typeface for sample in samples} <= probe_faces
    assert {sample.hand for sample in samples} == {False, True}
