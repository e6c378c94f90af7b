"""A Korean address opens with one of the country's seventeen regions, by its full name (`서울특별시`, `경상남도`) or
as a city writes it short (`서울시`). A hand's reading of that first word is often one letter (jamo) off it:
`서출시`, `대구랑역시`, `서웃특벽시`, `서욱 특벽시`: 6 misread addresses of tuning seed 64 began so. Such a
word, followed by the rest of an address, is taken for the region it is closest to, where every other region
and city is at least two letters further off: `우산시` is one letter from both `부산시` and `울산시`, and stays, as
does `경주시`, a city one letter from `광주시`.
"""

from ocrengine.recognition.confidence import syllables
from ocrengine.recognition.grammar import rewritten, shared_letters
from ocrengine.recognition.spacing import Word

# As of 2024: full names, with the names in use before the three special self-governing provinces, and the short
# form of the eight cities. The two-syllable forms (`서울`, `경기`) are left out: one letter off, they are words.
REGIONS = (
    "서울특별시", "부산광역시", "대구광역시", "인천광역시", "광주광역시", "대전광역시", "울산광역시",
    "세종특별자치시", "경기도", "강원특별자치도", "강원도", "충청북도", "충청남도", "전북특별자치도", "전라북도",
    "전라남도", "경상북도", "경상남도", "제주특별자치도", "제주도",
    "서울시", "부산시", "대구시", "인천시", "광주시", "대전시", "울산시", "세종시",
)  # fmt: skip
# The cities (시) of the provinces, as of 2024. An address may open with one (`수원시 팔달구`), and several lie one
# letter off a city's short form above (`경주시` and `공주시` off `광주시`, `이천시` off `인천시`): a reading of one
# stays, and a reading about as close to one as to a region is no region's.
CITIES = (
    "수원시", "성남시", "의정부시", "안양시", "부천시", "광명시", "평택시", "동두천시", "안산시", "고양시", "과천시",
    "구리시", "남양주시", "오산시", "시흥시", "군포시", "의왕시", "하남시", "용인시", "파주시", "이천시", "안성시",
    "김포시", "화성시", "양주시", "포천시", "여주시", "춘천시", "원주시", "강릉시", "동해시", "태백시", "속초시",
    "삼척시", "청주시", "충주시", "제천시", "천안시", "공주시", "보령시", "아산시", "서산시", "논산시", "계룡시",
    "당진시", "전주시", "군산시", "익산시", "정읍시", "남원시", "김제시", "목포시", "여수시", "순천시", "나주시",
    "광양시", "포항시", "경주시", "김천시", "안동시", "구미시", "영주시", "영천시", "상주시", "문경시", "경산시",
    "창원시", "진주시", "통영시", "사천시", "김해시", "밀양시", "거제시", "양산시", "제주시", "서귀포시",
)  # fmt: skip
PLACES = REGIONS + CITIES
# What follows the region in an address: a district, city, county or town (`강남구`, `수원시`, `달성군`,
# `조치원읍`) and then another part of the address or a number, or a road (`테헤란로`, `세종대로`) and its number.
# The last letter alone says little: `로` is also a particle (`서울서 부산으로 이사`, `경비도 별도로 청구`),
# and `구` and `길` end names and words (`강원호 김영구`, `친구`).
DISTRICT_ENDS = frozenset("구군시읍면동")
ROAD_ENDS = frozenset("로길")
PART_ENDS = DISTRICT_ENDS | ROAD_ENDS | frozenset("리가")
LONG = 5  # syllables: a name this long may be two letters off; a shorter one only one
CLEAR = 2  # letters: the next closest region or city is at least this much further off


def korean_region(text: str, words: list[Word]) -> tuple[str, list[Word]]:
    """The text and words with the first word of an address put right where it is a letter or two off a region;
    unchanged otherwise. The first word may have been read as two (`서욱 특벽시`): the two are tried together."""
    parts = text.split(" ")
    for count in (1, 2):
        if "" in parts[:count] or not _address_follows(parts[count:]):
            continue
        read = "".join(parts[:count])
        region = _closest(read)
        if region is None:
            continue
        dropped = {len(parts[0])} if count == 2 else set()
        fixed = list(region[: len(parts[0])]) + ([" "] if count == 2 else []) + list(region[len(parts[0]) :])
        fixed += list(text[len(fixed) :])
        return region + text[len(read) + count - 1 :], rewritten(words, fixed, dropped)
    return text, words


def _address_follows(rest: list[str]) -> bool:
    """The words after the region's are an address's: a district and another part or a number, or a road and
    its number."""
    if len(rest) < 2 or len(rest[0]) < 2 or not rest[1]:
        return False
    number = rest[1][0].isdigit()
    if rest[0][-1] in DISTRICT_ENDS:
        return number or rest[1][-1] in PART_ENDS
    return rest[0][-1] in ROAD_ENDS and number


def _closest(read: str) -> str | None:
    """The one region `read` is off by the fewest letters, within the limit, where every other region and city is
    clearly further off (a long name two letters off one may be a letter nearer another: `룰산광역시` is one off
    울산광역시 and two off 부산광역시); None when `read` is a region or a city as it stands, or no region is close
    enough."""
    # Only syllables are taken apart into letters: a character before the Hangul block would come apart too.
    if read in PLACES or not syllables(read):
        return None
    found = sorted((distance, place) for place in PLACES if (distance := _letters_off(read, place)) is not None)
    if not found or (len(found) > 1 and found[1][0] < found[0][0] + CLEAR):
        return None
    distance, place = found[0]
    return place if place in REGIONS and distance <= (2 if len(read) >= LONG else 1) else None


def _letters_off(read: str, region: str) -> int | None:
    """Letters of `read` that differ from `region`'s, syllable by syllable (`서웃특벽시` is two off `서울특별시`,
    `랑역시` two off `광역시`); None if the two differ in length."""
    if len(read) != len(region):
        return None
    return sum(3 - shared_letters(a, b) for a, b in zip(read, region, strict=True))
