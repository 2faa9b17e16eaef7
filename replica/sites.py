"""The five real portals the replica answers for: hostnames, columns and site furniture.

The crawler's site registry uses the same column URLs; do not change them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    name: str
    url: str  # canonical first-page URL, exactly as the crawler's registry has it
    breadcrumb: tuple[str, ...]  # labels after 首页, ending with the column name
    kind: str  # "report" (法治政府建设) or "notice" (通知公告 / 政策文件)
    # family-specific identifiers
    column_id: int = 0  # Hanweb columnid
    unit_id: int = 0  # Hanweb unitid
    path: str = ""  # TRS channel path ("zwgk/fzzfjs")
    cat_id: int = 0  # Lonsun catId
    xxgkhide: bool = False  # Hanweb: listing links carry ?xxgkhide=1


@dataclass(frozen=True)
class SiteSpec:
    key: str
    name: str  # 汶上县人民政府
    county: str  # 汶上县 (used to build titles)
    scheme: str
    host: str
    family: str  # hanweb | trs | anhui
    encoding: str  # "utf-8" or "gbk"
    columns: tuple[ColumnSpec, ...]
    site_id_code: str  # 网站标识码 (10 digits)
    icp: str
    gongan: str
    organizer: str  # 主办单位
    tech_support: str
    address: str
    phone: str
    departments: tuple[str, ...]  # issuing bodies used by the generator
    doc_id_step: int  # typical gap between consecutive CMS document ids
    send_etag: bool = False
    send_last_modified: bool = False
    # TRS: content type header for list pages / detail pages
    list_content_type: str = "text/html; charset=UTF-8"
    detail_content_type: str = "text/html; charset=UTF-8"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}"

    def column(self, key: str) -> ColumnSpec:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


WENSHANG = SiteSpec(
    key="wenshang",
    name="汶上县人民政府",
    county="汶上县",
    scheme="http",
    host="www.wenshang.gov.cn",
    family="hanweb",
    encoding="utf-8",
    columns=(
        ColumnSpec(
            key="fzjsnb",
            name="法治建设年报",
            url="http://www.wenshang.gov.cn/col/col70805/index.html",
            breadcrumb=("政府信息公开", "行政权力", "法治建设年报"),
            kind="report",
            column_id=70805,
            unit_id=218237,
            xxgkhide=True,
        ),
        ColumnSpec(
            key="zcwj",
            name="政策文件",
            url="http://www.wenshang.gov.cn/col/col70776/index.html",
            breadcrumb=("政府信息公开", "政策文件"),
            kind="notice",
            column_id=70776,
            unit_id=218231,
        ),
    ),
    site_id_code="3708300001",
    icp="鲁ICP备05003937号-1",
    gongan="鲁公网安备 37083002000108号",
    organizer="汶上县人民政府办公室",
    tech_support="大汉网络",
    address="汶上县政通路1号",
    phone="0537-7212345",
    departments=(
        "汶上县司法局",
        "汶上县人民政府",
        "汶上县教育和体育局",
        "汶上县公安局",
        "汶上县财政局",
        "汶上县自然资源和规划局",
        "汶上县住房和城乡建设局",
        "汶上县市场监督管理局",
        "汶上县卫生健康局",
        "汶上县综合行政执法局",
    ),
    doc_id_step=1800,
    send_etag=True,
    send_last_modified=True,
    extra={"webid": "37", "xxgk_col": "70770"},
)

XIANGDU = SiteSpec(
    key="xiangdu",
    name="邢台市襄都区人民政府",
    county="襄都区",
    scheme="https",
    host="www.xiangdu.gov.cn",
    family="trs",
    encoding="gbk",
    columns=(
        ColumnSpec(
            key="fzzfjs",
            name="法治政府建设",
            url="https://www.xiangdu.gov.cn/zwgk/fzzfjs/index.html",
            breadcrumb=("政务公开", "法治政府建设"),
            kind="report",
            path="zwgk/fzzfjs",
        ),
        ColumnSpec(
            key="tzgg",
            name="通知公告",
            url="https://www.xiangdu.gov.cn/zwgk/tzgg/index.html",
            breadcrumb=("政务公开", "通知公告"),
            kind="notice",
            path="zwgk/tzgg",
        ),
    ),
    site_id_code="1305020001",
    icp="冀ICP备09050832号-1",
    gongan="冀公网安备 13050202000636号",
    organizer="邢台市襄都区人民政府办公室",
    tech_support="拓尔思信息技术股份有限公司",
    address="邢台市襄都区守敬北路8号",
    phone="0319-2688123",
    departments=(
        "邢台市襄都区人民政府",
        "邢台市襄都区司法局",
        "邢台市襄都区人民政府办公室",
        "邢台市襄都区教育局",
        "邢台市襄都区卫生健康局",
        "邢台市襄都区市场监督管理局",
        "邢台市襄都区应急管理局",
        "邢台市襄都区生态环境分局",
    ),
    doc_id_step=130,
    extra={"robots_disallow": "/hdjl/zxts/ /wsdc/"},
    list_content_type="text/html",
    detail_content_type="text/html",
)

QINGYUAN_SFJ = SiteSpec(
    key="qingyuan_sfj",
    name="清远市司法局",
    county="清远市",
    scheme="http",
    host="sfj.gdqy.gov.cn",
    family="trs",
    encoding="gbk",
    columns=(
        ColumnSpec(
            key="jhzj",
            name="计划总结",
            url="http://sfj.gdqy.gov.cn/zwgk/ghjh/jhzj/index.html",
            breadcrumb=("政务公开", "规划计划", "计划总结"),
            kind="report",
            path="zwgk/ghjh/jhzj",
        ),
        ColumnSpec(
            key="tzgg",
            name="通知公告",
            url="http://sfj.gdqy.gov.cn/zwgk/tzgg/index.html",
            breadcrumb=("政务公开", "通知公告"),
            kind="notice",
            path="zwgk/tzgg",
        ),
    ),
    site_id_code="4418000031",
    icp="粤ICP备05082839号",
    gongan="粤公网安备 44180202000133号",
    organizer="清远市司法局",
    tech_support="清远市政务服务数据管理局",
    address="清远市新城东三号区司法大楼",
    phone="0763-3363125",
    departments=("清远市司法局",),
    doc_id_step=9000,
    extra={"robots_disallow": "/zwgk/ysqgk/ /jsp/"},
    send_last_modified=True,
    # the real portal lies: list pages say GBK, detail pages claim UTF-8, bytes are GBK
    list_content_type="text/html; charset=GBK",
    detail_content_type="text/html; charset=UTF-8",
)

SUIXI = SiteSpec(
    key="suixi",
    name="濉溪县人民政府",
    county="濉溪县",
    scheme="https",
    host="www.sxx.gov.cn",
    family="anhui",
    encoding="utf-8",
    columns=(
        ColumnSpec(
            key="fzzfjs",
            name="法治政府建设",
            url="https://www.sxx.gov.cn/zwgk/public/column/821?type=4&catId=7391&action=list",
            breadcrumb=("政务公开", "法定主动公开内容", "法治政府建设"),
            kind="report",
            cat_id=7391,
        ),
        ColumnSpec(
            key="tzgg",
            name="通知公告",
            url="https://www.sxx.gov.cn/zwgk/public/column/821?type=4&catId=7385&action=list",
            breadcrumb=("政务公开", "法定主动公开内容", "通知公告"),
            kind="notice",
            cat_id=7385,
        ),
    ),
    site_id_code="3406210001",
    icp="皖ICP备05007326号",
    gongan="皖公网安备 34062102000045号",
    organizer="濉溪县人民政府办公室",
    tech_support="安徽龙讯信息科技有限公司",
    address="濉溪县濉溪镇淮海中路",
    phone="0561-6081234",
    departments=(
        "濉溪县司法局",
        "濉溪县人民政府",
        "濉溪县人民政府办公室",
        "濉溪县教育局",
        "濉溪县农业农村局",
        "濉溪县交通运输局",
        "濉溪县医疗保障局",
        "濉溪县人力资源和社会保障局",
        "濉溪县城市管理局",
    ),
    doc_id_step=45000,
    extra={"organ_id": "821"},
)

LUSHAN = SiteSpec(
    key="lushan",
    name="鲁山县人民政府",
    county="鲁山县",
    scheme="https",
    host="www.hnls.gov.cn",
    family="trs",
    encoding="gbk",
    columns=(
        ColumnSpec(
            key="fzzfjs",
            name="法治政府建设",
            url="https://www.hnls.gov.cn/zwgk/fzzfjs/index.html",
            breadcrumb=("政务公开", "法治政府建设"),
            kind="report",
            path="zwgk/fzzfjs",
        ),
        ColumnSpec(
            key="tzgg",
            name="通知公告",
            url="https://www.hnls.gov.cn/zwgk/tzgg/index.html",
            breadcrumb=("政务公开", "通知公告"),
            kind="notice",
            path="zwgk/tzgg",
        ),
    ),
    site_id_code="4104230001",
    icp="豫ICP备05011802号",
    gongan="豫公网安备 41042302000012号",
    organizer="鲁山县人民政府办公室",
    tech_support="鲁山县大数据中心",
    address="鲁山县人民路中段",
    phone="0375-5052345",
    departments=(
        "鲁山县司法局",
        "鲁山县人民政府",
        "鲁山县人民政府办公室",
        "鲁山县教育体育局",
        "鲁山县财政局",
        "鲁山县自然资源局",
        "鲁山县文化广电和旅游局",
        "鲁山县林业局",
    ),
    doc_id_step=520,
    extra={"robots_disallow": "/hdjl/ /dynamic/", "crawl_delay": "1"},
    send_etag=True,
    list_content_type="text/html; charset=GBK",
    detail_content_type="text/html; charset=GBK",
)

SITES: tuple[SiteSpec, ...] = (WENSHANG, XIANGDU, QINGYUAN_SFJ, SUIXI, LUSHAN)
SITES_BY_KEY: dict[str, SiteSpec] = {s.key: s for s in SITES}
SITES_BY_HOST: dict[str, SiteSpec] = {s.host: s for s in SITES}
