"""Readers that turn stored raw messages into text, images and report-form fields.

Nothing here talks SQL: ``parsers.pipeline`` reads a raw message and returns a
``ParsedMessage`` value; ``store`` writes it.
"""
