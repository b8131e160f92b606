"""The built-in rules as Prometheus rule files (with `promtool test rules` cases) and an Alertmanager
configuration that sends alerts back to the app's webhook, for teams that run their own Prometheus.

Each stored history series maps to the PromQL that computes the same value from /metrics; a rule
whose source has no Prometheus equivalent (pending evaluations, lockouts, expiry dates) is listed
under `skipped` with the reason instead of being approximated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from memo_coach.incidents.config import MonitoringConfig, Rule

P = "memo_coach_"
AGGREGATES = {"mean": "avg_over_time", "max": "max_over_time", "min": "min_over_time", "last": "last_over_time"}
# History series -> PromQL over a range `{w}`; these are the sampler's definitions, from the counters.
SERIES = {
    # A maintenance window's planned 503s are not server errors (the sampler leaves them out too).
    "error_rate": (
        f'(sum(rate({P}http_requests_total{{status=~"5.."}}[{{w}}]))'
        f" - (sum(rate({P}http_planned_unavailable_total[{{w}}])) or vector(0)))"
        f" / sum(rate({P}http_requests_total[{{w}}]))"
    ),
    "latency_p95_s": f"histogram_quantile(0.95, sum by (le) (rate({P}http_request_duration_seconds_bucket[{{w}}])))",
    "evaluations_degraded_ratio": (
        f'sum(rate({P}evaluations_total{{outcome="degraded"}}[{{w}}])) / sum(rate({P}evaluations_total[{{w}}]))'
    ),
    "disk_used_ratio": f"1 - {P}disk_free_bytes / {P}disk_total_bytes",
}


def _duration(seconds: float) -> str:
    return f"{int(seconds)}s"


def _burn(rule: Rule, config: MonitoringConfig) -> str | None:
    """Availability burn rates from the request counters; latency has no 15 s bucket to count with."""
    slo = config.slo(rule.source.slo or "")
    if slo is None or slo.kind != "availability":
        return None
    budget = 1 - slo.objective
    long, short = (_duration(s) for s in (rule.window_seconds, rule.source.short_window_seconds or 0))
    ratio = SERIES["error_rate"]
    return " and ".join(f"({ratio.replace('{w}', w)}) / {budget:g} > {rule.threshold:g}" for w in (long, short))


def promql(rule: Rule, config: MonitoringConfig) -> str | None:
    source, window = rule.source, _duration(rule.window_seconds)
    if source.kind == "slo_burn":
        return _burn(rule, config)
    if source.kind == "health":
        components = "|".join(source.components)
        inner = f'{P}health_check_status{{component=~"{components}"}}[{window}]'
        return f"max({AGGREGATES[source.aggregate]}({inner})) {rule.op} {rule.threshold:g}"
    if source.kind == "metric" and source.series in SERIES and not source.label:
        value = SERIES[source.series].replace("{w}", window)
        return f"({value}) {rule.op} {rule.threshold:g}"
    return None


def _labels(rule: Rule) -> dict[str, str]:
    return {"severity": rule.severity, "component": rule.component, "rule": rule.name}


def _annotations(rule: Rule) -> dict[str, str]:
    return {"summary": rule.summary, "runbook": rule.runbook}


def rule_groups(config: MonitoringConfig) -> tuple[dict[str, Any], list[dict[str, str]]]:
    rules, skipped = [], []
    for rule in config.all_rules():
        expr = promql(rule, config) if rule.enabled else None
        if expr is None:
            skipped.append({"rule": rule.name, "reason": "disabled" if not rule.enabled else "no Prometheus metric"})
            continue
        entry: dict[str, Any] = {"alert": rule.name, "expr": expr}
        if rule.for_seconds:
            entry["for"] = _duration(rule.for_seconds)
        entry |= {"labels": _labels(rule), "annotations": _annotations(rule)}
        rules.append(entry)
    group = {"name": "memo_coach", "interval": _duration(config.interval_seconds), "rules": rules}
    return {"groups": [group]}, skipped


def _health_test(rule: Rule) -> dict[str, Any]:
    """The component is at the threshold from the start: the alert fires once window and `for` have passed."""
    series = [
        {"series": f'{P}health_check_status{{component="{c}"}}', "values": f"{rule.threshold:g}+0x120"}
        for c in rule.source.components
    ]
    at = int(rule.window_seconds + rule.for_seconds + 60)
    labels = _labels(rule)
    return {
        "interval": "15s",
        "input_series": series,
        "alert_rule_test": [
            {
                "eval_time": f"{at}s",
                "alertname": rule.name,
                "exp_alerts": [{"exp_labels": labels, "exp_annotations": _annotations(rule)}],
            },
        ],
    }


def rule_tests(config: MonitoringConfig, rules_file: str) -> dict[str, Any]:
    health = [r for r in config.rules if r.enabled and r.source.kind == "health" and r.op in (">=", ">")]
    healthy = [
        {"series": f'{P}health_check_status{{component="{c}"}}', "values": "0+0x120"}
        for c in sorted({c for r in health for c in r.source.components})
    ]
    quiet = {
        "interval": "15s",
        "input_series": healthy,
        "alert_rule_test": [{"eval_time": "20m", "alertname": r.name, "exp_alerts": []} for r in health],
    }
    return {"rule_files": [rules_file], "evaluation_interval": "15s", "tests": [quiet, *map(_health_test, health)]}


def alertmanager_config(app_url: str, token_file: str) -> dict[str, Any]:
    """Routes every alert to the app's webhook; P1 and P2 are repeated hourly, the rest every 12 h."""
    webhook = {
        "url": f"{app_url.rstrip('/')}/api/v1/alerts/alertmanager",
        "send_resolved": True,
        "http_config": {"authorization": {"type": "Bearer", "credentials_file": token_file}},
    }
    return {
        "route": {
            "receiver": "memo-coach",
            "group_by": ["alertname", "component"],
            "group_wait": "30s",
            "group_interval": "5m",
            "repeat_interval": "12h",
            "routes": [{"receiver": "memo-coach", "matchers": ['severity=~"P1|P2"'], "repeat_interval": "1h"}],
        },
        "receivers": [{"name": "memo-coach", "webhook_configs": [webhook]}],
    }


def export(config: MonitoringConfig, out_dir: Path, app_url: str, token_file: str) -> dict[str, Any]:
    """Writes memo_coach_rules.yml, memo_coach_rules_test.yml and alertmanager.yml; returns what it wrote."""
    out_dir.mkdir(parents=True, exist_ok=True)
    groups, skipped = rule_groups(config)
    files = {
        "memo_coach_rules.yml": groups,
        "memo_coach_rules_test.yml": rule_tests(config, "memo_coach_rules.yml"),
        "alertmanager.yml": alertmanager_config(app_url, token_file),
    }
    for name, content in files.items():
        (out_dir / name).write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return {"files": [str(out_dir / n) for n in files], "rules": len(groups["groups"][0]["rules"]), "skipped": skipped}
