import base64
import json
import logging
import time
import uuid

import httpx
import pytest

from documents.clova import client_from_settings
from documents.clova.client import ClovaClient, Domain, RetryPolicy
from documents.clova.errors import (
    OcrConfigurationError,
    OcrError,
    OcrNetworkError,
    OcrProtocolError,
    OcrQuotaError,
    OcrRequestError,
    OcrRetryableError,
    OcrTimeout,
)
from tests import samples
from tests.clova_replay import SECRET, ClovaReplay, Reply, error_reply

URL = "https://clova.example/custom/v1/42/abc"


@pytest.fixture
def local_replay() -> ClovaReplay:
    return ClovaReplay()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(local_replay, sleeps) -> ClovaClient:
    return make_client(local_replay, sleeps)


def make_client(replay, sleeps, **options) -> ClovaClient:
    return ClovaClient(
        template=Domain(URL, SECRET),
        general=Domain(URL.replace("42", "43"), SECRET),
        transport=replay.transport(),
        retry=options.pop("retry", RetryPolicy(attempts=4, base_delay=1.0, max_delay=8.0)),
        sleep=sleeps.append,
        **options,
    )


def infer(client, **options):
    options.setdefault("content", samples.png())
    options.setdefault("file_format", "png")
    options.setdefault("name", "document-1-pages-1-1")
    return client.infer(**options)


# --- requests ----------------------------------------------------------------------------------------


def test_a_template_call_speaks_the_protocol_in_multipart(client, local_replay):
    content = samples.png()
    before = int(time.time() * 1000)

    answer = client.infer(content=content, file_format="png", name="doc-1", langs=["ko", "ja"], template_ids=[390, 7])

    [received] = local_replay.received
    assert local_replay.violations == []
    assert received.call == "infer"
    assert received.encoding == "multipart"
    assert received.headers["X-OCR-SECRET"] == SECRET
    assert received.content == content
    message = received.message
    assert message["version"] == "V2"
    assert uuid.UUID(message["requestId"])
    assert before <= message["timestamp"] <= int(time.time() * 1000)
    assert message["lang"] == "ko,ja"
    assert message["images"] == [{"format": "png", "name": "doc-1", "templateIds": [390, 7]}]
    assert answer.request_id == message["requestId"]
    assert answer.attempts == 1


def test_no_language_chosen_sends_no_lang_so_the_domain_setting_applies(client, local_replay):
    client.infer(content=samples.png(), file_format="png", name="doc-1", langs=[])

    [received] = local_replay.received
    assert "lang" not in received.message


def test_each_call_gets_a_fresh_request_id(client, local_replay):
    infer(client)
    infer(client)

    first, second = (received.message["requestId"] for received in local_replay.received)
    assert first != second


def test_a_text_call_goes_to_general_with_table_detection(client, local_replay):
    client.general(content=samples.pdf(1), file_format="pdf", name="doc", langs=["zh-TW"], table_detection=True)

    [received] = local_replay.received
    assert received.call == "general"
    assert received.message["enableTableDetection"] is True
    assert "templateIds" not in received.image
    assert local_replay.violations == []


def test_the_json_encoding_sends_base64_data(local_replay, sleeps, settings):
    settings.OCR_ENCODING = "json"
    settings.OCR_TEMPLATE_INVOKE_URL = URL
    settings.OCR_TEMPLATE_SECRET = SECRET
    client = client_from_settings(transport=local_replay.transport())
    content = samples.pdf(2)

    client.infer(content=content, file_format="pdf", name="doc")

    [received] = local_replay.received
    assert received.encoding == "json"
    assert received.headers["Content-Type"].startswith("application/json")
    assert base64.b64decode(received.image["data"]) == content
    assert local_replay.violations == []


def test_the_timeouts_are_explicit(client):
    timeout = client.http.timeout

    assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (5.0, 120.0, 60.0, 10.0)


# --- errors and retries ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["0025", "0500", "0501"])
def test_transient_codes_are_retried_until_they_pass(client, local_replay, sleeps, code):
    local_replay.script.extend([error_reply(code), error_reply(code)])

    answer = infer(client)

    assert answer.attempts == 3
    assert len(sleeps) == 2


def test_retries_are_bounded(client, local_replay, sleeps):
    local_replay.script.extend([error_reply("0500")] * 10)

    with pytest.raises(OcrRetryableError) as error:
        infer(client)

    assert error.value.code == "0500"
    assert error.value.attempts == 4
    assert len(local_replay.received) == 4


def test_backoff_grows_exponentially_with_jitter_and_a_cap(client, local_replay, sleeps):
    local_replay.script.extend([error_reply("0025")] * 3)

    infer(client)

    windows = [1.0, 2.0, 4.0]
    assert all(0 <= slept <= window for slept, window in zip(sleeps, windows, strict=True))
    assert RetryPolicy(base_delay=1, max_delay=8).delay(20) <= 8


def test_a_retry_after_header_is_respected(client, local_replay, sleeps):
    reply = error_reply("0025")
    reply.headers = {"Retry-After": "3"}
    local_replay.script.append(reply)

    infer(client)

    assert sleeps[0] >= 3


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (Reply(status=502, body="<html>Bad gateway</html>"), OcrRetryableError),
        (Reply(status=503, body=""), OcrRetryableError),
        (Reply(timeout=True), OcrTimeout),
    ],
    ids=["502-html", "503-empty", "timeout"],
)
def test_server_errors_and_timeouts_are_retried(client, local_replay, sleeps, reply, kind):
    local_replay.script.append(reply)

    assert infer(client).attempts == 2


def test_network_errors_are_retried_then_reported(sleeps):
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    client = ClovaClient(
        template=Domain(URL, SECRET),
        general=None,
        transport=httpx.MockTransport(refuse),
        retry=RetryPolicy(attempts=3, base_delay=0.1),
        sleep=sleeps.append,
    )

    with pytest.raises(OcrNetworkError) as error:
        infer(client)

    assert error.value.attempts == 3


def test_quota_holds_at_once_without_retrying(client, local_replay, sleeps):
    local_replay.script.append(error_reply("0023", "API request count reached the upper limit"))

    with pytest.raises(OcrQuotaError) as error:
        infer(client)

    assert error.value.attempts == 1 and sleeps == []
    assert "tried again later" in error.value.message


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("0001", "OCR_*_INVOKE_URL"),
        ("0002", "OCR_*_SECRET"),
        ("0021", "V2"),
        ("0022", "OCR_*_INVOKE_URL"),
        ("1021", "Deploy"),
    ],
)
def test_configuration_errors_stop_at_once_with_an_actionable_reason(client, local_replay, sleeps, code, hint):
    local_replay.script.append(error_reply(code))

    with pytest.raises(OcrConfigurationError) as error:
        infer(client)

    assert error.value.code == code
    assert hint in error.value.message
    assert len(local_replay.received) == 1 and sleeps == []


def test_a_wrong_secret_is_a_configuration_error(local_replay, sleeps):
    client = ClovaClient(
        template=Domain(URL, "wrong"), general=None, transport=local_replay.transport(), sleep=sleeps.append
    )

    with pytest.raises(OcrConfigurationError) as error:
        infer(client)

    assert error.value.code == "0002" and error.value.http_status == 401


def test_a_refused_request_carries_clova_s_message(client, local_replay):
    local_replay.script.append(error_reply("0011", "Request invalid: image is broken"))

    with pytest.raises(OcrRequestError) as error:
        infer(client)

    assert error.value.code == "0011"
    assert "image is broken" in error.value.message


def test_table_detection_switched_off_falls_back_to_words(client, local_replay):
    local_replay.script.append(error_reply("0028", "table extractor is off"))

    answer = client.general(content=samples.png(), file_format="png", name="doc", table_detection=True)

    first, second = local_replay.received
    assert first.message["enableTableDetection"] is True
    assert "enableTableDetection" not in second.message
    assert answer.response.images


@pytest.mark.parametrize(
    "reply",
    [
        Reply(body="<html>ok</html>"),
        Reply(body={"result": "fine"}),
        Reply(body={"images": "none"}),
        Reply(body={"images": [{"fields": {"not": "a list"}}]}),
        Reply(status=404, body="<html>not found</html>"),
    ],
    ids=["html", "other-json", "images-not-list", "fields-not-list", "404-html"],
)
def test_a_body_that_is_not_the_protocol_is_an_error(client, local_replay, reply):
    local_replay.script.append(reply)

    with pytest.raises(OcrProtocolError):
        infer(client)


def test_no_invoke_url_is_a_configuration_error(sleeps):
    client = ClovaClient(template=None, general=None, sleep=sleeps.append)

    with pytest.raises(OcrConfigurationError):
        infer(client)


# --- secrets -----------------------------------------------------------------------------------------


def test_the_secret_never_reaches_logs_errors_or_reprs(local_replay, sleeps, caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "documents"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    client = make_client(local_replay, sleeps)
    local_replay.script.extend([error_reply("0500"), error_reply("0002")])

    with pytest.raises(OcrError) as error:
        infer(client)

    assert caplog.records, "the check needs DEBUG logging to have happened"
    everything = "\n".join(record.getMessage() for record in caplog.records)
    assert SECRET not in everything
    assert SECRET not in str(error.value) and SECRET not in repr(error.value) and SECRET not in error.value.raw
    assert SECRET not in repr(client.domains)


def test_only_the_header_carries_the_secret(client, local_replay):
    infer(client)

    [received] = local_replay.received
    assert SECRET not in json.dumps(received.message)
