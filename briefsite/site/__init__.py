"""The site: briefs -> `Site` (the model, taxonomies and terms, timeline, related briefs, slugs, URLs)."""
