"""Schema-driven fuzzing of the API: whatever schemathesis generates, the answer is never a 500."""

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from memo_coach.bootstrap import initialise
from memo_coach.web.app import create_app
from tests.support.helpers import make_settings, sign_in


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz")
    cfg = make_settings(path, f"sqlite:///{path / 'fuzz.db'}")
    password = initialise(cfg).admin_password
    app = create_app(cfg)
    with TestClient(app) as client:
        headers = sign_in(client, "admin", password)
    return app, headers


def check(case, headers) -> None:
    if case.path.endswith("/logout"):
        return  # signing out would end the shared admin session the other cases use
    response = case.call(headers=headers)
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:300])
    kind = str(response.headers.get("content-type"))
    download = response.status_code == 200 and ("application/zip" in kind or "text/markdown" in kind)
    if case.path.startswith("/api/") and not download:  # the configuration export (zip), a review (Markdown)
        assert set(response.json()) == {"data", "meta", "errors"}


def test_no_generated_request_gets_a_500(fuzz_target):
    app, headers = fuzz_target
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def run(case):
            check(case, headers)

        run()
