"""`memo-coach doctor`: every check an operator runs first, each OK, WARN or FAIL with its fix and runbook."""
