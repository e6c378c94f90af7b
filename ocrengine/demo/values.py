"""Values people write into forms, by kind and language, put together from parts so few repeat exactly."""

import random
from collections.abc import Callable

KO_SURNAMES = (
    "김이박최정강조윤장임한오서신권황안송류홍전고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여"
    "추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈동온호범좌팽승간상갈시위"
)
KO_GIVEN = (
    "민서지현수영준우진하은도윤예채원승유나연주희성호재태동혜경정미선아인상철용석보람솔찬빈규환건율소다온한결시후이안"
)
KO_DEPARTMENTS = [
    "영업",
    "총무",
    "인사",
    "재무회계",
    "기획",
    "개발",
    "마케팅",
    "고객지원",
    "구매",
    "품질관리",
    "법무",
    "홍보",
]
KO_COMPANIES = ["한빛", "새롬", "다온", "미래", "대한", "누리", "한결", "푸른", "세종", "가온", "하늘", "동방"]
KO_TRADES = ["산업", "물산", "전자", "건설", "상사", "테크", "제약", "유통", "식품", "해운"]
KO_CITIES = [
    ("서울특별시", ["강남구", "종로구", "마포구", "송파구", "영등포구"]),
    ("부산광역시", ["해운대구", "수영구", "동래구", "사하구"]),
    ("대구광역시", ["수성구", "중구", "달서구"]),
    ("인천광역시", ["연수구", "남동구", "부평구"]),
    ("대전광역시", ["유성구", "서구", "대덕구"]),
    ("경기도 수원시", ["팔달구", "영통구", "장안구"]),
    ("경기도 성남시", ["분당구", "수정구"]),
]
KO_ROADS = [
    "테헤란로",
    "세종대로",
    "중앙대로",
    "번영로",
    "대학로",
    "월드컵로",
    "판교역로",
    "동성로",
    "올림픽로",
    "하늘길",
]
KO_BANKS = ["국민은행", "신한은행", "우리은행", "하나은행", "농협은행", "기업은행", "부산은행", "카카오뱅크", "우체국"]
KO_WORDS = (
    "보험금 청구 서류 접수 확인 결과 안내 고객 요청 처리 완료 예정 기간 내용 변경 신청 본인 가족 방문 수령".split()
)
KO_CAR = "가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주하허호"

JA_SURNAMES = (
    "山田 佐藤 鈴木 高橋 田中 伊藤 渡辺 小林 加藤 吉田 山本 中村 松本 井上 木村 林 清水 斎藤 阿部 森 池田 "
    "橋本 石川 前田 藤田 後藤 岡田 長谷川 村上 近藤 坂本 遠藤 青木 西村 福田 太田 三浦 藤井 岡本 松田 中野"
).split()
JA_GIVEN = (
    "太郎 花子 一郎 美咲 健太 さくら 拓也 翔 大輝 陽菜 結衣 葵 蓮 悠真 由美 恵子 直樹 裕子 智子 秀明 和也 "
    "洋平 千尋 優花"
).split()
JA_PLACES = [
    ("東京都", ["新宿区西新宿", "千代田区丸の内", "港区芝浦", "世田谷区三軒茶屋"]),
    ("大阪府", ["大阪市北区梅田", "大阪市中央区本町", "堺市堺区"]),
    ("京都府", ["京都市中京区", "京都市左京区"]),
    ("福岡県", ["福岡市博多区", "北九州市小倉北区"]),
    ("北海道", ["札幌市中央区", "函館市本町"]),
    ("神奈川県", ["横浜市港南区", "川崎市中原区"]),
    ("愛知県", ["名古屋市中区", "豊田市元町"]),
]
JA_DEPARTMENTS = ["営業部", "総務課", "経理部", "人事部", "企画部", "開発第二部", "品質管理課", "営業第一課"]
JA_WORDS = "保険 請求 書類 受付 確認 結果 案内 依頼 処理 完了 予定 期間 内容 変更 申請 本人 家族 来店 受取".split()
JA_COMPANIES = ["山田商事", "東洋工業", "日本精機", "青葉物産", "北斗電機", "朝日建設", "大和食品", "光陽運輸"]


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def _date(rng: random.Random, style: str) -> str:
    year, month, day = rng.randint(2020, 2027), rng.randint(1, 12), rng.randint(1, 28)
    if style == "dot":
        return f"{year}.{month:02d}.{day:02d}"
    if style == "slash":
        return f"{year}/{month:02d}/{day:02d}"
    if style == "ko":
        return f"{year}년 {month}월 {day}일"
    if style == "ja":
        return f"{year}年{month}月{day}日"
    return f"{year}-{month:02d}-{day:02d}"


def _amount(rng: random.Random) -> str:
    value = rng.randint(1, 9999) * rng.choice([100, 1000, 10000])
    return f"{value:,}" if rng.random() < 0.5 else str(value)


def _email(rng: random.Random) -> str:
    user = rng.choice(["kim", "lee", "park", "choi", "jung", "yamada", "sato", "info", "office", "hana"])
    user += rng.choice(["", ".", "_"]) + str(rng.randint(1, 999)) if rng.random() < 0.8 else ""
    domain = rng.choice(["example.com", "example.co.kr", "mail.example.jp", "corp.example.net"])
    return f"{user}@{domain}"


KO: dict[str, Callable[[random.Random], str]] = {
    "name": lambda rng: rng.choice(KO_SURNAMES) + rng.choice(KO_GIVEN) + rng.choice(KO_GIVEN),
    "department": lambda rng: rng.choice(KO_DEPARTMENTS) + rng.choice(["", "", "1", "2", "3"]) + rng.choice("팀부실"),
    "company": lambda rng: rng.choice(["(주)", "주식회사 "]) + rng.choice(KO_COMPANIES) + rng.choice(KO_TRADES),
    "mobile": lambda rng: f"010-{_digits(rng, 4)}-{_digits(rng, 4)}",
    "tel": lambda rng: f"0{rng.choice([2, 31, 32, 51, 53, 62])}-{_digits(rng, rng.choice([3, 4]))}-{_digits(rng, 4)}",
    "email": _email,
    "date": lambda rng: _date(rng, rng.choice(["iso", "dot", "ko"])),
    "address": lambda rng: _ko_address(rng),
    "bank": lambda rng: rng.choice(KO_BANKS),
    "account": lambda rng: f"{_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 6)}",
    "amount": _amount,
    "car": lambda rng: f"{rng.randint(10, 399)}{rng.choice(KO_CAR)} {_digits(rng, 4)}",
    "memo": lambda rng: " ".join(rng.choice(KO_WORDS) for _ in range(rng.randint(2, 4))),
    "digits6": lambda rng: _digits(rng, 6),
    "digits5": lambda rng: _digits(rng, 5),
    "digits8": lambda rng: _digits(rng, 8),
}

JA: dict[str, Callable[[random.Random], str]] = {
    "name": lambda rng: f"{rng.choice(JA_SURNAMES)} {rng.choice(JA_GIVEN)}",
    "department": lambda rng: rng.choice(JA_DEPARTMENTS),
    "company": lambda rng: rng.choice(["株式会社", "有限会社"]) + rng.choice(JA_COMPANIES),
    "mobile": lambda rng: f"0{rng.choice([70, 80, 90])}-{_digits(rng, 4)}-{_digits(rng, 4)}",
    "tel": lambda rng: f"0{rng.choice([3, 6, 45, 52, 92])}-{_digits(rng, rng.choice([3, 4]))}-{_digits(rng, 4)}",
    "email": _email,
    "date": lambda rng: _date(rng, rng.choice(["iso", "slash", "ja"])),
    "address": lambda rng: _ja_address(rng),
    "amount": _amount,
    "memo": lambda rng: " ".join(rng.choice(JA_WORDS) for _ in range(rng.randint(2, 3))),
    "digits7": lambda rng: _digits(rng, 7),
    "digits8": lambda rng: _digits(rng, 8),
    "digits6": lambda rng: _digits(rng, 6),
}


def _ko_address(rng: random.Random) -> str:
    city, districts = rng.choice(KO_CITIES)
    number = str(rng.randint(1, 399)) if rng.random() < 0.7 else f"{rng.randint(1, 99)}-{rng.randint(1, 20)}"
    address = f"{city} {rng.choice(districts)} {rng.choice(KO_ROADS)} {number}"
    if rng.random() < 0.3:
        address += f" {rng.randint(101, 120)}동 {rng.randint(1, 20)}0{rng.randint(1, 4)}호"
    return address


def _ja_address(rng: random.Random) -> str:
    prefecture, towns = rng.choice(JA_PLACES)
    if rng.random() < 0.5:
        number = f"{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
    else:
        number = f"{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号"
    return f"{prefecture}{rng.choice(towns)}{number}"


def value(kind: str, lang: str, rng: random.Random) -> str:
    return (KO if lang == "ko" else JA)[kind](rng)
