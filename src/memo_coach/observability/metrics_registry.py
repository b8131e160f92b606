"""The one Prometheus registry every concept registers its metrics on (prefix `memo_coach_`)."""

from prometheus_client import CollectorRegistry

REGISTRY = CollectorRegistry(auto_describe=True)
PREFIX = "memo_coach_"
