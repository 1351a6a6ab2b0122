"""Views: what each template is given, made in Python with everything it shows already decided.

A page's view is a frozen dataclass whose fields are its template's variables (render.Renderer passes
them, with `page_url`). Every view carries the site's `chrome` and the masthead `section` the page is
in. Templates place what a view decided; they do not sort, search, join lists or build URLs. Views
hold model objects (briefs, terms, authors) as they are: the build's memory fingerprints a view field
by field and records what a template reads through a term or a period (memory/fingerprints.py).
"""
