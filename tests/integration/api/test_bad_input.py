"""Bad input gets a 4xx with a code and a field in the envelope, never a 500, and nothing is stored."""

import pytest

URL = "/api/v1/evaluations/submit"


def error_of(response):
    body = response.json()
    assert body["data"] is None and body["meta"]["request_id"]
    return body["errors"][0]


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"text_content": ""}, "empty_text", "text_content"),
        ({"text_content": "  \n\t "}, "empty_text", "text_content"),
        ({"text_content": "x" * 20_001}, "text_too_long", "text_content"),
        ({"text_content": 42}, "invalid_value", "text_content"),
        ({"text_content": None}, "invalid_value", "text_content"),
        ({}, "missing_field", "text_content"),
        ({"text_content": "fine", "colour": "red"}, "unknown_field", "colour"),
        ({"text_content": "fine", "memo_id": "seven"}, "invalid_value", "memo_id"),
    ],
)
def test_invalid_submissions_name_the_field(client, writer_headers, payload, code, field):
    response = client.post(URL, headers=writer_headers, json=payload)
    assert response.status_code == 422, response.text
    err = error_of(response)
    assert (err["code"], err["field"]) == (code, field)


def test_invalid_json_is_a_400(client, writer_headers):
    response = client.post(
        URL, headers={**writer_headers, "Content-Type": "application/json"}, content=b'{"text_content": '
    )
    assert response.status_code == 400 and error_of(response)["code"] == "invalid_json"


def test_invalid_utf8_is_a_400(client, writer_headers):
    response = client.post(
        URL, headers={**writer_headers, "Content-Type": "application/json"}, content=b'{"text_content": "caf\xe9 \xff"}'
    )
    assert response.status_code == 400 and error_of(response)["code"] in {"invalid_json", "invalid_body"}


def test_a_body_over_one_mebibyte_is_refused(client, writer_headers):
    big = b'{"text_content": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    response = client.post(URL, headers={**writer_headers, "Content-Type": "application/json"}, content=big)
    assert response.status_code == 413 and error_of(response)["code"] == "payload_too_large"


def test_a_chunked_body_over_the_limit_is_refused_too(client, writer_headers):
    def chunks():
        yield b'{"text_content": "'
        for _ in range(20):
            yield b"a" * 65536
        yield b'"}'

    response = client.post(URL, headers={**writer_headers, "Content-Type": "application/json"}, content=chunks())
    assert response.status_code == 413


def test_the_text_limit_is_inclusive(client, writer_headers):
    response = client.post(URL, headers=writer_headers, json={"text_content": "Word. " * 3333 + "ab"})
    assert response.status_code == 201, response.text[:300]


def test_nothing_is_stored_for_a_refused_memo(client, writer_headers):
    client.post(URL, headers=writer_headers, json={"text_content": " "})
    assert client.get("/api/v1/evaluations", headers=writer_headers).json()["meta"]["pagination"]["total"] == 0


def test_unknown_routes_and_methods_use_the_envelope(client):
    assert error_of(client.get("/api/v1/nothing-here"))["code"] == "not_found"
    assert error_of(client.delete("/api/v1/auth/login"))["code"] == "method_not_allowed"


def test_a_request_id_is_echoed_or_created(client):
    assert client.get("/health", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    assert len(client.get("/health", headers={"X-Request-ID": "bad id!"}).headers["x-request-id"]) == 32
