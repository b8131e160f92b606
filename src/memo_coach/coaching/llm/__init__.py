"""Calling a hosted or self-hosted LLM reliably: retries, backoff, a circuit breaker, JSON repair."""
