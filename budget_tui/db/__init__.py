"""The database layer: engine settings per backend, the schema, and migrations."""
