"""Article analysis: the pipeline, actors, events and summaries."""
