"""Security maintenance: security summaries and access audits (more with the security issue)."""
