"""Which hosts may receive API keys and memos: loopback, the providers' own, and the environment's list."""

import pytest

from memo_coach.coaching.llm_hosts import allowed_hosts, host_of, refusal

DEFAULT = allowed_hosts("")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:11434/v1",
        "http://127.8.9.10/v1",
        "http://localhost:8080",
        "http://[::1]:9000/v1",
        "https://api.openai.com/v1",
        "https://API.Anthropic.com.",
    ],
)
def test_loopback_and_the_providers_own_hosts_are_allowed_by_default(url):
    assert refusal(url, DEFAULT) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://llm.evil.example/v1",
        "https://api.openai.com.evil.example/v1",
        "http://10.0.0.5:11434/v1",
        "http://127.1/v1",  # a shorthand clients resolve to loopback is not taken on trust
        "https://evil.example#@api.openai.com/",
    ],
)
def test_any_other_host_is_refused_naming_it_and_the_setting(url):
    why = refusal(url, DEFAULT)
    assert why is not None and "MEMO_COACH_LLM_ALLOWED_HOSTS" in why and "may not receive API keys" in why


def test_the_environment_adds_hosts():
    allowed = allowed_hosts(" llm.internal.example , 10.0.0.5,")
    assert refusal("https://LLM.internal.example/v1", allowed) is None
    assert refusal("http://10.0.0.5:11434/v1", allowed) is None
    assert refusal("https://api.openai.com/v1", allowed) is None
    assert refusal("https://other.example/v1", allowed) is not None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://127.0.0.1/v1", "http:// or https://"),
        ("127.0.0.1:8000/v1", "http:// or https://"),
        ("http://127.0.0.1:port/v1", "not a URL"),
        ("https://user:secret@api.openai.com/v1", "must not carry a user or password"),
    ],
)
def test_what_is_not_a_plain_url_is_refused_in_words(url, words):
    assert words in refusal(url, DEFAULT)


def test_the_host_recorded_is_never_the_user_part_or_path():
    assert host_of("https://user:secret@llm.example:8443/v1/path?key=1") == "llm.example:8443"
    assert host_of("https://api.openai.com/v1") == "api.openai.com"
