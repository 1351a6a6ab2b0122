"""Views: what each template is given, made in Python with everything it shows already decided.

A page's view is a frozen dataclass (views/brief.py for `brief.html`, views/templates.py for the
others, views/common.py for what they share). Its fields are what the page is made from; what it
shows beyond them it works out from them (cached properties) when the page renders. Both are the
template's variables, with `page_url` and the globals `config` and `links` (render.py). Templates
place what a view decided: they do not sort, search, join lists or build URLs. Views hold model
objects (briefs, terms, authors) as they are: the build's memory fingerprints a view's fields and
records what a template reads through a term or a period (memory/fingerprints.py).
"""
