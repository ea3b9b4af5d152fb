"""The store: the only code that speaks SQL."""

from hoscase.store.database import Store, default_db_path

__all__ = ["Store", "default_db_path"]
