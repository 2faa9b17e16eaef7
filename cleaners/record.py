"""The document record: the one shape shared by `govarchive clean`, the archive and exports."""

from __future__ import annotations

# Order matters: it is the column order of the archive and of JSONL exports.
RECORD_FIELDS: tuple[str, ...] = (
    "title",
    "text",
    "index_no",  # 索引号
    "publisher",  # 发布机构
    "written_date",  # 成文日期 (ISO YYYY-MM-DD)
    "published_date",  # 发布日期 (ISO YYYY-MM-DD)
    "doc_number",  # 文号
    "category",  # 组配分类 / 主题分类
    "validity",  # 有效性
    "abolished_date",  # 废止日期 (ISO)
    "disclosure",  # 公开方式
    "source",  # 信息来源
    "url",
    "site",
)

# Fields whose value is an ISO date; a value that cannot be parsed is kept raw
# under "<field>_raw" in the record's extras, never guessed.
DATE_FIELDS: tuple[str, ...] = ("written_date", "published_date", "abolished_date")


def empty_record(url: str, site: str | None = None) -> dict:
    record: dict = dict.fromkeys(RECORD_FIELDS)
    record["url"] = url
    record["site"] = site
    return record
