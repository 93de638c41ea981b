"""Answering and delivery: ingest, name resolution, replies, digests, ranking."""
