"""Finding what actors did: tagging, clauses, frames, roles, attribution, dates."""
