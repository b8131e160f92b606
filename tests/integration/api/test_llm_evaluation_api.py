"""The LLM path end to end over real HTTP to the fake server, and the offline fallback when it fails."""

from pydantic import SecretStr

from tests.support.helpers import use_fake_llm

MEMO = "We should move to one vendor. It saves $120,000 a year. We ask for approval by Friday."


def use_llm(app, fake, provider="openai", failure_threshold=5):
    base = fake.openai_base_url if provider == "openai" else fake.anthropic_base_url
    use_fake_llm(app, base, provider, max_retries=1, timeout=1, failure_threshold=failure_threshold)


def submit(client, headers):
    return client.post("/api/v1/evaluations/submit", headers=headers, json={"text_content": MEMO})


def test_an_openai_compatible_server_evaluates_the_memo(app, client, writer_headers, fake):
    use_llm(app, fake)
    ev = submit(client, writer_headers).json()["data"]
    assert (ev["provider"], ev["model"], ev["degraded"]) == ("openai", "fake-model", False)
    assert fake.request_count == 1 and fake.requests[0]["path"] == "/v1/chat/completions"
    assert all(seg["quote"] in MEMO for seg in ev["segment_feedback"])


def test_anthropic_evaluates_the_memo(app, client, writer_headers, fake, monkeypatch):
    app.state.runtime.settings.anthropic_api_key = SecretStr("test-key-not-real")
    use_llm(app, fake, provider="anthropic")
    ev = submit(client, writer_headers).json()["data"]
    assert (ev["provider"], ev["degraded"]) == ("anthropic", False)
    assert fake.requests[0]["path"] == "/v1/messages"


def test_a_failing_llm_falls_back_to_the_offline_analyzer_and_says_so(app, client, writer_headers, fake):
    use_llm(app, fake)
    fake.default = "status:500"
    ev = submit(client, writer_headers).json()["data"]
    assert ev["status"] == "completed" and ev["degraded"] is True and ev["provider"] == "offline"
    assert "unavailable" in ev["degraded_reason"]
    assert fake.request_count == 2  # one try and one retry (max_retries: 1)


def test_an_open_breaker_skips_the_llm_entirely(app, client, writer_headers, fake):
    use_llm(app, fake, failure_threshold=1)
    fake.default = "status:529"
    submit(client, writer_headers)
    sent = fake.request_count
    ev = submit(client, writer_headers).json()["data"]
    assert ev["degraded"] is True and fake.request_count == sent
