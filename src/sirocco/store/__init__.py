"""The one place that talks to the database: SQLite (embedded, default) or PostgreSQL."""
