"""Stage 5, export: the /data/ tables and the formats for other tools."""
