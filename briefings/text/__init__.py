"""Text primitives: sentences, prose, intervals, occurrences and the cue word lists."""
