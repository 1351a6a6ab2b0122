"""Reading: brief files -> `Brief` (find the files, split and read the header, YAML, Markdown, sanitising)."""
