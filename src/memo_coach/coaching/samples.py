"""Sample memos shipped with the package, on realistic topics, in ladders from weak to strong.

Files live in coaching/samples/ as `<topic>-<level>.md`. They serve demos and the rubric
dry-run: a proposed rubric that does not score each stronger memo above its weaker sibling is
probably measuring the wrong things.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from itertools import pairwise

# Weakest first; a topic may ship any subset of these, in this order.
LEVELS = ("weak", "medium", "strong")
SUFFIX = ".md"


@dataclass(frozen=True)
class Sample:
    name: str  # file name without .md, e.g. "budget-request-strong"
    title: str  # e.g. "Budget request (strong)"
    level: str  # one of LEVELS
    text: str

    @property
    def topic(self) -> str:
        return self.name.removesuffix(f"-{self.level}")


def list_samples() -> list[Sample]:
    """All samples, grouped by topic and ordered weakest to strongest within a topic."""
    found = [_read(entry.name) for entry in files(__package__).joinpath("samples").iterdir() if _is_sample(entry.name)]
    return sorted(found, key=lambda s: (s.topic, LEVELS.index(s.level)))


def get_sample(name: str) -> Sample:
    """One sample by name; KeyError names the ones that exist."""
    for sample in list_samples():
        if sample.name == name:
            return sample
    raise KeyError(f"no sample {name!r}; known: {', '.join(s.name for s in list_samples())}")


def pairs() -> list[tuple[Sample, Sample]]:
    """(weaker, stronger) for each neighbouring pair of levels within a topic."""
    ladder = list_samples()
    return [(a, b) for a, b in pairwise(ladder) if a.topic == b.topic]


def _is_sample(file_name: str) -> bool:
    stem = file_name.removesuffix(SUFFIX)
    return file_name.endswith(SUFFIX) and any(stem.endswith(f"-{level}") for level in LEVELS)


def _read(file_name: str) -> Sample:
    name = file_name.removesuffix(SUFFIX)
    topic, level = name.rsplit("-", 1)
    text = files(__package__).joinpath("samples", file_name).read_text(encoding="utf-8")
    return Sample(name=name, title=f"{topic.replace('-', ' ').capitalize()} ({level})", level=level, text=text)
