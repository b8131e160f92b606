"""The password policy: zxcvbn with the account's own words, after the length and deny-list checks."""

from __future__ import annotations

import threading

import pytest

from memo_coach.auth.password_policy import check_password, password_problem
from memo_coach.auth.password_strength import strength
from memo_coach.auth.passwords import generate_password
from memo_coach.errors import InvalidInput


@pytest.mark.parametrize(
    ("username", "password", "named"),
    [
        ("bob", "bob@memo-coach", "your username and the product's name"),
        ("bob", "Bob12345678!", "your username and common digits"),
        ("bob", "aaaaaaaaaaab1!", "repeated characters"),
        # variants: other names, other runs, other repeats, the product's name alone, an email account
        ("alice", "Alice12345678!", "your username"),
        ("bob", "BOB123456789?", "your username"),
        ("bob", "bob@memo-coach2025", "your username, the product's name"),
        ("bob", "MemoCoach!Bob!2025", "your username"),
        ("bob", "zzzzzzzzzzzzzy7#", "repeated characters"),
        ("carol@example.org", "Carol.Example.Org!1", "your username"),
        ("mallory", "Bob12345678!", "common digits"),  # someone else's name with a run of digits
        ("bob", "memo-coach-memo-coach", "the product's name"),
    ],
)
def test_guessable_passwords_are_refused_naming_why(username, password, named):
    problem = password_problem(password, 12, username)
    assert problem is not None and "too easy to guess" in problem, problem
    assert named in problem and "scores" in problem


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "bob-trellis-umbrella-oxbow", "xK9#mQ2$vL7pR4wZ", "Bobsled quartz lantern 91"],
)
def test_a_good_passphrase_or_a_random_password_is_accepted(password):
    assert password_problem(password, 12, "bob") is None


def test_the_breached_list_and_the_length_still_come_first():
    assert "common passwords" in password_problem("Summer2024!!!", 12, "bob")
    assert "at least 12 characters" in password_problem("Tr0ub4dor&3", 12, "bob")


def test_a_long_passphrase_is_scored_on_its_first_72_characters_without_an_error():
    assert password_problem("violet harbor " * 10, 12, "bob") is None
    assert password_problem("a" * 100 + "violet harbor", 12, "bob") is not None


def test_generated_passwords_always_pass():
    assert all(password_problem(generate_password(), 12, "admin") is None for _ in range(200))


def test_the_refusal_names_the_password_field():
    with pytest.raises(InvalidInput) as refused:
        check_password("bob@memo-coach", 12, "bob")
    assert refused.value.field == "password"


def test_two_threads_never_score_against_each_others_names():
    """zxcvbn keeps the user's words in a module global: without the lock, one thread's check could
    run with another's username and let a password built on its own name through."""
    results: list[int] = []

    def check(username: str, password: str) -> None:
        for _ in range(30):
            results.append(strength(password, username).score)

    threads = [
        threading.Thread(target=check, args=("quintessa", "Quintessa-8-Rhubarb")),
        threading.Thread(target=check, args=("zebulon", "violet harbor lantern")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    solo = strength("Quintessa-8-Rhubarb", "quintessa").score
    assert len(results) == 60 and results.count(solo) >= 30
