"""Stage 6, index: after Pelican, on the written site: sitemap, search index, link check."""
