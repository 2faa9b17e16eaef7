"""Crawler: Scrapy spiders, CMS family adapters, the site registry, middlewares and settings."""
