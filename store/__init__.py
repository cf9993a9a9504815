"""The one SQLite database that keeps every raw message and everything derived from it.

Only this package talks SQL. ``store.db.open_db`` opens (and migrates) a database;
the other modules are small ``save_*`` / ``load_*`` functions over it.
"""
