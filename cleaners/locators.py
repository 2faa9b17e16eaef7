"""Content locators, label tables and boilerplate phrase lists, kept as data.

Everything a site-specific fix usually needs to touch lives here (like trafilatura's
``xpaths.py``): CSS selectors of body containers per CMS family, title selectors,
family fingerprints, metadata label variants, and the line rules that strip
navigation / toolbar / footer boilerplate from extracted text.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------------------
# CMS family fingerprints: (family, regex over the first part of the decoded page or the URL)
# Checked in order; the first family with a hit wins.
# --------------------------------------------------------------------------------------
FAMILY_URL_PATTERNS: tuple[tuple[str, str], ...] = (
    ("gkmlpt", r"/gkmlpt/"),
    (
        "hanweb",
        r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html|/col/col\d+/|/art/\d{4}/art_[0-9a-f]{32}\.html",
    ),
    ("lonsun", r"/public/\d{6,8}/\d+\.html|/public/column/\d+"),
    ("shandong", r"/gongkai/(?:site_|channel_)"),
    ("trs", r"/\d{6}/t\d{8}_\d+\.s?html?"),
)

FAMILY_HTML_PATTERNS: tuple[tuple[str, str], ...] = (
    ("gkmlpt", r"/gkmlpt/|window\._CONFIG\s*=\s*\{\s*SID"),
    (
        "hanweb",
        r"Produced By 大汉网络|大汉版通|/module/jslib/|/module/visitcount/|hanweb\.css|<datastore>|i_columnid",
    ),
    ("lonsun", r"j-fontContent|lonsun|/public/column/\d+\?|/site/tpl/\d+"),
    (
        "trs",
        r"TRS_Editor|TRS_UEDITOR|trs_editor_view|createPageHTML\(|/images/trs_|name=\"catalogs\"|trt_ui",
    ),
    ("ucap", r"UCAP-CONTENT|<UCAPCONTENT|kaipuyun\.cn"),
)

# --------------------------------------------------------------------------------------
# Body containers (CSS). Family-specific lists are tried first, then GENERIC_CONTAINERS.
# Within one selector, the match with the most text wins.
# --------------------------------------------------------------------------------------
FAMILY_CONTAINERS: dict[str, tuple[str, ...]] = {
    "hanweb": (
        "#zoom",
        ".wip_art_con",
        ".art_con",
        "#ivs_content",
        ".bt_content",
        ".main-txt",
    ),
    "trs": (
        ".TRS_UEDITOR",
        ".TRS_Editor",
        ".trs_editor_view",
        "#UCAP-CONTENT",
        "#zoom",
        ".article_content",  # Fujian 集约化 (pingtan) "article_content article_content_01"
        ".pages_content",
        "#dochtmlcon",
        ".article-body",
    ),
    "lonsun": (
        ".j-fontContent",
        "#zoom",
        ".wzcon",
        "#j-show-body",
        ".article-content",
    ),
    "gkmlpt": (
        ".article-content",
        ".article_content",
        "#zoom",
    ),
    "ucap": (
        "#UCAP-CONTENT",
        ".pages_content",
        "#zoom",
    ),
    "shandong": (
        ".wip_art_con",
        ".art_con",
        "#zoom",
        ".article-content",
    ),
}

GENERIC_CONTAINERS: tuple[str, ...] = (
    "#zoom",
    "#Zoom",
    ".TRS_UEDITOR",
    ".TRS_Editor",
    ".trs_editor_view",
    "#UCAP-CONTENT",
    ".wip_art_con",
    ".art_con",
    ".j-fontContent",
    ".article-content",
    ".article_content",
    "#fontzoom",
    ".pages_content",
    "#ivs_content",
    "#vsb_content",
    ".wzcon",
    ".view.TRS_UEDITOR",
    "#content",
    ".zw",
    ".zwnr",
    ".content_text",
    ".article-body",
    ".main-txt",
    "#wenzhang-content",  # AngularJS templates of central agencies (nfra.gov.cn ItemDetail)
)

# Comment markers that bracket the body on Hanweb / Zhejiang (and some TRS) templates.
CONTENT_COMMENT_MARKERS: tuple[tuple[str, str], ...] = (
    ("<!--ZJEG_RSS.content.begin-->", "<!--ZJEG_RSS.content.end-->"),
    ('<meta name="ContentStart">', '<meta name="ContentEnd">'),
)

# Minimum visible characters for a container to be accepted.
MIN_CONTAINER_CHARS = 8

# Visible article-title elements (tried in order; first non-empty short text wins).
TITLE_SELECTORS: tuple[str, ...] = (
    ".article_title",
    ".article-title",
    ".con-title",
    ".detail-article-title h2",
    ".mainCon > .title",
    ".wzxq > .title",
    ".art_title",
    ".arc_title",
    ".sp_title",
    ".xxgk_title",
    ".title_cen",
    ".content_title",
    "#ivs_title",
    ".tit",
)
# Generic headings: only accepted when they agree with <title> / ArticleTitle.
GENERIC_TITLE_SELECTORS: tuple[str, ...] = ("h1", "h2", "h3")

# Separators between article title and site / column names in <title>.
TITLE_SEPARATORS = re.compile(r"\s*(?:_{1,2}|\s-\s|\s–\s|\s—\s|——|｜|\|)\s*")

# Elements removed before anything else.
DROP_TAGS: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "canvas",
    "svg",
    "object",
    "embed",
    "video",
    "audio",
    "button",
    "select",
    "input",
    "textarea",
    "link",
    "head",
)
# "ng-hide": AngularJS sets it on hidden nodes (display:none !important); rendered DOM copies
# (Selenium page_source) keep hidden duplicates of the body and empty metadata blocks under it.
HIDDEN_CLASS_TOKENS: frozenset[str] = frozenset({"hide", "hidden", "sr-only", "ng-hide"})

# Links whose target is a document file (attachment names belong to the body).
ATTACHMENT_HREF = re.compile(
    r"\.(?:pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z|pptx?|txt|csv)(?:$|[?#])|/module/download/downfile\.jsp",
    re.I,
)

# --------------------------------------------------------------------------------------
# Disclosure metadata labels. Keys are normalised labels (all whitespace and colons removed).
# --------------------------------------------------------------------------------------
LABELS: dict[str, str] = {
    # index_no
    "索引号": "index_no",
    "信息索引号": "index_no",
    "索取号": "index_no",
    # publisher
    "发布机构": "publisher",
    "发文机关": "publisher",
    "发文机构": "publisher",
    "公开主体": "publisher",
    "制发机构": "publisher",
    "发文单位": "publisher",
    "发布单位": "publisher",
    "信息发布机构": "publisher",
    "发布主体": "publisher",
    # written_date
    "成文日期": "written_date",
    "生成日期": "written_date",
    "发文日期": "written_date",
    "产生日期": "written_date",
    "签发日期": "written_date",
    "制发日期": "written_date",
    "形成日期": "written_date",
    # published_date
    "发布日期": "published_date",
    "公开日期": "published_date",
    "发布时间": "published_date",
    "上载日期": "published_date",
    "公开时间": "published_date",
    "时间": "published_date",
    "日期": "published_date",
    # doc_number
    "文号": "doc_number",
    "发文字号": "doc_number",
    "文件编号": "doc_number",
    "发文号": "doc_number",
    "文件文号": "doc_number",
    # category (first found by CATEGORY_PRIORITY wins)
    "组配分类": "category",
    "主题分类": "category",
    "体裁分类": "category",
    "信息分类": "category",
    "目录分类": "category",
    "公开目录": "category",
    "分类": "category",
    # validity
    "有效性": "validity",
    "效力状态": "validity",
    "时效性": "validity",
    "是否有效": "validity",
    # abolished_date
    "废止日期": "abolished_date",
    "失效日期": "abolished_date",
    # disclosure
    "公开方式": "disclosure",
    "公开属性": "disclosure",
    "公开形式": "disclosure",
    # source
    "信息来源": "source",
    "来源": "source",
    "文章来源": "source",
    "稿件来源": "source",
    # title given as a field
    "标题": "title",
    "名称": "title",
    "文件名称": "title",
    "信息名称": "title",
}

# Disclosure-table labels that fill no record field: recognised so that a table row starting
# with one of them (公开时限：长期公开 | 信息来源：县司法局) is still read; kept in raw_fields.
RAW_ONLY_LABELS: tuple[str, ...] = (
    "公开时限",
    "公开范围",
    "关键词",
    "关键字",
    "主题词",
    "统一编号",
    "统一登记号",
    "登记号",
    "服务对象分类",
    "内容概述",
    "内容摘要",
    "信息类别",
    "公文种类",
    "文种",
)

# Labels that only occur in disclosure blocks (never in a plain byline).
DISCLOSURE_ONLY_LABELS: frozenset[str] = frozenset(
    {
        "索引号",
        "信息索引号",
        "索取号",
        "发文机关",
        "发文机构",
        "公开主体",
        "制发机构",
        "发文单位",
        "成文日期",
        "生成日期",
        "发文日期",
        "产生日期",
        "签发日期",
        "文号",
        "发文字号",
        "文件编号",
        "组配分类",
        "主题分类",
        "体裁分类",
        "信息分类",
        "目录分类",
        "有效性",
        "效力状态",
        "时效性",
        "废止日期",
        "失效日期",
        "公开方式",
        "公开属性",
        "标题",
        "名称",
        "主题词",
        "关键词",
        "统一编号",
    }
)

# Preference among category labels when several are present.
CATEGORY_PRIORITY: tuple[str, ...] = (
    "组配分类",
    "主题分类",
    "信息分类",
    "目录分类",
    "公开目录",
    "分类",
    "体裁分类",
)
# Preference among published-date labels within one source.
PUBLISHED_PRIORITY: tuple[str, ...] = (
    "发布日期",
    "公开日期",
    "发布时间",
    "上载日期",
    "公开时间",
    "时间",
    "日期",
)

# Labels that are not fields but end the value of the previous label (toolbar words).
# A colon is optional after these.
TERMINATOR_LABELS: tuple[str, ...] = (
    "浏览次数",
    "浏览量",
    "点击量",
    "点击数",
    "点击率",
    "阅读次数",
    "阅读量",
    "访问量",
    "访问次数",
    "文字大小",
    "字体",
    "字号",
    "背景色",
    "作者",
    "编辑",
    "责任编辑",
    "分享到",
    "分享",
    "打印",
    "关闭",
    "扫一扫",
    "我要纠错",
    "主题词",
    "关键词",
    "统一编号",
    "内容概述",
    "摘要",
    "公开范围",
    "公开时限",
    "服务对象分类",
    "涉密状态",
    "字数",
    "文章类型",  # 文章类型：原创 / 转载 (byline of central-agency templates)
)

# Values meaning "empty".
EMPTY_VALUES: frozenset[str] = frozenset(
    {"", "无", "-", "--", "—", "——", "/", "暂无", "null", "none", "空", "－", "、", "·"}
)

# Standard <meta name=...> tags (compared lower-case).
META_FIELDS: dict[str, str] = {
    "articletitle": "title",
    "pubdate": "published_date",
    "publishdate": "published_date",
    "firstpublishedtime": "published_date",
    "contentsource": "source",
}
META_KEEP: tuple[str, ...] = (
    "articletitle",
    "pubdate",
    "publishdate",
    "firstpublishedtime",
    "contentsource",
    "columnname",
    "sitename",
    "sitedomain",
    "siteidcode",
    "url",
)

# --------------------------------------------------------------------------------------
# Line rules applied to extracted body text (the last safety net).
# Lines are compared after removing all whitespace.
# --------------------------------------------------------------------------------------

# Whole-line boilerplate: a line that fully matches one of these is dropped anywhere.
BOILERPLATE_LINES: tuple[str, ...] = (
    r"[【\[]?(?:打印(?:本页|正文|此页|文章)?|关闭(?:窗口|本页)?|返回(?:顶部|首页)?|回到顶部|收藏(?:本页)?|我要纠错|纠错|下载|保存)[】\]]?",
    r"(?:[【\[]?(?:打印(?:本页|正文)?|关闭(?:窗口|本页)?|收藏|返回顶部|纠错|我要纠错)[】\]]?[|｜/、]?){2,}",
    r"分享到?[:：]?.{0,40}",
    r"扫一扫.{0,20}",
    r"(?:用)?手机扫(?:码|一扫).{0,20}",
    r"[【\[]?(?:字体|字号|文字大小)[:：]?.{0,30}",
    r"(?:浏览次数|浏览量|点击量|点击数|阅读次数|阅读量|访问量|访问次数)[:：]?[\d\s\-（）()]*次?",
    r"上一篇[:：]?.{0,80}",
    r"下一篇[:：]?.{0,80}",
    r"上一条[:：]?.{0,80}",
    r"下一条[:：]?.{0,80}",
    r"相关链接[:：]?",
    r"相关(?:稿件|阅读|新闻|文章|解读)[:：]?",
    r"附件下载[:：]?",
    r"ProducedBy.*",
    r"大汉版通发布系统",
    r"网站地图.{0,40}",
    r"(?:当前位置|您的位置|您现在的位置|您当前的位置|当前所在位置)[:：].*",
    r"首页[>＞»].*",
    r"[>＞»].{0,60}",
    r"(?:责任编辑|审核|初审|复审|终审|编辑)[:：].{0,30}",
    r"[（(]责任编辑[:：].{0,30}[)）]",
    r"保护视力色.*",
    r"(?:微信|微博|QQ空间|QQ|头条)+",
    r"(?:默认|大|中|小|超大)(?:[|｜]?(?:默认|大|中|小|超大)){1,4}",
    r"视力保护色.*",
    r"语音(?:阅读|播报)|朗读|听全文",
    r"(?:全真版|文字版|文件下载)",
)

# Footer anchors: the body is cut at the first short line matching one of these.
FOOTER_CUT_LINES: tuple[str, ...] = (
    r"扫一扫在手机.*",
    r"版权所有.*",
    r".{0,30}(?:ICP备|ICP证)\s*\d+.*",
    r".{0,10}公网安备.*",
    r"网站标识码.*",
    r"网站地图.*",
    # not 主办单位/承办单位/联系我们 alone: they also occur in real text (DOMAIN §7 E)
    r"(?:主办单位|主办)[:：].{0,40}(?:ICP|版权|标识码|公网安备).*",
    r"Copyright.*",
    r"(?:版权与免责声明|版权声明|免责声明)[:：]?",
    r"无障碍浏览.*",
    r"相关链接[:：]?",
    r"相关(?:稿件|阅读|新闻|文章)[:：]?",
    r"上一篇[:：]?.*",
    r"下一篇[:：]?.*",
)
FOOTER_CUT_MAXLEN = 80

# Head lines (toolbar / byline / breadcrumb) dropped only in the first HEAD_WINDOW lines.
HEAD_LINES: tuple[str, ...] = (
    r"首页.{0,60}",
    r"(?:发布日期|发布时间|时间|日期|来源|信息来源|文章来源|作者|浏览次数)[:：].{0,80}",
)
HEAD_WINDOW = 4

# Tail lines (source / editor lines after the body) dropped only in the last TAIL_WINDOW lines.
TAIL_LINES: tuple[str, ...] = (
    r"(?:相关附件|附件下载|附件)[:：]?",
    r"(?:信息来源|来源|文章来源|稿件来源)[:：].{0,40}",
    r"(?:责任编辑|编辑|审核|校对|撰稿|供稿)[:：].{0,30}",
)
TAIL_WINDOW = 4

# Inline fragments removed from inside lines (toolbar leftovers glued to text).
INLINE_JUNK: tuple[str, ...] = (
    r"【\s*字体[:：]?\s*大\s*中\s*小\s*】",
    r"字号[:：]?\s*\[\s*大\s*\]\s*\[\s*中\s*\]\s*\[\s*小\s*\]",
)
