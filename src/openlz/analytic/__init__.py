"""Closed forms from the papers (each with paper and equation number) and classic results."""
