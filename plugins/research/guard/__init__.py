"""Guards across stages: one writer per output path, the URL policy, templates from our theme only."""
