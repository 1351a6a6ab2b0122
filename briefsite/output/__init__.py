"""Output: `Site` -> files (pages and their views, render, write, search, exports)."""
