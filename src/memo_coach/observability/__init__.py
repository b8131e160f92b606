"""Observability: health checks, metrics, logs, metric history, the ops console, ratings and page timing."""
