"""Benchmark: the archive at scale (ingest rate, file size, search latency through Datasette).

    /work/venv/bin/python bench/archive_scale.py --docs 1000000 --db /tmp/scale.db \
        [--queries 50] [--keep] [--out bench/results_archive_scale.md]
    /work/venv/bin/python bench/archive_scale.py --profile 5000     # cProfile of the ingest path
    /work/venv/bin/python bench/archive_scale.py --db /tmp/scale.db --reuse   # search/sizes only

Targets (issue): ingest >= 1,000 documents/s; search p95 < 100 ms on 1,000,000 documents through
Datasette; database <= 2 x (compressed raw + text).

Corpus: synthetic but built from real report text. Sentences (and clauses, recombined into new
sentences) of the seed reports in replica/data/seeds/ (and /work/shared/seeds/ when present) form
a pool of a few thousand sentences; every document draws sentences from the pool and varies
numbers, years (2015-2025) and place names (counties of /work/shared/registry/
government_portals.tsv when present). Each document is generated from its own seeded RNG, so the
corpus is deterministic and streamed (a producer process generates batches into a bounded queue;
nothing holds the whole corpus). About 2 % of documents are exact reposts and 2 % near reposts
(boilerplate line added, some sentences dropped, some numbers changed) of an earlier document at
another site, on purpose; any other duplicate link the archive makes is an accidental one and is
counted separately.

Each document is ingested through the production path, `Archive.record_fetch` (raw page, text,
versions, captures, search index, near-duplicate index), 1,000 per `Archive.batch()` transaction.
The ingest rate is measured on the time spent in record_fetch + commit (the generator runs in
another process; time spent waiting for it is reported separately).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import http.client
import io
import json
import multiprocessing as mp
import os
import platform
import pstats
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED_DIRS = (ROOT / "replica" / "data" / "seeds", Path("/work/shared/seeds"))
REGISTRY = Path("/work/shared/registry/government_portals.tsv")
# Real detail pages whose chrome (everything around the content container) wraps the synthetic
# documents, so raw pages have real sizes and compress like real ones.
# (tests/corpus/heldout is not used: those pages are reconstructions with minimal chrome.)
REAL_PAGE_DIRS = (Path("/work/shared/realpages"),)
CONTENT_MARK = "\ue001CONTENT\ue001"
SEED_PLACES = (
    "平顶山市", "济宁市", "淮北市", "邢台市", "清远市", "汶上县", "襄都区", "濉溪县", "鲁山县",
    "汶上", "襄都", "濉溪", "鲁山", "清远",
)  # fmt: skip
PLACE = "\ue000"  # placeholder for the document's county in pooled sentences
POOL_SIZE = 4000
EXACT_SHARE = 0.02
NEAR_SHARE = 0.02
CLEANER_VERSION = "bench-scale-1"

DEPARTMENTS = (
    "司法局", "人民政府办公室", "市场监督管理局", "生态环境分局", "自然资源局", "公安局",
    "财政局", "教育体育局", "卫生健康局", "住房和城乡建设局", "应急管理局", "农业农村局",
    "人力资源和社会保障局", "交通运输局", "水利局", "民政局", "审计局", "税务局", "城市管理局",
)  # fmt: skip
TOPICS = (
    "行政执法“三项制度”", "行政规范性文件管理办法", "重大行政决策程序规定", "法治政府建设实施方案",
    "政务公开工作要点", "优化营商环境若干措施", "“八五”普法规划", "行政复议体制改革方案",
    "行政执法责任制", "法律顾问工作规则", "公平竞争审查制度", "证明事项告知承诺制",
    "行政执法案卷评查办法", "包容审慎监管清单", "基层法治建设示范创建方案", "信访工作法治化实施意见",
)  # fmt: skip
COLUMNS = (
    "首页", "政务公开", "政府信息公开", "政策文件", "法治政府", "政务服务", "互动交流",
    "走进县情", "新闻中心", "专题专栏", "公开年报", "规划计划", "财政信息", "人事信息",
    "建议提案", "政策解读", "依申请公开", "机构职能",
)  # fmt: skip


# -- corpus ------------------------------------------------------------------------------------


def _seed_bodies() -> list[list[str]]:
    """Body lines of every seed report (manifest body ranges when known), each file once."""
    ranges: dict[str, tuple[int, int]] = {}
    manifest = SEED_DIRS[0] / "manifest.json"
    if manifest.is_file():
        for s in json.loads(manifest.read_text("utf-8"))["seeds"]:
            ranges[s["seed_id"]] = (s["body_start"], s["body_end"])
    seen: set[str] = set()
    bodies = []
    for folder in SEED_DIRS:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            lines = data.decode("utf-8", "replace").splitlines()
            start, end = ranges.get(path.stem, (0, len(lines)))
            bodies.append(lines[start:end])
    if not bodies:
        raise SystemExit(f"no seed texts in {', '.join(map(str, SEED_DIRS))}")
    return bodies


def _placeholder(text: str) -> str:
    for name in SEED_PLACES:
        text = text.replace(name, PLACE)
    return text


def _sites(rng: random.Random, count: int) -> list[dict]:
    """~`count` sites: county/prefecture portals of the registry, else invented ones."""
    rows = []
    if REGISTRY.is_file():
        lines = REGISTRY.read_text("utf-8").splitlines()
        head = lines[0].rstrip("\r").split("\t")
        for line in lines[1:]:
            row = dict(zip(head, line.rstrip("\r").split("\t"), strict=False))
            if row.get("level") in ("县级", "地级", "县区") and row.get("portal_url"):
                rows.append(row)
    rng.shuffle(rows)
    rows = rows[:count]
    while len(rows) < count:  # no registry: invent
        n = len(rows)
        rows.append({"admin_code": f"{410000 + n}", "province": "河南省", "prefecture": "",
                     "name": f"第{n}县", "portal_url": f"https://www.x{n}.gov.cn/"})  # fmt: skip
    sites, keys = [], set()
    for row in rows:
        host = urllib.parse.urlsplit(row["portal_url"]).hostname or f"x{row['admin_code']}.gov.cn"
        key = re.sub(r"^(www|wap|m)\.", "", host).removesuffix(".gov.cn").replace(".", "_")
        if key in keys:
            key = f"{key}_{row['admin_code']}"
        keys.add(key)
        srng = random.Random(f"site:{key}")
        sites.append({
            "key": key, "host": host, "name": row["name"], "province": row["province"],
            "prefecture": row.get("prefecture") or row["province"],
            "code": row["admin_code"], "cms": srng.randrange(4), "template": srng.randrange(1 << 16),
            "column": srng.randrange(10000, 99999),
            "org": f"11{row['admin_code']}{srng.randrange(10**9):09d}"[:18],
        })  # fmt: skip
    return sites


class Corpus:
    """Deterministic generator of synthetic disclosure documents: `doc(i)` for i = 0, 1, ..."""

    def __init__(self, seed: int = 20240301, sites: int = 2000):
        self.seed = seed
        rng = random.Random(seed)
        headings, sentences = set(), set()
        for lines in _seed_bodies():
            for line in lines:
                line = _placeholder(line.strip())
                m = re.match(r"^[（(]?[一二三四五六七八九十]+[、)）.]\s*(.{4,40}?)[。：:]?$", line)
                if m:
                    headings.add(m.group(1))
                    continue
                for s in re.findall(r"[^。！？；]+[。！？；]?", line):
                    s = s.strip()
                    if 12 <= len(s) <= 200 and "当前位置" not in s and "索引号" not in s:
                        sentences.add(s if s[-1] in "。！？；" else s + "。")
        originals = sorted(sentences)
        clauses = sorted(
            {c.strip() for s in originals for c in re.split(r"[，,；;：:]", s.rstrip("。！？；"))}
            - {""}
        )
        clauses = [c for c in clauses if 6 <= len(c) <= 60]
        pool = list(originals)
        while len(pool) < POOL_SIZE:  # recombined sentences: 2-4 clauses of different sentences
            pool.append("，".join(rng.sample(clauses, rng.randint(2, 4))) + "。")
        self.pool = pool
        self.headings = sorted(headings) or ["主要举措和成效", "存在的问题", "下一步工作安排"]
        self.sites = _sites(rng, sites)
        self.stats = {"seed_sentences": len(originals), "clauses": len(clauses),
                      "pool": len(pool), "headings": len(self.headings),
                      "sites": len(self.sites)}  # fmt: skip
        self._chrome: dict[str, tuple[str, str]] = {}
        self.templates = real_page_templates()

    # -- identity of document i ----------------------------------------------------------------

    def _rng(self, i: int) -> random.Random:
        return random.Random(self.seed * 10_000_019 + i)

    def origin(self, i: int) -> tuple[str, int]:
        """('original', i) or ('exact'|'near', j): document i reposts original j < i."""
        rng = self._rng(i)
        r = rng.random()
        if i < 1000 or r >= EXACT_SHARE + NEAR_SHARE:
            return "original", i
        j = rng.randrange(max(0, i - 50_000), i)
        while self.origin(j)[0] != "original":
            j -= 1
        return ("exact" if r < EXACT_SHARE else "near"), j

    # -- text ------------------------------------------------------------------------------------

    def _vary(self, rng: random.Random, s: str, county: str, year: int) -> str:
        def number(m: re.Match) -> str:
            v = m.group(0)
            if len(v) == 4 and v.startswith("20") and "." not in v:
                return str(min(2025, max(2015, year + int(v) - 2023)))
            if rng.random() < 0.3:
                return v
            whole, _, frac = v.partition(".")
            w = str(
                rng.randrange(10 ** (len(whole) - 1) if len(whole) > 1 else 0, 10 ** len(whole))
            )
            return w + ("." + "".join(rng.choice("0123456789") for _ in frac) if frac else "")

        return re.sub(r"\d+(?:\.\d+)?", number, s).replace(PLACE, county)

    def _original(self, i: int) -> dict:
        """Metadata and paragraphs (list of lists of sentences) of original document i."""
        rng = self._rng(i)
        rng.random()  # the origin draw
        site = self.sites[rng.randrange(len(self.sites))]
        county = site["name"]
        year = rng.randint(2015, 2025)
        dept = rng.choice(DEPARTMENTS)
        topic = rng.choice(TOPICS)
        kind = rng.randrange(8)
        publisher = county + (dept if kind != 2 else "人民政府")
        titles = (
            (f"{county}{year}年法治政府建设年度报告", "法治建设年报"),
            (f"{county}{dept}{year}年度法治政府建设情况报告", "法治建设年报"),
            (f"{county}人民政府关于{year}年度法治政府建设情况的报告", "法治建设年报"),
            (f"关于印发《{county}{topic}》的通知", "规范性文件"),
            (f"{county}人民政府办公室关于印发{topic}的通知", "通知公告"),
            (f"{county}{dept}{year}年政府信息公开工作年度报告", "政府信息公开年报"),
            (f"{county}{dept}关于{year}年度行政复议和行政应诉工作情况的报告", "计划总结"),
            (f"{county}{dept}关于进一步加强{topic}落实工作的实施意见", "政策文件"),
        )
        title, category = titles[kind]
        target = rng.randint(500, 3000)
        paragraphs: list[list[str]] = []
        length, section, numerals = 0, 0, "一二三四五六七八九十"
        while length < target:
            if paragraphs and rng.random() < 0.3 and section < 10:
                head = f"{numerals[section]}、{self._vary(rng, rng.choice(self.headings), county, year)}"
                paragraphs.append([head])
                section += 1
                length += len(head)
            para = []
            for _ in range(rng.randint(2, 5)):
                s = self._vary(rng, rng.choice(self.pool), county, year)
                para.append(s)
                length += len(s)
            paragraphs.append(para)
        pub = date(min(year + 1, 2025), 1, 1) + timedelta(
            days=rng.randrange(0, 120 if kind < 3 else 364)
        )
        written = pub - timedelta(days=rng.randrange(0, 10))
        return {
            "i": i, "site": site, "title": title, "category": category, "publisher": publisher,
            "year": year, "paragraphs": paragraphs, "target": target,
            "written_date": written.isoformat(), "published_date": pub.isoformat(),
            "doc_number": (f"{county[:2]}{'政办' if kind == 4 else '司'}发〔{year}〕{rng.randint(1, 60)}号"
                           if kind in (3, 4, 7) else None),
            "validity": "有效" if kind in (3, 4, 7) else None,
            "abolished_date": f"{year + 5}-12-31" if kind == 3 and rng.random() < 0.2 else None,
        }  # fmt: skip

    @staticmethod
    def _text(paragraphs: list[list[str]], limit: int = 3000) -> str:
        text = "\n".join("".join(p) for p in paragraphs)
        return text[:limit]

    def doc(self, i: int) -> dict:
        """Everything record_fetch needs for document i (url, site, province, record, body...)."""
        kind, j = self.origin(i)
        meta = self._original(j)
        rng = self._rng(i)
        for _ in range(3):
            rng.random()
        text = self._text(meta["paragraphs"], min(3000, meta["target"] + 200))
        site = meta["site"]
        title = meta["title"]
        if kind != "original":  # reposted at another site (usually one in the same province)
            site = self.sites[rng.randrange(len(self.sites))]
            if kind == "exact":
                text = text.replace("\n", "\n\n")  # other line breaks, same text fingerprint
            else:
                paras = [
                    [s for s in p if len(p) == 1 or rng.random() > 0.08] or p
                    for p in meta["paragraphs"]
                ]
                paras = [
                    [self._vary(rng, s, meta["site"]["name"], meta["year"])
                     if rng.random() < 0.1 else s for s in p]
                    for p in paras
                ]  # fmt: skip
                text = f"来源：{meta['publisher']}\n" + self._text(
                    paras, min(2990, meta["target"] + 200)
                )
                if rng.random() < 0.5:
                    title = "转发：" + title
        pub = meta["published_date"]
        if kind != "original":
            pub = (date.fromisoformat(pub) + timedelta(days=rng.randrange(1, 30))).isoformat()
        url = self._url(site, pub, 2_000_000 + i)
        record = {
            "title": title,
            "text": text,
            "index_no": f"{site['org']}/{pub[:4]}-{i:07d}",
            "publisher": meta["publisher"]
            if kind == "original"
            else site["name"] + "人民政府办公室",
            "written_date": meta["written_date"],
            "published_date": pub,
            "doc_number": meta["doc_number"],
            "category": meta["category"],
            "validity": meta["validity"],
            "abolished_date": meta["abolished_date"],
            "disclosure": "主动公开",
            "source": meta["publisher"],
            "url": url,
            "site": site["key"],
        }
        fetched = datetime(2026, 4, 1) + timedelta(seconds=i)
        body = self._html(rng, site, record)
        return {
            "i": i, "kind": kind, "origin": j, "url": url, "site": site["key"],
            "province": site["province"], "record": record, "body": body,
            "headers": {
                "Content-Type": "text/html; charset=utf-8",
                "ETag": f'"{i:x}-{len(body):x}"',
                "Last-Modified": f"{pub}T08:00:00Z",
            },
            "fetched_at": fetched.isoformat(timespec="seconds"),
        }  # fmt: skip

    @staticmethod
    def _url(site: dict, pub: str, doc_id: int) -> str:
        y, m, d = pub.split("-")
        host, col = site["host"], site["column"]
        return (
            f"https://{host}/art/{y}/{int(m)}/{int(d)}/art_{col}_{doc_id}.html",
            f"https://{host}/zwgk/fzzfjs/{y}{m}/t{y}{m}{d}_{doc_id}.html",
            f"https://{host}/zwgk/public/{col % 1000}/{doc_id}.html",
            f"https://{host}/xxgk/content.jsp?id={doc_id}&col={col}",
        )[site["cms"]]

    # -- raw page ----------------------------------------------------------------------------------

    def _site_chrome(self, site: dict) -> tuple[str, str]:
        """(head + nav, footer) of a site's template: ~4-6 KB, varied per site."""
        cached = self._chrome.get(site["key"])
        if cached:
            return cached
        rng = random.Random(f"chrome:{site['key']}")
        portal = f"{site['name']}人民政府"
        cols = rng.sample(COLUMNS, rng.randint(8, 14))
        nav = "\n".join(
            f'      <li class="nav-item"><a href="/col/col{rng.randrange(10000, 99999)}/index.html"'
            f' target="_blank" title="{c}">{c}</a></li>'
            for c in cols
        )
        sub = "\n".join(
            f'        <dd><a href="/col/col{rng.randrange(10000, 99999)}/index.html">{c}</a></dd>'
            for c in rng.sample(TOPICS + COLUMNS, rng.randint(6, 10))
        )
        head = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="SiteName" content="{portal}">
<meta name="SiteDomain" content="{site["host"]}">
<meta name="SiteIDCode" content="{site["code"]}{rng.randrange(1000, 9999)}">
<link rel="stylesheet" type="text/css" href="/images/{rng.randrange(10**6)}/css/common.css">
<link rel="stylesheet" type="text/css" href="/images/{rng.randrange(10**6)}/css/xxgk.css">
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>
<script type="text/javascript" src="/script/{rng.randrange(10**5)}/common.js"></script>
<title>{{title}}_{portal}</title>
</head>
<body>
<div class="top-bar"><div class="wrap"><span>欢迎访问{portal}门户网站</span>
  <a href="javascript:void(0)" id="zoom">无障碍</a> | <a href="/gate/big5/{site["host"]}/">繁體</a>
  | <a href="https://wap.{site["host"].removeprefix("www.")}/">手机版</a> | <a href="/col/col1/">English</a></div></div>
<div class="header"><div class="wrap"><a class="logo" href="/"><img src="/images/logo.png" alt="{portal}"></a>
  <form class="search" action="/jsearchfront/search.do" method="get"><input name="q" placeholder="请输入关键字">
  <input type="hidden" name="websiteid" value="{site["code"]}000000000"><button type="submit">搜索</button></form></div></div>
<div class="nav"><ul class="wrap">
{nav}
</ul></div>
<div class="main wrap">
  <div class="left-menu"><dl><dt>信息公开目录</dt>
{sub}
  </dl></div>
  <div class="right-content">
"""
        footer = f"""  </div>
</div>
<div class="links wrap"><span>相关链接：</span>
  <select onchange="window.open(this.value)"><option>国务院部门网站</option>
  <option value="https://www.gov.cn/">中国政府网</option><option value="https://www.moj.gov.cn/">司法部</option></select>
  <select onchange="window.open(this.value)"><option>{site["province"]}各级政府网站</option>
  <option value="https://www.{rng.randrange(10**4)}.gov.cn/">{site["prefecture"]}人民政府</option></select></div>
<div class="footer"><div class="wrap">
  <p>主办单位：{portal}办公室　承办单位：{site["name"]}大数据中心　网站标识码：{site["code"]}{rng.randrange(1000, 9999)}</p>
  <p>地址：{site["name"]}人民路{rng.randrange(1, 300)}号　邮编：{rng.randrange(100000, 860000)}　联系电话：0{rng.randrange(100, 999)}-{rng.randrange(10**7)}</p>
  <p><a href="https://beian.miit.gov.cn/" target="_blank">{site["province"][:1]}ICP备{rng.randrange(10**7, 10**8)}号-{rng.randrange(1, 9)}</a>
  　<img src="/images/ga.png"><a href="http://www.beian.gov.cn/">{site["province"][:1]}公网安备 {rng.randrange(10**13, 10**14)}号</a></p>
  <p><a href="/col/col{rng.randrange(10**5)}/">网站地图</a> | <a href="/col/col{rng.randrange(10**5)}/">联系我们</a>
  | <a href="/col/col{rng.randrange(10**5)}/">隐私声明</a> | 建议使用1920×1080分辨率 IE10以上浏览器</p>
  <script type="text/javascript">document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='https://dcs.conac.cn/js/{rng.randrange(10, 40)}/000/{rng.randrange(10**4)}/60{rng.randrange(10**6)}/CA{rng.randrange(10**12)}.js' type='text/javascript'%3E%3C/script%3E"));</script>
  <script type="text/javascript">var _maq = _maq || []; _maq.push(['_setAccount', '{site["key"]}']);
  (function() {{ var ma = document.createElement('script'); ma.type = 'text/javascript'; ma.async = true;
  ma.src = ('https:' == document.location.protocol ? 'https' : 'http') + '://analysis.gov.cn/ma.js';
  var s = document.getElementsByTagName('script')[0]; s.parentNode.insertBefore(ma, s); }})();</script>
</div></div>
</body>
</html>
"""
        if len(self._chrome) < 5000:
            self._chrome[site["key"]] = (head, footer)
        return head, footer

    def _html(self, rng: random.Random, site: dict, record: dict) -> bytes:
        if self.templates:  # a real page's chrome, the synthetic document as its content
            before, after = self.templates[site["template"] % len(self.templates)]
            head, footer = before, after
        else:
            head, footer = self._site_chrome(site)
        r = record
        table = f"""    <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1/">政府信息公开</a>
      &gt; <a href="/col/col2/">法定主动公开内容</a> &gt; <span>{r["category"]}</span></div>
    <table class="xxgk-table" cellpadding="0" cellspacing="0">
      <tr><th>索引号：</th><td>{r["index_no"]}</td><th>组配分类：</th><td>{r["category"]}</td></tr>
      <tr><th>发布机构：</th><td>{r["publisher"]}</td><th>成文日期：</th><td>{r["written_date"]}</td></tr>
      <tr><th>文号：</th><td>{r["doc_number"] or ""}</td><th>发布日期：</th><td>{r["published_date"]}</td></tr>
      <tr><th>有效性：</th><td>{r["validity"] or ""}</td><th>废止日期：</th><td>{r["abolished_date"] or ""}</td></tr>
      <tr><th>公开方式：</th><td>{r["disclosure"]}</td><th>信息来源：</th><td>{r["source"]}</td></tr>
      <tr><th>名称：</th><td colspan="3">{r["title"]}</td></tr>
    </table>
    <div class="article"><h1 class="title">{r["title"]}</h1>
      <div class="info">发布日期：{r["published_date"]} {rng.randrange(8, 18):02d}:{rng.randrange(60):02d}
        　来源：{r["source"]}　浏览次数：<span id="hits">{rng.randrange(10, 5000)}</span>
        　字号：[<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a>
        <a href="javascript:doZoom(14)">小</a>]</div>
      <div class="article-content" id="zoom">
"""
        body = "\n".join(
            f'        <p style="text-indent: 2em; line-height: 2em;">{line}</p>'
            for line in r["text"].split("\n")
            if line
        )
        related = "\n".join(
            f'        <li><a href="/art/{2015 + rng.randrange(11)}/{rng.randrange(1, 13)}/'
            f'{rng.randrange(1, 29)}/art_{site["column"]}_{rng.randrange(10**6)}.html">'
            f"{site['name']}{rng.choice(DEPARTMENTS)}{rng.choice(TOPICS)}</a></li>"
            for _ in range(rng.randint(4, 8))
        )
        tail = f"""
      </div>
      <div class="share">分享到：<a class="wx">微信</a> <a class="wb">微博</a>
        <a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
      <div class="related"><h3>相关文章</h3><ul>
{related}
      </ul></div>
    </div>
"""
        return (head.replace("{title}", r["title"]) + table + body + tail + footer).encode("utf-8")


def real_page_templates() -> list[tuple[str, str]]:
    """(before, after) the content container of each real detail page (decoded, as UTF-8).

    The container is found by the cleaners' own locators; what is left is the page's real
    navigation, scripts, styles and footer, which is most of a real page's bytes.
    """
    import lxml.html

    from cleaners.decode import decode_html
    from cleaners.extract import detect_family, find_container

    kinds: dict[str, str] = {}
    manifest = REAL_PAGE_DIRS[0] / "manifest.tsv"
    if manifest.exists():
        for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
            cols = line.split("\t")
            if len(cols) > 6:
                kinds[cols[0]] = cols[6]
    out = []
    for folder in REAL_PAGE_DIRS:
        for path in sorted(folder.glob("*.htm*")) if folder.exists() else []:
            if kinds.get(path.name, "detail") != "detail" or "-dom" in path.name:
                continue  # browser DOM copies (also "selenium" ones) are not bytes as served
            if "selenium" in path.name:
                continue
            text, _ = decode_html(path.read_bytes())
            root = lxml.html.fromstring(text)
            container, _ = find_container(root, detect_family(text, None))
            if container is None:
                continue
            for child in list(container):
                container.remove(child)
            container.text = CONTENT_MARK
            page = lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
            before, mark, after = page.partition(CONTENT_MARK)
            if mark:
                out.append((before, after))
    return out


# -- producer process ----------------------------------------------------------------------------


def _produce(
    queue: mp.Queue, seed: int, start: int, stop: int, batch: int, worker: int = 0,
    workers: int = 1, prepare: bool = False,
) -> None:
    """Generate batches worker, worker + workers, ... of [start, stop); with `prepare`, also
    compute each page's `prepare_page` (the CPU half of record_fetch)."""
    from archive.store import prepare_page

    corpus = Corpus(seed)
    for k, lo in enumerate(range(start, stop, batch)):
        if k % workers != worker:
            continue
        docs = [corpus.doc(i) for i in range(lo, min(stop, lo + batch))]
        if prepare:
            for d in docs:
                d["prepared"] = prepare_page(d["body"], d["record"])
        queue.put(docs)
    queue.put(None)


def stream(seed: int, start: int, stop: int, batch: int, workers: int = 0
           ) -> Iterator[list[dict]]:  # fmt: skip
    """Batches of documents [start, stop) in order, generated in other processes (bounded
    queues). workers=0: one generating process; N > 0: N processes that also prepare pages."""
    ctx = mp.get_context("fork")
    n = max(1, workers)
    queues = [ctx.Queue(maxsize=4) for _ in range(n)]
    procs = [
        ctx.Process(target=_produce, args=(queues[w], seed, start, stop, batch, w, n, workers > 0),
                    daemon=True)
        for w in range(n)
    ]  # fmt: skip
    for proc in procs:
        proc.start()
    try:
        k = 0
        while True:
            chunk = queues[k % n].get()
            if chunk is None:
                break
            yield chunk
            k += 1
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join(timeout=10)


# -- ingest ----------------------------------------------------------------------------------------


def _db_files(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def _file_size(db: Path) -> int:
    return sum(p.stat().st_size for p in _db_files(db) if p.exists())


def _max_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _store(archive, d: dict):
    return archive.record_fetch(
        url=d["url"], site=d["site"], status=200, headers=d["headers"], body=d["body"],
        record=d["record"], cleaner_version=CLEANER_VERSION, fetched_at=d["fetched_at"],
        province=d["province"], prepared=d.get("prepared"),
    )  # fmt: skip


def ingest(db: Path, docs: int, seed: int, batch: int, workers: int = 0) -> dict:
    from archive.store import Archive

    archive = Archive(db)
    chunks: list[tuple[int, float]] = []
    outcomes: dict[str, int] = {}
    kinds: dict[str, int] = {}
    id_mismatch = 0
    busy = wait = 0.0
    done = 0
    started = last_print = time.perf_counter()
    last_done = 0
    batches = stream(seed, 0, docs, batch, workers)
    while True:
        t0 = time.perf_counter()
        chunk = next(batches, None)
        t1 = time.perf_counter()
        wait += t1 - t0
        if chunk is None:
            break
        with archive.batch():
            for d in chunk:
                result = _store(archive, d)
                outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
                kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
                id_mismatch += result.document_id != d["i"] + 1
        t2 = time.perf_counter()
        busy += t2 - t1
        chunks.append((len(chunk), t2 - t1))
        done += len(chunk)
        if t2 - last_print >= 10 or done == docs:
            print(
                f"[ingest] {done:,}/{docs:,} docs  {done / busy:,.0f}/s in record_fetch "
                f"(last {t2 - last_print:.0f} s: {(done - last_done) / (t2 - last_print):,.0f}/s "
                f"wall)  waited for generator {wait:.1f} s  db {_file_size(db) / 2**30:.2f} GiB  "
                f"rss {_max_rss_mb():,.0f} MB",
                file=sys.stderr,
                flush=True,
            )
            last_print, last_done = t2, done
    wall = time.perf_counter() - started
    t0 = time.perf_counter()
    archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpoint = time.perf_counter() - t0
    archive.close()

    def rate(part: list[tuple[int, float]]) -> float:
        return sum(n for n, _ in part) / max(1e-9, sum(s for _, s in part))

    tenth = max(1, len(chunks) // 10)
    return {
        "docs": done, "busy": busy, "wall": wall, "wait": wait, "checkpoint": checkpoint,
        "rate": done / busy, "wall_rate": done / wall,
        "first10": rate(chunks[:tenth]), "last10": rate(chunks[-tenth:]),
        "outcomes": outcomes, "kinds": kinds, "id_mismatch": id_mismatch,
        "max_rss_mb": _max_rss_mb(), "batch": batch, "workers": workers,
    }  # fmt: skip


# -- sizes -----------------------------------------------------------------------------------------

PARTS = ("raw", "texts", "search index", "near-dup index", "versions", "captures", "documents",
         "document_urls", "duplicates", "other")  # fmt: skip


def _part(table: str) -> str:
    if table in (
        "raw",
        "texts",
        "versions",
        "captures",
        "documents",
        "document_urls",
        "duplicates",
    ):
        return table
    if "fts" in table or table.startswith("search"):
        return "search index"
    if table.startswith("minhash_"):
        return "near-dup index"
    return "other"


def sizes(db: Path) -> dict:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    freelist = conn.execute("PRAGMA freelist_count").fetchone()[0] * page_size
    owner = {name: tbl for name, tbl in conn.execute("SELECT name, tbl_name FROM sqlite_master")}
    parts = dict.fromkeys(PARTS, 0)
    objects: list[tuple[str, int]] = []
    t0 = time.perf_counter()
    try:
        rows = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
        method = "dbstat"
    except sqlite3.OperationalError as exc:  # no SQLITE_ENABLE_DBSTAT_VTAB
        rows = []
        method = f"dbstat unavailable ({exc}); parts estimated from column lengths"
    for name, size in rows:
        parts[_part(owner.get(name, name))] += size
        objects.append((name, size))
    dbstat_seconds = time.perf_counter() - t0
    raw_z, raw_plain, raw_rows = conn.execute(
        "SELECT SUM(LENGTH(body)), SUM(size), COUNT(*) FROM raw"
    ).fetchone()
    text_bytes, text_rows = conn.execute(
        "SELECT SUM(LENGTH(CAST(text AS BLOB))), COUNT(*) FROM texts"
    ).fetchone()
    if not rows:  # estimate: payload bytes only
        parts["raw"], parts["texts"] = raw_z or 0, text_bytes or 0
    conn.close()
    file_size = db.stat().st_size
    base = (raw_z or 0) + (text_bytes or 0)
    return {
        "file": file_size, "freelist": freelist, "parts": parts, "method": method,
        "objects": sorted(objects, key=lambda o: -o[1]), "raw_zlib": raw_z or 0,
        "raw_plain": raw_plain or 0, "raw_rows": raw_rows, "text": text_bytes or 0,
        "text_rows": text_rows, "base": base, "ratio": file_size / base if base else float("nan"),
        "dbstat_seconds": dbstat_seconds,
    }  # fmt: skip


# -- duplicate links -------------------------------------------------------------------------------


def duplicate_check(db: Path, corpus: Corpus, sample_pairs: int = 400) -> dict:
    """Links the archive made vs. the reposts planted; LSH bucket load; random-pair similarity."""
    import numpy as np

    from archive.dedup import estimated_jaccard, exact_jaccard

    conn = sqlite3.connect(db)
    n_docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    planted: dict[str, int] = {}
    accidental: dict[str, int] = {}
    examples = []
    base_cache: dict[int, int] = {}

    def base(doc_id: int) -> int:
        i = doc_id - 1
        if i not in base_cache:
            if len(base_cache) > 100_000:
                base_cache.clear()
            base_cache[i] = corpus.origin(i)[1]
        return base_cache[i]

    for a, b, kind, sim in conn.execute(
        "SELECT document_id, other_id, kind, similarity FROM duplicates"
    ):
        if base(a) == base(b):
            planted[kind] = planted.get(kind, 0) + 1
        else:
            accidental[kind] = accidental.get(kind, 0) + 1
            if len(examples) < 5:
                examples.append((a, b, kind, sim))
    linked_docs = conn.execute(
        "SELECT COUNT(*) FROM (SELECT document_id FROM duplicates UNION SELECT other_id "
        "FROM duplicates)"
    ).fetchone()[0]
    clusters = conn.execute(
        "SELECT COUNT(*), MAX(c) FROM (SELECT COUNT(*) c FROM documents GROUP BY cluster_id "
        "HAVING c > 1)"
    ).fetchone()
    # LSH load: rows sharing a (band, bucket) with a document = candidates one lookup reads.
    t0 = time.perf_counter()
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    group = (
        "SELECT COUNT(*) c FROM minhash_buckets GROUP BY bucket"
        if "minhash_buckets" in tables
        else "SELECT COUNT(*) c FROM minhash_bands GROUP BY band, bucket"
    )
    collisions, biggest = conn.execute(f"SELECT SUM(c * (c - 1)), MAX(c) FROM ({group})").fetchone()
    lsh_seconds = time.perf_counter() - t0
    # Similarity of random pairs of original documents (signatures stored by the archive).
    rng = random.Random(7)
    sims = []
    for _ in range(sample_pairs):
        a, b = rng.randrange(n_docs), rng.randrange(n_docs)
        if a == b or corpus.origin(a)[0] != "original" or corpus.origin(b)[0] != "original":
            continue
        sa, sb = (
            conn.execute(
                "SELECT signature FROM minhash_signatures WHERE document_id = ?", [x + 1]
            ).fetchone()
            for x in (a, b)
        )
        if sa and sb:
            sims.append(estimated_jaccard(np.frombuffer(sa[0], "<u4"), np.frombuffer(sb[0], "<u4")))
    conn.close()
    seeds = ["".join(lines) for lines in _seed_bodies()]
    seed_sims = [
        exact_jaccard(seeds[x], seeds[y])
        for x in range(len(seeds))
        for y in range(x + 1, len(seeds))
    ]
    sims.sort()
    return {
        "docs": n_docs, "planted": planted, "accidental": accidental, "examples": examples,
        "linked_docs": linked_docs, "clusters": clusters[0], "largest_cluster": clusters[1] or 0,
        "candidates_per_lookup": (collisions or 0) / max(1, n_docs), "largest_bucket": biggest,
        "lsh_seconds": lsh_seconds,
        "pair_mean": statistics.mean(sims) if sims else float("nan"),
        "pair_p99": sims[int(0.99 * (len(sims) - 1))] if sims else float("nan"),
        "pair_max": sims[-1] if sims else float("nan"), "pairs": len(sims),
        "seed_pair_mean": statistics.mean(seed_sims) if seed_sims else float("nan"),
        "seed_pair_max": max(seed_sims) if seed_sims else float("nan"),
    }  # fmt: skip


# -- search through Datasette ----------------------------------------------------------------------

QUERY_CLASSES: dict[str, tuple[str, ...]] = {
    "2-char word": ("法治", "复议", "公开", "执法", "诉讼", "普法", "调解", "督察", "信访", "审批"),
    "4-char word": ("行政复议", "依法行政", "法治政府", "行政执法", "法律援助", "营商环境",
                    "社区矫正", "人民调解", "行政诉讼", "公平竞争"),
    "two words": ("行政复议 败诉", "法治 督察", "执法 监督", "普法 宣传", "营商环境 法治",
                  "行政复议 调解", "社区矫正 安全", "法律顾问 合法性"),
    "rare word": (),  # filled with site names (one site's documents) + a word in no document
}  # fmt: skip
NO_HIT = "量子纠缠"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _metadata(db: Path) -> dict:
    try:
        from govarchive.cli import datasette_metadata
    except ImportError:  # the packaged file, re-keyed the same way
        import yaml

        data = yaml.safe_load((ROOT / "archive" / "datasette" / "metadata.yml").read_text("utf-8"))
        data["databases"] = {db.stem: data["databases"]["archive"]}
        return data
    return datasette_metadata(db)


def _plugin_wiring(tmp: Path) -> tuple[list[str], str]:
    """Extra `datasette serve` arguments that load archive.datasette_plugin, and how."""
    from importlib import metadata as importlib_metadata

    ours = [
        ep for ep in importlib_metadata.entry_points(group="datasette")
        if ep.value.split(":")[0].startswith("archive")
    ]  # fmt: skip
    if any(ep.value.split(":")[0] == "archive.datasette_plugin" for ep in ours):
        return [], "entry points " + ", ".join(f"`{ep.name} = {ep.value}`" for ep in ours)
    try:
        import archive.datasette_plugin  # noqa: F401
    except ImportError as exc:
        return [], f"archive.datasette_plugin not importable ({exc}): no plugin"
    plugins = tmp / "plugins"
    plugins.mkdir()
    (plugins / "govarchive_search.py").write_text(
        "import archive.datasette_plugin as _p\n"
        "globals().update({k: v for k, v in vars(_p).items() if not k.startswith('__')})\n",
        "utf-8",
    )
    return ["--plugins-dir", str(plugins)], "--plugins-dir with a module re-exporting its hooks"


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes, float]:
    t0 = time.perf_counter()
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    return resp.status, body, time.perf_counter() - t0


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def search_bench(db: Path, corpus: Corpus, queries: int, html_queries: int) -> dict:
    classes = dict(QUERY_CLASSES)
    rng = random.Random(11)
    classes["rare word"] = (*(s["name"] for s in rng.sample(corpus.sites, 4)), NO_HIT)
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        meta_path = tmp / "metadata.json"
        meta_path.write_text(json.dumps(_metadata(db), ensure_ascii=False), "utf-8")
        extra, wiring = _plugin_wiring(tmp)
        cmd = [sys.executable, "-m", "datasette", "serve", str(db), "--port", str(port),
               "--host", "127.0.0.1", "--metadata", str(meta_path), *extra]  # fmt: skip
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        log = (tmp / "datasette.log").open("w+b")
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            return _run_queries(db, port, proc, log, classes, queries, html_queries, wiring, cmd)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _run_queries(db, port, proc, log, classes, queries, html_queries, wiring, cmd) -> dict:
    deadline = time.monotonic() + 120
    t0 = time.perf_counter()
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            status, body, _ = _get(conn, "/-/plugins.json")
            if status == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            raise RuntimeError(f"datasette did not start: {log.read().decode()[-3000:]}")
        time.sleep(0.3)
    startup = time.perf_counter() - t0
    plugins = [p.get("name") for p in json.loads(body)]
    name = db.stem

    def path(q: str, html: bool = False, nocount: bool = False) -> str:
        qs = urllib.parse.quote(q)
        if html:
            return f"/{name}/documents?_search={qs}"
        extra = "&_nocount=1" if nocount else ""
        return f"/{name}/documents.json?_search={qs}&_shape=objects&_size=20{extra}"

    # Warm up: every query once (JSON and HTML), not timed; the page cache is then warm.
    t0 = time.perf_counter()
    for words in classes.values():
        for q in words:
            _get(conn, path(q))
            _get(conn, path(q, html=True))
    warmup = time.perf_counter() - t0
    results = {}
    for cls, words in classes.items():
        times, html_times, counts, errors, sample_error = [], [], {}, 0, None
        for k in range(queries):
            q = words[k % len(words)]
            status, body, dt = _get(conn, path(q))
            times.append(dt)
            if status != 200:
                errors += 1
                sample_error = sample_error or f"{status} {body[:200]!r}"
                continue
            data = json.loads(body)
            counts[q] = (data.get("filtered_table_rows_count"), len(data.get("rows", [])))
        nocount_times = []
        for k in range(queries):
            status, body, dt = _get(conn, path(words[k % len(words)], nocount=True))
            nocount_times.append(dt)
            if status != 200:
                errors += 1
                sample_error = sample_error or f"_nocount {status} {body[:200]!r}"
        for k in range(html_queries):
            status, body, dt = _get(conn, path(words[k % len(words)], html=True))
            html_times.append(dt)
            if status != 200:
                errors += 1
                sample_error = sample_error or f"HTML {status}"
        results[cls] = {
            "n": len(times), "median": _pct(times, 0.5), "p95": _pct(times, 0.95),
            "max": max(times), "nocount_median": _pct(nocount_times, 0.5),
            "nocount_p95": _pct(nocount_times, 0.95), "html_n": len(html_times), "html_median": _pct(html_times, 0.5),
            "html_p95": _pct(html_times, 0.95), "counts": counts, "errors": errors,
            "sample_error": sample_error,
        }  # fmt: skip
    all_json = [v for r in results.values() for v in [r["p95"]]]
    conn.close()
    return {
        "classes": results, "plugins": plugins, "wiring": wiring, "startup": startup,
        "warmup": warmup, "worst_p95": max(all_json), "cmd": " ".join(cmd),
    }  # fmt: skip


# -- profile ---------------------------------------------------------------------------------------


def profile(n: int, seed: int, batch: int, top: int = 30) -> str:
    """cProfile of record_fetch on n documents (generated beforehand, not profiled)."""
    from archive.store import Archive

    corpus = Corpus(seed)
    docs = [corpus.doc(i) for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive(Path(tmp) / "profile.db")
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        for lo in range(0, n, batch):
            with archive.batch():
                for d in docs[lo : lo + batch]:
                    _store(archive, d)
        prof.disable()
        elapsed = time.perf_counter() - t0
        archive.close()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    by_tottime = out.getvalue()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    return (
        f"## Profile: record_fetch on {n:,} documents ({n / elapsed:,.0f} docs/s under cProfile, "
        f"{elapsed:.1f} s)\n\n### by own time\n\n```\n{_trim(by_tottime)}\n```\n\n"
        f"### by cumulative time\n\n```\n{_trim(out.getvalue())}\n```\n"
    )


def _trim(text: str) -> str:
    lines = text.splitlines()
    start = next((k for k, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(line.replace(str(ROOT) + "/", "") for line in lines[start:]).rstrip()


# -- report ----------------------------------------------------------------------------------------


def _machine() -> str:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f"{kb / 2**20:.0f} GiB"
    try:
        from importlib import metadata as importlib_metadata

        ds = importlib_metadata.version("datasette")
    except Exception:  # noqa: BLE001
        ds = "?"
    return (
        f"- machine: {os.cpu_count()} cores ({cpu}), {mem} RAM, {platform.platform()}\n"
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, Datasette {ds}\n"
    )


def _mb(n: float) -> str:
    return f"{n / 2**20:,.1f}"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(args, corpus: Corpus, ing: dict | None, size: dict, dup: dict | None,
           search: dict | None, prof: str | None) -> str:  # fmt: skip
    n = size["docs"]
    lines = [f"# Archive at scale: {n:,} documents ({datetime.now().isoformat(timespec='seconds')})",
             "", _machine(),
             f"- corpus: seed {args.seed}; {corpus.stats['seed_sentences']} seed sentences + "
             f"clauses recombined -> pool of {corpus.stats['pool']:,} sentences, "
             f"{corpus.stats['sites']:,} sites; planted ~{EXACT_SHARE:.0%} exact and "
             f"~{NEAR_SHARE:.0%} near reposts",
             "- raw pages: " + (
                 f"the chrome of {len(corpus.templates)} real detail pages as served "
                 f"({', '.join(f'{(len(a) + len(b)) // 1024} KB' for a, b in corpus.templates)}; "
                 "found in ../shared/realpages, content container located by the cleaners) "
                 "around each synthetic document"
                 if corpus.templates else
                 "a synthetic template of ~5 KB (../shared/realpages not found: real pages are "
                 "~100 KB, so the size ratio is pessimistic)"),
             f"- database: `{args.db}`", ""]  # fmt: skip
    if ing:
        lines += [
            "## Ingest (Archive.record_fetch, production path)", "",
            f"- {ing['docs']:,} documents in batches of {ing['batch']:,} per transaction; "
            f"outcomes {ing['outcomes']}; planted kinds {ing['kinds']}",
        ]  # fmt: skip
        if ing["workers"]:
            lines += [
                f"- mode: {ing['workers']} worker processes generate documents and compute "
                f"`prepare_page` (digest, zstd body, NFKC, fingerprints, search tokens, MinHash); "
                "the main process writes (`record_fetch(prepared=...)`): the rate is wall clock, "
                "generation included",
                f"- **{ing['wall_rate']:,.0f} documents/s** (wall clock {ing['wall']:,.1f} s; "
                f"the writer was busy {ing['busy']:,.1f} s = {ing['rate']:,.0f}/s and waited "
                f"{ing['wait']:,.1f} s for workers); first 10 %: {ing['first10']:,.0f}/s, "
                f"last 10 %: {ing['last10']:,.0f}/s (writer time)",
            ]  # fmt: skip
        else:
            lines += [
                "- mode: serial, everything in record_fetch (a separate process only generates)",
                f"- **{ing['rate']:,.0f} documents/s** (time in record_fetch + commit: "
                f"{ing['busy']:,.1f} s); first 10 %: {ing['first10']:,.0f}/s, last 10 %: "
                f"{ing['last10']:,.0f}/s; wall clock {ing['wall']:,.1f} s "
                f"({ing['wall_rate']:,.0f}/s) incl. {ing['wait']:,.1f} s waiting for the generator",
            ]  # fmt: skip
        lines += [
            f"- final WAL checkpoint {ing['checkpoint']:.1f} s; ingest process max RSS "
            f"{ing['max_rss_mb']:,.0f} MB", "",
        ]  # fmt: skip
        if ing["id_mismatch"]:
            lines += [f"- WARNING: {ing['id_mismatch']:,} documents got an unexpected id", ""]
    p = size["parts"]
    lines += ["## Size", "", f"Method: {size['method']} (took {size['dbstat_seconds']:.1f} s).", "",
              "| part | MiB | share of file | per document |", "|---|---:|---:|---:|"]  # fmt: skip
    for part in PARTS:
        lines.append(
            f"| {part} | {_mb(p[part])} | {p[part] / size['file']:.1%} | "
            f"{p[part] / max(1, n):,.0f} B |"
        )
    lines += [
        f"| free pages | {_mb(size['freelist'])} | {size['freelist'] / size['file']:.1%} | |",
        f"| **file (after WAL checkpoint)** | **{_mb(size['file'])}** | 100 % | "
        f"{size['file'] / max(1, n):,.0f} B |",
        "",
        f"- compressed raw (SUM(LENGTH(body)), {size['raw_rows']:,} bodies): "
        f"{_mb(size['raw_zlib'])} MiB (uncompressed {_mb(size['raw_plain'])} MiB, "
        f"{size['raw_zlib'] / max(1, size['raw_plain']):.0%})",
        f"- text (UTF-8 bytes of {size['text_rows']:,} texts): {_mb(size['text'])} MiB",
        f"- **ratio file / (compressed raw + text) = {size['ratio']:.2f}**",
        "",
        "Largest objects: " + ", ".join(f"{o} {_mb(s)} MiB" for o, s in size["objects"][:10]),
        "",
    ]
    if dup:
        lines += [
            "## Duplicate links", "",
            f"- links to planted reposts: {dup['planted']}; **accidental links between unrelated "
            f"documents: {dup['accidental'] or 0}**"
            + (f" (e.g. {dup['examples']})" if dup["examples"] else ""),
            f"- documents with a link: {dup['linked_docs']:,} ({dup['linked_docs'] / max(1, n):.1%});"
            f" clusters > 1: {dup['clusters']:,}, largest {dup['largest_cluster']}",
            f"- LSH load: a lookup reads on average {dup['candidates_per_lookup']:.2f} candidate "
            f"band rows (largest bucket {dup['largest_bucket']}; measured in "
            f"{dup['lsh_seconds']:.1f} s)",
            f"- estimated Jaccard of {dup['pairs']} random pairs of original documents: mean "
            f"{dup['pair_mean']:.3f}, p99 {dup['pair_p99']:.3f}, max {dup['pair_max']:.3f} "
            f"(the real seed reports, pairwise exact Jaccard: mean {dup['seed_pair_mean']:.3f}, "
            f"max {dup['seed_pair_max']:.3f})",
            "",
        ]  # fmt: skip
    if search:
        lines += [
            "## Search through Datasette (HTTP, sequential)", "",
            f"- `{search['cmd']}`",
            f"- plugin: {search['wiring']}; loaded plugins: {search['plugins']}",
            f"- startup {search['startup']:.1f} s; warm-up (every query once) "
            f"{search['warmup']:.1f} s",
            f"- JSON: `/{Path(args.db).stem}/documents.json?_search=Q&_shape=objects&_size=20`, "
            f"{args.queries} requests per class; HTML: `/documents?_search=Q`, "
            f"{args.html_queries} per class", "",
            "| class | JSON median ms | JSON p95 ms | JSON max ms | JSON+_nocount=1 median / p95 ms "
            "| HTML median ms | HTML p95 ms | errors | results (filtered_table_rows_count) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]  # fmt: skip
        for cls, r in search["classes"].items():
            counts = ", ".join(f"{q}: {c[0]}" for q, c in r["counts"].items())
            lines.append(
                f"| {cls} | {r['median'] * 1000:,.1f} | {r['p95'] * 1000:,.1f} | "
                f"{r['max'] * 1000:,.1f} | {r['nocount_median'] * 1000:,.1f} / "
                f"{r['nocount_p95'] * 1000:,.1f} | {r['html_median'] * 1000:,.1f} | "
                f"{r['html_p95'] * 1000:,.1f} | {r['errors']} | {counts} |"
            )
        errs = [f"{c}: {r['sample_error']}" for c, r in search["classes"].items() if r["errors"]]
        lines += [""] + ([f"- errors: {errs}", ""] if errs else [])
    lines += ["## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    if ing:
        headline = ing["wall_rate"] if ing["workers"] else ing["rate"]
        mode = f"wall clock, {ing['workers']} workers + writer" if ing["workers"] else "serial"
        lines.append(f"| ingest >= 1,000 documents/s | {headline:,.0f}/s ({mode}) | "
                     f"{_verdict(headline >= 1000)} |")  # fmt: skip
    if search:
        worst = search["worst_p95"] * 1000
        note = "" if n >= 1_000_000 else f" (at {n:,} documents, target is at 1,000,000)"
        lines.append(f"| search p95 < 100 ms (JSON, worst class){note} | {worst:,.1f} ms | "
                     f"{_verdict(worst < 100)} |")  # fmt: skip
    lines.append(f"| database <= 2 x (compressed raw + text) | {size['ratio']:.2f} x | "
                 f"{_verdict(size['ratio'] <= 2)} |")  # fmt: skip
    lines.append("")
    if prof:
        lines += [prof, ""]
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--db", default="/tmp/archive_scale.db")
    ap.add_argument("--queries", type=int, default=50, help="JSON requests per query class")
    ap.add_argument("--html-queries", type=int, default=5, help="HTML requests per query class")
    ap.add_argument("--batch", type=int, default=1000, help="documents per transaction")
    ap.add_argument("--seed", type=int, default=20240301)
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument("--force", action="store_true", help="overwrite an existing --db")
    ap.add_argument("--reuse", action="store_true",
                    help="skip ingest: measure sizes and search on an existing --db")  # fmt: skip
    ap.add_argument("--no-search", action="store_true")
    ap.add_argument("--workers", type=int, default=0,
                    help="processes that generate and prepare pages while the main process "
                         "writes (0: serial record_fetch)")  # fmt: skip
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="also cProfile record_fetch on N documents (temp database)")  # fmt: skip
    ap.add_argument("--profile-only", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results_archive_scale.md"),
                    help="markdown report, appended (default: %(default)s)")  # fmt: skip
    args = ap.parse_args(argv)
    db = Path(args.db)
    prof = profile(args.profile, args.seed, args.batch) if args.profile else None
    if args.profile_only:
        print(prof)
        with open(args.out, "a", encoding="utf-8") as f:
            f.write(prof + "\n")
        return 0
    if args.reuse:
        if not db.is_file():
            raise SystemExit(f"--reuse: no database at {db}")
        args.keep = True
    elif db.exists():
        if not args.force:
            raise SystemExit(f"{db} exists: pass --force to overwrite or --reuse to measure it")
        for p in _db_files(db):
            p.unlink(missing_ok=True)
    corpus = Corpus(args.seed)
    ing = None if args.reuse else ingest(db, args.docs, args.seed, args.batch, args.workers)
    print("[sizes] measuring (dbstat) ...", file=sys.stderr, flush=True)
    size = sizes(db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        size["docs"] = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    print("[duplicates] checking links ...", file=sys.stderr, flush=True)
    dup = duplicate_check(db, corpus)
    search = None
    if not args.no_search:
        print("[search] starting Datasette ...", file=sys.stderr, flush=True)
        search = search_bench(db, corpus, args.queries, args.html_queries)
    text = report(args, corpus, ing, size, dup, search, prof)
    print(text)
    with open(args.out, "a", encoding="utf-8") as f:
        f.write(text + "\n\n")
    if not args.keep:
        for p in _db_files(db):
            p.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
