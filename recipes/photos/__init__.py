"""Recipe photos: processing (Pillow), storage (SQLite) and serving (blueprint `photos`)."""
