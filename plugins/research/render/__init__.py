"""Stage 4, render: entity pages, views, timelines, maps, the network, JSON-LD and redirects."""
