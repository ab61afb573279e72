"""Stage 3, link: mentions, cross-links, paragraph citations and the lint, across documents."""
