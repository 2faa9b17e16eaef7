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
# Which columns of each site to crawl: "all", or "reports" — only the columns whose name says
# they hold the 法治政府建设年度报告 (a national sweep for the reports; crawler.sites.REPORT_COLUMN).
GOVARCHIVE_COLUMNS = "all"

# Attachments of detail pages (PDF, DOC, WPS, OFD … : many annual reports exist only as one):
# fetched through the same scheduler, on the site's hosts only, with this size cap (bytes).
GOVARCHIVE_ATTACHMENTS = True
# Processes that run the cleaners beside the crawler (0: clean in the crawler process).
GOVARCHIVE_CLEAN_PROCESSES = int(os.environ.get("GOVARCHIVE_CLEAN_PROCESSES", "1"))
# Pages written per archive transaction, and the longest a batch stays open (seconds): one
# commit per page cost more than the page's writes. A killed crawl fetches its open batch again.
GOVARCHIVE_COMMIT_EVERY = 200
GOVARCHIVE_COMMIT_SECONDS = 1.0
GOVARCHIVE_ATTACHMENT_MAXSIZE = 30 * 1024 * 1024
GOVARCHIVE_ATTACHMENT_EXTS = ["pdf", "ofd", "doc", "docx", "wps", "xls", "xlsx", "et"]

# --- politeness -----------------------------------------------------------------------------
USER_AGENT = f"govarchive/0.1 (+{GOVARCHIVE_CONTACT}; research archive of public disclosures)"
ROBOTSTXT_OBEY = True
# Many portals at once ... (a sweep of thousands of portals at 200 ms each is bound by this cap:
# Scrapy's default 16 gave 37 requests/s, 18 minutes for 3,000 portals; bench/crawl_bench.py)
CONCURRENT_REQUESTS = 64
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
# Disclosure pages are small; a larger answer is a fault (or a trap), not a document.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
# A column's pager that never ends (a calendar or pagination trap) is cut here.
GOVARCHIVE_MAX_LISTING_PAGES = 1000

# --- crawl reports and alerts (crawler.extensions.CrawlReport, archive/crawls.py) ------------
# Run with the alert text on stdin (and in $GOVARCHIVE_ALERT) when a crawl raises alerts.
GOVARCHIVE_ALERT_COMMAND = os.environ.get("GOVARCHIVE_ALERT_COMMAND") or None

# --- plumbing -------------------------------------------------------------------------------
# Scrapy starts this many tasks for the output of every callback, however little it yields;
# ours yield one item and at most a page of requests (100 cost ~1 ms a response).
CONCURRENT_ITEMS = 16
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
    # sees every answer and exception before retries hide them: the crawl report's faults
    "crawler.middlewares.FaultStatsMiddleware": 590,
    # redirects to another host or a private address: refused before RobotsTxtMiddleware (100)
    "crawler.middlewares.RedirectGuardMiddleware": 50,
    # a redirect loop: refused before RedirectMiddleware (600) follows the Location
    "crawler.middlewares.RedirectLoopMiddleware": 650,
}
ITEM_PIPELINES = {
    "crawler.pipelines.CleanPipeline": 300,
    "crawler.pipelines.AttachmentRequestPipeline": 310,
    "crawler.pipelines.AttachmentTextPipeline": 400,
    "crawler.pipelines.ArchivePipeline": 800,
    "crawler.pipelines.AttachmentArchivePipeline": 810,
}
EXTENSIONS = {
    "crawler.extensions.CrawlProgress": 500,
    "crawler.extensions.CrawlReport": 510,
}
# 304 reaches the spider as "not modified", 404/410 so that a removed document is recorded as gone.
HTTPERROR_ALLOWED_CODES = [304, 404, 410]
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
