"""Where things are: the gazetteer that names places and countries, and the world's outlines drawn as maps.

Pure data and geometry, below the engine: nothing here reads a brief or knows a site.
"""
