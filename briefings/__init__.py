"""briefbot's platform-neutral briefing core: parsing, actors, events, summaries."""
