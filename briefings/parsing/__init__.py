"""Parsers that turn text, Markdown, HTML, feeds and JSON into articles."""
