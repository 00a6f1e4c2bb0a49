"""Project-wide operations: the commands that act on every app at once (the demo, the
catalog load, backup and restore)."""
