"""Schema-driven fuzzing of the API as a writer and as an admin: whatever schemathesis generates, the
answer is never a 5xx, its status is declared in /openapi.json, and so is its content type."""

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from memo_coach.web.app import create_app
from tests.support.helpers import create_user, initialise, make_settings, sign_in


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz")
    cfg = make_settings(path, f"sqlite:///{path / 'fuzz.db'}")
    password = initialise(cfg).admin_password
    app = create_app(cfg)
    with TestClient(app) as client:
        admin = sign_in(client, "admin", password)
        writer = create_user(client, admin, "fuzz-writer")
    return app, {"writer": writer, "admin": admin}


# Signing out or ending one's own sessions would end the shared session the other cases use.
SKIPPED = ("/logout", "/account/sessions/{session_id}")


def check(case, headers) -> None:
    if case.path.endswith(SKIPPED):
        return
    response = case.call(headers=headers)
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:300])
    case.validate_response(response, checks=[status_code_conformance, content_type_conformance])
    # Downloads (the config zip, audit exports) and the Markdown report are files, not the envelope.
    download = "attachment" in response.headers.get("content-disposition", "")
    json_answer = str(response.headers.get("content-type", "")).startswith("application/json")
    if case.path.startswith("/api/") and json_answer and not download:
        assert set(response.json()) == {"data", "meta", "errors"}


@pytest.mark.parametrize("identity", ["writer", "admin"])
def test_no_generated_request_gets_a_500_or_an_undeclared_answer(fuzz_target, identity):
    app, sessions = fuzz_target
    headers = sessions[identity]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def run(case):
            check(case, headers)

        run()


@pytest.mark.parametrize(
    ("method", "path", "allowed"), [("DELETE", "/api/v1/evaluations", "GET"), ("POST", "/health", "GET")]
)
def test_a_wrong_method_is_answered_405_with_allow(fuzz_target, method, path, allowed):
    app, _ = fuzz_target
    with TestClient(app) as client:
        response = client.request(method, path)
    assert response.status_code == 405
    assert sorted(response.headers["allow"].split(", ")) == sorted(allowed.split(", "))
