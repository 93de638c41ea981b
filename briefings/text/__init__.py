"""Text primitives: sentences, prose, intervals and occurrences."""
