"""(Re)generate the replica entries of tests/corpus/labels.json from the replica's own content.

Labels come from ``replica.World(generation=0).served_documents()`` (what the replica knows it
serves), never from the cleaner. Two documents per portal: the seed report and the first
non-seed document. ``must_not`` keeps the candidate boilerplate strings that are visible on the
rendered page but are not part of the served body text.

    /work/venv/bin/python bench/make_replica_labels.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html

from cleaners.record import RECORD_FIELDS
from replica import ReplicaServer, World

LABELS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "labels.json"
FIELDS = tuple(f for f in RECORD_FIELDS if f not in ("title", "text", "url", "site"))
CANDIDATES = (
    "当前位置",
    "首页",
    "索引号",
    "组配分类",
    "发布机构",
    "成文日期",
    "发文字号",
    "公开方式",
    "主题分类",
    "发布日期",
    "发布时间",
    "浏览次数",
    "信息来源",
    "来源：",
    "字体",
    "字号",
    "打印",
    "关闭",
    "分享",
    "扫一扫",
    "Produced By",
    "大汉版通",
    "网站标识码",
    "ICP备",
    "公网安备",
    "主办单位",
    "版权所有",
    "网站地图",
    "联系我们",
    "上一篇",
    "下一篇",
    "相关链接",
    "我要纠错",
    "无障碍",
)


def _visible(html: str) -> str:
    html = re.sub(r"</(?:html|body)\s*>", "", html, flags=re.I)
    root = lxml.html.fromstring(html)
    for el in root.xpath("//script|//style|//head"):
        el.drop_tree()
    return root.text_content()


def _ws(s: str) -> str:
    return re.sub(r"\s+", "", s)


def build() -> list[dict]:
    world = World(generation=0)
    server = ReplicaServer(world)
    docs = world.served_documents()
    chosen = []
    for site in sorted({d.site for d in docs}):
        mine = [d for d in docs if d.site == site]
        seed = next(d for d in mine if d.is_seed)
        other = next(d for d in mine if not d.is_seed)
        chosen += [seed, other]
    out = []
    for doc in chosen:
        _h, _t, resp = server.handle("GET", doc.url, {}, b"")
        codec = "gb18030" if b"charset=gb" in resp.body[:2000].lower() else "utf-8"
        vis = _ws(_visible(resp.body.decode(codec, "replace")))
        lines = [ln for ln in doc.text.split("\n") if len(_ws(ln)) >= 4]
        must = [lines[0], lines[len(lines) // 2], lines[-1]]
        if len(lines) > 3:
            must.insert(2, lines[-2])
        body = _ws(doc.text)
        must_not = [c for c in CANDIDATES if _ws(c) in vis and _ws(c) not in body]
        out.append(
            {
                "id": f"replica-{doc.site}-{'seed' if doc.is_seed else 'doc'}",
                "kind": "replica",
                "site": doc.site,
                "url": doc.url,
                "split": "dev",
                "seed": bool(doc.is_seed),
                "title": doc.title,
                "metadata": {f: doc.metadata.get(f) for f in FIELDS},
                "must": list(dict.fromkeys(must)),
                "must_not": must_not,
            }
        )
    return out


def main() -> None:
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    data["pages"] = [p for p in data["pages"] if p.get("kind") != "replica"] + build()
    LABELS.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{LABELS}: {len(data['pages'])} pages")


if __name__ == "__main__":
    main()
