"""Media: the files briefs show and attach, published beside the pages."""
