"""Seed documents and the generator of realistic disclosure documents.

Seeds are the text of five real published reports (``data/seeds/*.txt``).  ``manifest.json``
says which lines of each file are the body; the rest is boilerplate captured from the original
page.  Body lines are kept verbatim, except that lines made only of (non-breaking) spaces are
dropped and each paragraph's surrounding whitespace is removed in the clean ``text``.

Generated documents are built deterministically from phrase banks with a ``random.Random``
passed in by the caller.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources

from .sites import SiteSpec

DATA = resources.files("replica") / "data" / "seeds"


@dataclass(frozen=True)
class SeedSpec:
    seed_id: str
    site: str
    column: str
    url: str
    doc_id: int
    title: str
    published: datetime
    department: str
    metadata: dict[str, str | None]
    raw_lines: tuple[str, ...]  # body lines as on the page (leading nbsp kept), blank lines dropped

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.raw_lines]


def _is_blank(line: str) -> bool:
    return not line.replace("\xa0", " ").strip()


def load_seeds() -> list[SeedSpec]:
    manifest = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    seeds: list[SeedSpec] = []
    for entry in manifest["seeds"]:
        lines = (DATA / f"{entry['seed_id']}.txt").read_text(encoding="utf-8").split("\n")
        body = [ln.rstrip() for ln in lines[entry["body_start"] : entry["body_end"]]]
        body = [ln for ln in body if not _is_blank(ln)]
        seeds.append(
            SeedSpec(
                seed_id=entry["seed_id"],
                site=entry["site"],
                column=entry["column"],
                url=entry["url"],
                doc_id=int(entry["doc_id"]),
                title=entry["title"],
                published=datetime.strptime(entry["published"], "%Y-%m-%d %H:%M:%S"),
                department=entry["department"],
                metadata=dict(entry["metadata"]),
                raw_lines=tuple(body),
            )
        )
    return seeds


# --------------------------------------------------------------------------------------------
# Titles
# --------------------------------------------------------------------------------------------

CN_NUM = "一二三四五六七八九十"

# (pattern, publication rule) for the 法治政府建设 / 计划总结 columns.  ``{y}`` is the report year.
REPORT_TITLES: tuple[tuple[str, str], ...] = (
    ("{dept}{y}年度法治政府建设报告", "annual"),
    ("{dept}{y}年法治政府建设年度报告", "annual"),
    ("{dept}关于{y}年度法治政府建设情况的报告", "annual"),
    ("{dept}{y}年法治政府建设工作情况报告", "annual"),
    ("{dept}{y}年上半年法治政府建设工作总结", "midyear"),
    ("{dept}{y}年度普法依法治理工作总结", "annual"),
    ("{dept}{y}年工作总结和{y1}年工作计划", "annual"),
    ("{dept}{y}年工作要点", "spring"),
    ("{dept}{y}年政府信息公开工作年度报告", "annual"),
    ("{dept}{y}年度行政执法工作总结", "annual"),
    ("{dept}{y}年度普法责任制落实情况报告", "annual"),
)

# Notice column titles; ``{y}`` is the year of publication.
NOTICE_TITLES: tuple[tuple[str, str, bool], ...] = (
    ("关于印发《{county}{y}年政务公开工作要点》的通知", "spring", True),
    ("{county}人民政府办公室关于做好{y}年春节期间安全生产工作的通知", "january", True),
    ("关于印发《{county}{y}年法治政府建设工作要点》的通知", "spring", True),
    ("{county}人民政府关于公布{y}年度重大行政决策事项目录的通知", "spring", True),
    ("{county}人民政府办公室关于做好{y}年汛期安全防范工作的通知", "summer", True),
    ("关于开展{y}年度政府信息公开工作考核的通知", "any", False),
    ("{dept}关于{y}年度“双随机、一公开”抽查工作计划的公告", "spring", False),
    ("{dept}关于公布{y}年度行政执法主体及执法依据的公告", "any", False),
    ("{dept}关于开展{y}年“法律进乡村”宣传活动的通知", "any", False),
    ("关于{y}年清明节、劳动节期间加强森林防火工作的通知", "march", False),
    ("{dept}关于公开征求《{county}{y}年民生实事项目（征求意见稿）》意见的公告", "january", False),
    ("{county}人民政府办公室关于印发{y}年度行政规范性文件制定计划的通知", "spring", True),
)

DOC_NUMBER_PREFIX: dict[str, str] = {
    "wenshang": "汶政办发",
    "xiangdu": "襄政办字",
    "qingyuan_sfj": "清司",
    "suixi": "濉政办秘",
    "lushan": "鲁政办",
    "ruyuan": "乳府办",
    "jinyun": "缙政办发",
    "chengwu": "成政办字",
    "wenxi": "闻政办发",
    "huarong": "华政办函",
}


@dataclass
class DocDraft:
    """A generated document before the world gives it an id, URL and index number."""

    title: str
    department: str
    published: datetime
    paragraphs: list[str]
    doc_number: str | None
    written: datetime
    kind: str


def _pub_date(rng: random.Random, year: int, rule: str) -> datetime:
    month = {
        "annual": rng.randint(1, 3),
        "midyear": rng.randint(7, 8),
        "spring": rng.randint(2, 5),
        "january": 1,
        "summer": rng.randint(5, 6),
        "march": 3,
        "any": rng.randint(1, 11),
    }[rule]
    day = rng.randint(1, 28)
    return datetime(year, month, day, rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59))


def report_candidates(
    site: SiteSpec,
    rng: random.Random,
    years: range,
    exclude: set[tuple[str, int, str]],
) -> list[tuple[str, str, datetime]]:
    """(title, department, published) for the report column, shuffled.

    At most one 法治政府建设 report per department and year (``exclude`` holds the
    ``(department, year, "fz")`` keys already taken by seeds).
    """
    out: list[tuple[str, str, datetime]] = []
    seen = set(exclude)
    patterns = list(enumerate(REPORT_TITLES))
    rng.shuffle(patterns)
    for dept in site.departments:
        for y in years:
            for index, (pattern, rule) in patterns:
                group = "fz" if index < 4 else str(index)
                if (dept, y, group) in seen:
                    continue
                if group != "fz" and len(site.departments) > 3 and rng.random() < 0.8:
                    continue
                seen.add((dept, y, group))
                title = pattern.format(dept=dept, y=y, y1=y + 1)
                pub_year = y + 1 if rule == "annual" else y
                out.append((title, dept, _pub_date(rng, pub_year, rule)))
    rng.shuffle(out)
    return out


def notice_candidates(
    site: SiteSpec, rng: random.Random, years: range, exclude: set[str]
) -> list[tuple[str, str, datetime, bool]]:
    out: list[tuple[str, str, datetime, bool]] = []
    for y in years:
        for pattern, rule, numbered in NOTICE_TITLES:
            dept = rng.choice(site.departments)
            title = pattern.format(county=site.county, dept=dept, y=y)
            if title in exclude:
                continue
            if pattern.startswith(site.county) or pattern.startswith("{county}"):
                dept = title.split("关于")[0]
            out.append((title, dept, _pub_date(rng, y, rule), numbered))
    rng.shuffle(out)
    return out


# --------------------------------------------------------------------------------------------
# Bodies
# --------------------------------------------------------------------------------------------

REPORT_SECTIONS = (
    "加强党对法治政府建设的领导",
    "依法全面履行政府职能",
    "健全依法行政制度体系",
    "推进严格规范公正文明执法",
    "强化对行政权力的制约和监督",
    "依法有效化解社会矛盾纠纷",
    "深入开展普法宣传教育",
    "持续优化法治化营商环境",
    "存在的问题和不足",
    "下一步工作打算",
)

REPORT_SENTENCES = (
    "坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
    "全面落实{y}年度法治政府建设各项任务。",
    "严格落实党政主要负责人履行推进法治建设第一责任人职责，将法治政府建设纳入年度重点工作统筹推进。",
    "全年组织召开党组会议{n}次专题研究法治建设工作，及时解决工作推进中的重点难点问题。",
    "落实领导干部学法制度，开展会前学法{n}次，组织全体干部职工参加网上学法考试，参考率达到100%。",
    "持续深化“放管服”改革，全面推行政务服务事项“一网通办”，{n}项高频事项实现“跨省通办”。",
    "严格执行重大行政决策程序，重大行政决策事项均经过公众参与、专家论证、风险评估、合法性审查和集体讨论决定。",
    "全面推行行政执法公示、执法全过程记录、重大执法决定法制审核三项制度，全年办理行政执法案件{n}件。",
    "加强行政规范性文件合法性审核，全年审核各类文件{n}件，提出修改意见{m}条，未发生违法发文情况。",
    "自觉接受人大法律监督、政协民主监督，按期办结人大代表建议和政协委员提案{n}件，办复率100%。",
    "深入推进政务公开，主动公开政府信息{n}条，依申请公开办理{m}件，均在法定期限内答复。",
    "充分发挥人民调解作用，排查化解各类矛盾纠纷{n}起，调解成功率达到98%以上。",
    "落实“谁执法谁普法”普法责任制，开展“法律进机关、进乡村、进社区、进学校、进企业”活动{n}场次。",
    "积极推进行政复议体制改革，全年受理行政复议案件{n}件，依法纠错{m}件。",
    "法治政府建设工作仍存在薄弱环节，部分工作人员运用法治思维和法治方式解决问题的能力有待提高。",
    "基层执法力量相对薄弱，执法人员业务能力与新形势新任务的要求还有一定差距。",
    "下一步，将继续深入学习贯彻习近平法治思想，聚焦重点任务，补齐短板弱项，推动法治政府建设再上新台阶。",
    "进一步健全行政执法人员培训机制，全年组织执法人员集中培训不少于{n}学时。",
    "优化公共法律服务供给，推进公共法律服务实体、热线、网络三大平台融合发展。",
)

NOTICE_OPENINGS = (
    "各乡镇人民政府、街道办事处，{county}政府各部门、各直属机构，各有关单位：",
    "各有关单位：",
    "各乡镇（街道）、{county}直各有关部门：",
)

NOTICE_SENTENCES = (
    "为深入贯彻落实上级有关工作部署，切实做好相关工作，经研究，现将有关事项通知如下。",
    "各单位要高度重视，明确分管领导和具体责任人，结合工作实际制定具体实施方案。",
    "要严格落实工作责任，加强统筹协调，确保各项任务按时保质完成。",
    "要加强值班值守，严格执行24小时值班和领导带班制度，确保信息畅通、处置及时。",
    "要深入开展隐患排查整治，对排查发现的问题建立台账，实行销号管理。",
    "请各单位于{m}月{d}日前将工作开展情况报送至{dept}，联系电话：{phone}。",
    "要加强宣传引导，充分利用政府网站、政务新媒体等渠道及时发布权威信息，回应社会关切。",
    "对工作不力、造成不良影响的，将依法依规严肃追究相关人员责任。",
    "本通知自印发之日起施行，有效期至{y1}年12月31日。",
    "公示期间，如有意见建议，可通过信函、电子邮件等方式反馈，反馈时间截至{m}月{d}日。",
)

CLOSINGS = ("特此通知。", "特此公告。", "")


def _fill(rng: random.Random, sentence: str, **kw: object) -> str:
    return sentence.format(
        n=rng.randint(3, 60), m=rng.randint(2, 12), d=rng.randint(1, 28), **kw
    )


def report_body(
    rng: random.Random, site: SiteSpec, dept: str, year: int, signed: datetime
) -> list[str]:
    n_sections = rng.randint(2, 4)
    sections = rng.sample(REPORT_SECTIONS[:8], n_sections - 1) + [REPORT_SECTIONS[9]]
    intro = (
        f"{year}年，{dept}在{site.county}委、{site.county}政府的坚强领导下，"
        + _fill(rng, rng.choice(REPORT_SENTENCES[:2]), y=year)
        + "现将有关情况报告如下："
    )
    paras = [intro]
    for i, heading in enumerate(sections):
        paras.append(f"{CN_NUM[i]}、{heading}")
        picks = rng.sample(REPORT_SENTENCES[1:], rng.randint(2, 4))
        paras.append("".join(_fill(rng, s, y=year) for s in picks))
    paras.append(dept)
    paras.append(f"{signed.year}年{signed.month}月{signed.day}日")
    return paras


def notice_body(
    rng: random.Random, site: SiteSpec, dept: str, published: datetime, title: str
) -> list[str]:
    y = published.year
    paras = [_fill(rng, rng.choice(NOTICE_OPENINGS), county=site.county)]
    paras.append(NOTICE_SENTENCES[0])
    for i in range(rng.randint(2, 5)):
        picks = rng.sample(NOTICE_SENTENCES[1:], 2)
        text = "".join(
            _fill(rng, s, y=y, y1=y + 1, dept=dept, phone=site.phone) for s in picks
        )
        paras.append(f"{CN_NUM[i]}、{text}")
    closing = "特此公告。" if title.endswith("公告") else "特此通知。"
    paras.append(closing)
    paras.append(dept)
    paras.append(f"{published.year}年{published.month}月{published.day}日")
    return paras


def revised_paragraph(rng: random.Random, generation: int) -> str:
    s = _fill(rng, rng.choice(REPORT_SENTENCES[2:13]), y=2024)
    return f"{s}（根据工作进展，本段内容于第{generation}次更新时作了修订。）"


def draft_documents(
    site: SiteSpec,
    column_kind: str,
    rng: random.Random,
    count: int,
    exclude: set[str],
    not_after: datetime,
    exclude_reports: set[tuple[str, int, str]] | None = None,
) -> list[DocDraft]:
    """``count`` distinct documents for one column, published before ``not_after``."""
    drafts: list[DocDraft] = []
    prefix = DOC_NUMBER_PREFIX[site.key]
    if column_kind == "report":
        first = 2016 if len(site.departments) < 4 else 2018
        candidates = report_candidates(site, rng, range(first, 2024), exclude_reports or set())
        for title, dept, pub in candidates:
            if pub >= not_after or pub.year < first + 1 or title in exclude:
                continue
            year = int(title.split("年")[0][-4:]) if "年" in title else pub.year - 1
            signed = pub - timedelta(days=rng.randint(1, 6))
            drafts.append(
                DocDraft(
                    title=title,
                    department=dept,
                    published=pub,
                    paragraphs=report_body(rng, site, dept, year, signed),
                    doc_number=None,
                    written=signed,
                    kind="report",
                )
            )
            if len(drafts) == count:
                break
    else:
        for title, dept, pub, numbered in notice_candidates(
            site, rng, range(2019, 2025), exclude
        ):
            if pub >= not_after:
                continue
            number = f"{prefix}〔{pub.year}〕{rng.randint(1, 40)}号" if numbered else None
            drafts.append(
                DocDraft(
                    title=title,
                    department=dept,
                    published=pub,
                    paragraphs=notice_body(rng, site, dept, pub, title),
                    doc_number=number,
                    written=pub - timedelta(days=rng.randint(0, 3)),
                    kind="notice",
                )
            )
            if len(drafts) == count:
                break
    if len(drafts) < count:
        raise RuntimeError(f"not enough distinct titles for {site.key}/{column_kind}")
    return drafts


def fresh_document(
    site: SiteSpec, column_kind: str, rng: random.Random, published: datetime, used: set[str]
) -> DocDraft:
    """A new document published at ``published`` (used by ``World.advance``)."""
    dept = rng.choice(site.departments)
    y = published.year
    if column_kind == "report":
        # report on the quarter that just ended
        q = (published.month - 1) // 3
        qy, q = (y, q) if q else (y - 1, 4)
        quarter = "一二三四"[q - 1]
        options = [
            f"{dept}{qy}年第{quarter}季度法治政府建设工作情况报告",
            f"{dept}关于{qy}年第{quarter}季度依法行政工作情况的报告",
            f"{dept}{qy}年第{quarter}季度法治政府建设工作推进情况通报",
        ]
    else:
        options = [
            f"{site.county}人民政府办公室关于做好{y}年汛期安全防范工作的通知",
            f"{dept}关于开展{y}年“民法典宣传月”活动的通知",
            f"{dept}关于{y}年度行政执法案卷评查工作的通知",
            f"关于{y}年国庆节期间加强安全生产工作的通知",
        ]
    title = next((t for t in options if t not in used), None)
    serial = 2
    while title is None:
        candidate = f"{options[0]}（第{serial}号）"
        if candidate not in used:
            title = candidate
        serial += 1
    if column_kind == "report":
        paras = report_body(rng, site, dept, y, published)
    else:
        paras = notice_body(rng, site, dept, published, title)
    return DocDraft(
        title=title,
        department=dept,
        published=published,
        paragraphs=paras,
        doc_number=None,
        written=published,
        kind=column_kind,
    )
