"""Stage 2, model: entity files to typed records and the registry that checks across files."""
