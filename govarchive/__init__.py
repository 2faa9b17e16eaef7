"""govarchive: crawler and versioned archive of Chinese government disclosure portals."""

__version__ = "0.1.0"
