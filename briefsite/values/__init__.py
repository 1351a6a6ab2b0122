"""Small values every layer shares, checked once: slugs, TLP levels, the base URL. Imports nothing of briefsite."""
