"""The typed model: frozen dataclasses, data only, no I/O."""
