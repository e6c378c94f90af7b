"""`make bench`, the review page: server time and SQL queries for a 5-page document, with many and few fields."""

import io
import json
import statistics
import time

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.clova.protocol import parse_response
from documents.models import OcrCall
from documents.roles import REVIEWER
from documents.services import document_render_pages, document_upload
from documents.services.ocr_store import Scale, page_result_store
from tests import clova_fixtures as make
from tests import samples

REQUESTS = 30


def answer(pages: int, fields: int) -> str:
    """Template OCR's answer: text fields, with a multi-box and a checkbox in every ten."""
    images = []
    for index in range(pages):
        page_fields = []
        for number in range(fields):
            top = 20 + number * 55
            if number % 10 == 1:
                page_fields.append(make.multibox(f"code {number}", "123456", 400, top, cell=40))
            elif number % 10 == 2:
                page_fields.append(make.checkbox(f"check {number}", number % 3 == 0, (40, top, 40, 40)))
            else:
                page_fields.append(make.field(f"field {number}", f"value {number} 가나다", (100, top, 600, 45)))
        image = make.image(
            page_fields, matchedTemplate={"id": 390, "name": "bench"}, validationResult={"result": "VALID"}
        )
        image["convertedImageInfo"] = {"width": 1654, "height": 2339, "pageIndex": index}
        images.append(image)
    return json.dumps({"version": "V2", "requestId": "bench", "timestamp": 1, "images": images}, ensure_ascii=False)


def document_with(user, fields: int):
    document = document_upload(file=io.BytesIO(samples.pdf(5)), name=f"{fields}.pdf", uploaded_by=user).document
    if not document.pages.exists():
        document_render_pages(document=document)
    raw = answer(5, fields)
    call = OcrCall.objects.create(
        document=document, kind="infer", page_indexes=[0, 1, 2, 3, 4], sent_format="pdf", request_id="bench",
        started_at=timezone.now(), raw_response=raw,
    )  # fmt: skip
    for page, image in zip(document.pages.order_by("index"), parse_response(raw).images, strict=True):
        page_result_store(page=page, image=image, scale=Scale(1.0, 1.0), call=call)
    document.status = "needs_review"
    document.save(update_fields=["status"])
    return document


def bench_review_page(user) -> None:
    user.groups.add(Group.objects.get(name=REVIEWER))
    client = Client()
    client.force_login(user)
    print(
        f"Review page: server time of GET /documents/{{id}}/, median of {REQUESTS} requests "
        "(targets: ≤ 12 queries, ≤ 100 ms)"
    )
    for fields in (40, 4):
        document = document_with(user, fields)
        url = f"/documents/{document.pk}/"
        client.get(url)  # templates compiled, connections warm
        timings = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(
            f"  5 pages × {fields:>2} fields  median {statistics.median(timings) * 1000:6.1f} ms   "
            f"p90 {sorted(timings)[int(REQUESTS * 0.9)] * 1000:6.1f} ms   {len(queries)} queries   "
            f"{len(response.content) / 1024:,.0f} KB of HTML"
        )
