"""Cleaners: raw bytes of a portal page in, one document record out. Pure functions, no I/O."""
