"""The typefaces the sample generator writes with, each assigned once to the tuning part or the report part.

The report part's fonts are never used while tuning the engine: its figures in `make bench` say how the
engine does on lettering it was not adjusted to. All of them come from Debian packages (`make setup`).
"""

from dataclasses import dataclass
from pathlib import Path

TUNE, REPORT = "tune", "report"
# Faces of neither part, nor kin of a report face (bold and light weights, coding and typewriter cuts): a probe
# for finding faults while tuning, on lettering the tuning part does not hold, without opening the report part.
# Filled into the tuning part's layouts (corpus.generate); `make bench` never reads it.
PROBE = "probe"
ROOT = Path("/usr/share/fonts")


@dataclass(frozen=True)
class Typeface:
    family: str
    path: str
    index: int
    lang: str  # ko or ja
    hand: bool  # hand-lettered (pen, brush, pencil)
    split: str

    @property
    def available(self) -> bool:
        return Path(self.path).is_file()


def _face(family: str, path: str, lang: str, split: str, *, hand: bool = False, index: int = 0) -> Typeface:
    return Typeface(family=family, path=str(ROOT / path), index=index, lang=lang, hand=hand, split=split)


TYPEFACES = (
    # Korean, tuning part
    _face("NanumGothic", "truetype/nanum/NanumGothic.ttf", "ko", TUNE),
    _face("NanumMyeongjo", "truetype/nanum/NanumMyeongjo.ttf", "ko", TUNE),
    _face("NanumBarunGothic", "truetype/nanum/NanumBarunGothic.ttf", "ko", TUNE),
    _face("NanumSquare", "truetype/nanum/NanumSquareR.ttf", "ko", TUNE),
    _face("UnDotum", "truetype/unfonts-core/UnDotum.ttf", "ko", TUNE),
    _face("Baekmuk Gulim", "truetype/baekmuk/gulim.ttf", "ko", TUNE),
    _face("Nanum Pen Script", "truetype/nanum/NanumPen.ttf", "ko", TUNE, hand=True),
    _face("UnPilgi", "truetype/unfonts-core/UnPilgi.ttf", "ko", TUNE, hand=True),
    # Korean, report part
    _face("Noto Sans CJK KR", "opentype/noto/NotoSansCJK-Regular.ttc", "ko", REPORT, index=1),
    _face("Noto Serif CJK KR", "opentype/noto/NotoSerifCJK-Regular.ttc", "ko", REPORT, index=1),
    _face("UnBatang", "truetype/unfonts-core/UnBatang.ttf", "ko", REPORT),
    _face("Lexi Saebom", "truetype/lexi/LexiSaebomR.ttf", "ko", REPORT),
    _face("NanumSquareRound", "truetype/nanum/NanumSquareRoundR.ttf", "ko", REPORT),
    _face("Baekmuk Batang", "truetype/baekmuk/batang.ttf", "ko", REPORT),
    _face("Nanum Barunpen", "truetype/nanum/NanumBarunpenR.ttf", "ko", REPORT, hand=True),
    _face("Nanum Brush Script", "truetype/nanum/NanumBrush.ttf", "ko", REPORT, hand=True),
    _face("UnPenheulim", "truetype/unfonts-extra/UnPenheulim.ttf", "ko", REPORT, hand=True),
    _face("Eunjin Nakseo", "truetype/alee/EunjinNakseo.ttf", "ko", REPORT, hand=True),
    # Japanese, tuning part
    _face("Noto Sans CJK JP", "opentype/noto/NotoSansCJK-Regular.ttc", "ja", TUNE),
    _face("IPAexGothic", "opentype/ipaexfont-gothic/ipaexg.ttf", "ja", TUNE),
    _face("IPAexMincho", "opentype/ipaexfont-mincho/ipaexm.ttf", "ja", TUNE),
    _face("VL Gothic", "truetype/vlgothic/VL-Gothic-Regular.ttf", "ja", TUNE),
    _face("Sawarabi Mincho", "truetype/sawarabi-mincho/sawarabi-mincho-medium.ttf", "ja", TUNE),
    _face("Klee One", "truetype/klee/KleeOne-Regular.ttf", "ja", TUNE, hand=True),
    _face("Kiloji", "truetype/kiloji/kiloji.ttf", "ja", TUNE, hand=True),
    # Japanese, report part
    _face("Noto Serif CJK JP", "opentype/noto/NotoSerifCJK-Regular.ttc", "ja", REPORT),
    _face("Takao Mincho", "truetype/takao-mincho/TakaoMincho.ttf", "ja", REPORT),
    _face("Sawarabi Gothic", "truetype/sawarabi-gothic/sawarabi-gothic-medium.ttf", "ja", REPORT),
    _face("M PLUS 1", "opentype/mplus/Mplus1-Regular.otf", "ja", REPORT),
    _face("Motoya L Maru", "truetype/motoya-l-maruberi/MTLmr3m.ttf", "ja", REPORT),
    _face("Seto", "truetype/seto/setofont.ttf", "ja", REPORT, hand=True),
    _face("YOzFont", "truetype/yozvox-yozfont/YOzRN_.ttf", "ja", REPORT, hand=True),
    # Korean, probe (Guseul, in the same package, has no digits: its boxes would read as 0s)
    _face("Baekmuk Dotum", "truetype/baekmuk/dotum.ttf", "ko", PROBE),
    _face("Baekmuk Headline", "truetype/baekmuk/hline.ttf", "ko", PROBE),
    _face("NanumGothicCoding", "truetype/nanum/NanumGothicCoding.ttf", "ko", PROBE),
    _face("NanumMyeongjo Bold", "truetype/nanum/NanumMyeongjoBold.ttf", "ko", PROBE),
    _face("NanumSquare Bold", "truetype/nanum/NanumSquareB.ttf", "ko", PROBE),
    _face("NanumBarunGothic Light", "truetype/nanum/NanumBarunGothicLight.ttf", "ko", PROBE),
    _face("UnDinaru", "truetype/unfonts-core/UnDinaru.ttf", "ko", PROBE),
    _face("UnGraphic", "truetype/unfonts-core/UnGraphic.ttf", "ko", PROBE),
    _face("UnGungseo", "truetype/unfonts-core/UnGungseo.ttf", "ko", PROBE),
    _face("UnShinmun", "truetype/unfonts-extra/UnShinmun.ttf", "ko", PROBE),
    _face("UnTaza", "truetype/unfonts-extra/UnTaza.ttf", "ko", PROBE),
    _face("UnPen", "truetype/unfonts-extra/UnPen.ttf", "ko", PROBE, hand=True),
    _face("UnPilgia", "truetype/unfonts-extra/UnPilgia.ttf", "ko", PROBE, hand=True),
    # Japanese, probe
    _face("VL PGothic", "truetype/vlgothic/VL-PGothic-Regular.ttf", "ja", PROBE),
    _face("Noto Sans Mono CJK JP", "opentype/noto/NotoSansCJK-Regular.ttc", "ja", PROBE, index=5),
    _face("Noto Sans CJK JP Bold", "opentype/noto/NotoSansCJK-Bold.ttc", "ja", PROBE),
    _face("Kiloji B", "truetype/kiloji/kiloji_b.ttf", "ja", PROBE, hand=True),
    _face("Kiloji D", "truetype/kiloji/kiloji_d.ttf", "ja", PROBE, hand=True),
)


def typefaces(*, lang: str, split: str, hand: bool | None = None) -> list[Typeface]:
    return [
        face
        for face in TYPEFACES
        if face.lang == lang and face.split == split and (hand is None or face.hand == hand) and face.available
    ]
