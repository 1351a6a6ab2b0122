"""The command line, and the commands beside `build`: new, import, serve."""
