"""Archive: the SQLite corpus of captures, documents and versions. No Scrapy imports."""
