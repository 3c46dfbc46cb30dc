"""Budget/utfall tables: give each row its context back (see rebuild_table_rows)."""

from __future__ import annotations


def rebuild_table_rows(text: str) -> str:
    return text
