"""The revisions of briefbot's database schema, oldest first."""
