"""Operations: audit trail now; health, metrics, incidents and maintenance as their issues land."""
