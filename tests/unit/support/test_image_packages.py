"""The container image's review on a crafted package list and crafted apt lists: its age, and which of its
packages Debian's security archive has a newer version of (no network, no image)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta

from memo_coach.support.image_packages import image_review, parse_image_packages, summary

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

PACKAGES = """# base-created: 2026-02-20T08:00:00Z
# suite: bookworm
# image-built: 2026-02-21T09:30:00Z
libc6\t2.36-9+deb12u9\tamd64
libssl3\t3.0.15-1~deb12u1\tamd64
openssl\t3.0.15-1~deb12u1\tamd64
python3.11\t3.11.2-6+deb12u5\tamd64
zlib1g\t1:1.2.13.dfsg-1\tamd64
"""


def stanza(package: str, version: str) -> str:
    return f"Package: {package}\nSource: x\nVersion: {version}\nArchitecture: amd64\nDescription: d\n\n"


def lists_dir(tmp_path, *, security: str, other: str = ""):
    """apt's file names: the archive's URL path with / as _, plain or compressed."""
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages").write_text(security)
    (lists / "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages").write_text(other)
    return lists


def package_list(tmp_path, text: str = PACKAGES):
    path = tmp_path / "image-packages.txt"
    path.write_text(text)
    return path


def test_the_recorded_list_is_read_with_its_dates():
    recorded = parse_image_packages(PACKAGES)
    assert recorded.facts == {
        "base-created": "2026-02-20T08:00:00Z",
        "suite": "bookworm",
        "image-built": "2026-02-21T09:30:00Z",
    }
    assert recorded.versions["zlib1g"] == "1:1.2.13.dfsg-1" and len(recorded.versions) == 5


def test_only_packages_with_a_newer_security_version_are_reported(tmp_path):
    security = (
        stanza("libssl3", "3.0.16-1~deb12u1")  # newer: an update
        + stanza("openssl", "3.0.16-1~deb12u1")
        + stanza("libc6", "2.36-9+deb12u4")  # older than the image's: not an update
        + stanza("python3.11", "3.11.2-6+deb12u5")  # the same: not an update
        + stanza("curl", "7.88.1-10+deb12u12")  # not in the image
    )
    other = stanza("zlib1g", "1:1.3-1")  # newer, but not from the security archive
    review = image_review(package_list(tmp_path), lists_dir(tmp_path, security=security, other=other), NOW, 30)
    assert review["security_updates"] == [
        {"package": "libssl3", "installed": "3.0.15-1~deb12u1", "candidate": "3.0.16-1~deb12u1"},
        {"package": "openssl", "installed": "3.0.15-1~deb12u1", "candidate": "3.0.16-1~deb12u1"},
    ]
    assert review["base_age_days"] == 9 and review["too_old"] is False and review["rebuild"] is True
    assert "1 bookworm-security lists" in review["updates_note"]
    assert summary(review) == "image: base 9 days old, 2 security updates; rebuild it"


def test_a_compressed_list_is_read_and_the_newest_of_two_versions_counts(tmp_path):
    lists = lists_dir(tmp_path, security="")
    compressed = lists / "deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.gz"
    compressed.write_bytes(
        gzip.compress((stanza("libc6", "2.36-9+deb12u10") + stanza("libc6", "2.36-9+deb12u8")).encode())
    )
    review = image_review(package_list(tmp_path), lists, NOW, 30)
    assert review["security_updates"] == [
        {"package": "libc6", "installed": "2.36-9+deb12u9", "candidate": "2.36-9+deb12u10"}
    ]


def test_an_old_base_asks_for_a_rebuild_even_without_updates(tmp_path):
    review = image_review(package_list(tmp_path), lists_dir(tmp_path, security=""), NOW + timedelta(days=30), 30)
    assert review["base_age_days"] == 39 and review["too_old"] is True and review["security_updates"] == []
    assert summary(review) == "image: base 39 days old, 0 security updates; rebuild it"


def test_without_lists_of_the_suite_updates_are_not_checked_and_it_says_so(tmp_path):
    other = tmp_path / "lists"
    other.mkdir()
    (other / "deb.debian.org_debian-security_dists_trixie-security_main_binary-amd64_Packages").write_text(
        stanza("libssl3", "9.9")
    )
    review = image_review(package_list(tmp_path), other, NOW, 30)
    assert review["security_updates"] is None and review["rebuild"] is False
    assert review["updates_note"] == f"no bookworm-security package lists in {other}: security updates not checked"
    assert summary(review) == "image: base 9 days old, security updates not checked"


def test_no_package_list_is_reported_not_guessed(tmp_path):
    review = image_review(tmp_path / "absent.txt", tmp_path, NOW, 30)
    assert review["found"] is False and summary(review) == "image: not checked (no package list)"
