"""Helpers the tests share: paths, polling with a bound, and sample data."""
