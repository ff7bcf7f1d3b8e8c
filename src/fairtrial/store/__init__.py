"""Storage: one local DuckDB file (``Store``) with numbered migrations."""

from .db import Store, quote_identifier
from .migrations import MIGRATIONS, apply_migrations

__all__ = ["MIGRATIONS", "Store", "apply_migrations", "quote_identifier"]
