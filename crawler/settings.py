"""Scrapy settings for govarchive. Every value can be overridden per crawl (`-s NAME=VALUE`)."""

import os

BOT_NAME = "govarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- govarchive ---------------------------------------------------------------------------
# Where the archive lives (SQLite file).
GOVARCHIVE_DB = os.environ.get("GOVARCHIVE_DB", "data/archive.db")
# The live/replica switch: HOST:PORT of a server that answers for real portal hostnames
# (the built-in replica, or a replay server). Unset = the live portals.
GOVARCHIVE_REPLICA = os.environ.get("GOVARCHIVE_REPLICA") or None
# Contact for portal webmasters, appended to the User-Agent.
GOVARCHIVE_CONTACT = os.environ.get("GOVARCHIVE_CONTACT", "https://github.com/govarchive")
GOVARCHIVE_PROGRESS_INTERVAL = 2.0
# Re-fetch known detail pages with the validators of their last capture (304 = not modified).
GOVARCHIVE_CONDITIONAL_GET = True

# --- politeness -----------------------------------------------------------------------------
USER_AGENT = f"govarchive/0.1 (+{GOVARCHIVE_CONTACT}; research archive of public disclosures)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16  # many portals at once ...
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # ... but gently on each
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50 %
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# 429/503 with Retry-After: the host waits as told (crawler.middlewares.RetryAfterMiddleware).
GOVARCHIVE_MAX_RETRY_AFTER = 600

# --- plumbing -------------------------------------------------------------------------------
DOWNLOAD_HANDLERS = {
    "http": "crawler.replica.ReplicaDownloadHandler",
    "https": "crawler.replica.ReplicaDownloadHandler",
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.ConditionalGetMiddleware": 560,
    # before RetryMiddleware (550) sees the response, so a Retry-After is never retried early
    "crawler.middlewares.RetryAfterMiddleware": 570,
    # first to see a response: a challenge page is neither retried nor taken for a document
    "crawler.middlewares.AntiBotWallMiddleware": 580,
}
ITEM_PIPELINES = {
    "crawler.pipelines.CleanPipeline": 300,
    "crawler.pipelines.ArchivePipeline": 800,
}
EXTENSIONS = {
    "crawler.extensions.CrawlProgress": 500,
}
# 304 reaches the spider as "not modified", 404/410 so that a removed document is recorded as gone.
HTTPERROR_ALLOWED_CODES = [304, 404, 410]
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
