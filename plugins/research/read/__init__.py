"""Stage 1, read: content files to HTML and metadata (front-matter, Markdown, paragraph ids, citation syntax, the citation lock, symbolic-link checks)."""
