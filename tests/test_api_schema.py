"""The API against its own OpenAPI schema: schemathesis generates calls for every operation, none may 5xx."""

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, seed
from hypothesis import settings as hypothesis_settings
from knox.models import AuthToken

from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES_PER_OPERATION = 20
SEED = 20261130


def openapi_schema() -> dict:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(raw, cls=DjangoJSONEncoder))


def test_the_schema_is_served_and_documents_every_contract_call(supervisor_client):
    paths = supervisor_client.get("/api/schema/?format=json").json()["paths"]

    for path in [
        "/api/auth/token/", "/api/auth/logout/", "/api/documents/", "/api/documents/{id}/", "/api/fields/{id}/",
        "/api/documents/{id}/approve/", "/api/documents/{id}/reject/", "/api/exports/csv/", "/api/exports/",
        "/api/templates/",
    ]:  # fmt: skip
        assert path in paths
    list_parameters = {parameter["name"] for parameter in paths["/api/documents/"]["get"]["parameters"]}
    assert {"status", "template", "validation", "page", "page_size", "ordering"} <= list_parameters


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(supervisor_client):
    page = supervisor_client.get("/api/docs/").content.decode()
    script = supervisor_client.get("/api/docs/?script=")

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<style" not in page and "<script>" not in page
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")


def test_generated_calls_to_every_operation_get_no_server_error(live_server, supervisor, make_document, replay):
    replay.answer = lambda received: respond(received, [make.template_page()])
    for number in range(3):
        make_document(content=samples.png(1000, 1000), name=f"claim-{number}.png")
    headers = {"Authorization": f"Token {AuthToken.objects.create(user=supervisor)[1]}"}
    schema = schemathesis.openapi.from_dict(openapi_schema())
    failures = []

    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/api/auth/logout"):
            continue  # would end the token the other calls are made with

        # Seeded: the same cases on every run, so a failure is the code's, reproducible, not the draw's.
        @seed(SEED)
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        @given(case=operation.as_strategy())
        def call(case) -> None:
            response = case.call(base_url=live_server.url, headers=headers, timeout=60)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} → {response.status_code}")

        call()

    assert failures == []
