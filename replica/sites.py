"""The real portals the replica answers for: hostnames, columns and site furniture.

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
    channel: str = ""  # Shandong /gongkai/ channel id (24 hex)


@dataclass(frozen=True)
class SiteSpec:
    key: str
    name: str  # 汶上县人民政府
    county: str  # 汶上县 (used to build titles)
    scheme: str
    host: str
    family: str  # hanweb | trs | anhui | gkmlpt | jpaas | shandong | ucap | custom
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

# -- families added in issue 5: one county portal each, no seed document (all generated) -------

RUYUAN = SiteSpec(
    key="ruyuan",
    name="乳源瑶族自治县人民政府",
    county="乳源瑶族自治县",
    scheme="http",  # gkmlpt answers reliably only over http (DOMAIN.md §3.4)
    host="www.ruyuan.gov.cn",
    family="gkmlpt",
    encoding="utf-8",
    columns=(
        ColumnSpec(
            key="fzzfjs",
            name="法治政府建设",
            url="http://www.ruyuan.gov.cn/gkmlpt/api/all/2640?page=1&sid=755121",
            breadcrumb=("政府信息公开目录", "法治政府建设"),
            kind="report",
            column_id=2640,
        ),
        ColumnSpec(
            key="tzgg",
            name="通知公告",
            url="http://www.ruyuan.gov.cn/gkmlpt/api/all/2615?page=1&sid=755121",
            breadcrumb=("政府信息公开目录", "通知公告"),
            kind="notice",
            column_id=2615,
        ),
    ),
    site_id_code="4402320001",
    icp="粤ICP备05020436号",
    gongan="粤公网安备 44023202000021号",
    organizer="乳源瑶族自治县人民政府办公室",
    tech_support="乳源瑶族自治县政务服务数据管理局",
    address="乳源瑶族自治县乳城镇鹰峰东路",
    phone="0751-5322345",
    departments=(
        "乳源瑶族自治县司法局",
        "乳源瑶族自治县人民政府",
        "乳源瑶族自治县人民政府办公室",
        "乳源瑶族自治县教育局",
        "乳源瑶族自治县财政局",
        "乳源瑶族自治县卫生健康局",
        "乳源瑶族自治县自然资源局",
        "乳源瑶族自治县应急管理局",
    ),
    doc_id_step=900,
    send_last_modified=True,
    extra={"sid": "755121", "first_doc_id": "2548000", "uscc": "11440232007046181J"},
)

JINYUN = SiteSpec(
    key="jinyun",
    name="缙云县人民政府",
    county="缙云县",
    scheme="https",
    host="www.jinyun.gov.cn",
    family="jpaas",
    encoding="utf-8",
    columns=(
        ColumnSpec(
            key="fzzfjs",
            name="法治政府建设",
            url="https://www.jinyun.gov.cn/col/col1229361462/index.html",
            breadcrumb=("政府信息公开", "法治政府建设"),
            kind="report",
            column_id=1229361462,
        ),
        ColumnSpec(
            key="tzgg",
            name="通知公告",
            url="https://www.jinyun.gov.cn/col/col1229361463/index.html",
            breadcrumb=("政府信息公开", "通知公告"),
            kind="notice",
            column_id=1229361463,
        ),
    ),
    site_id_code="3311220003",
    icp="浙ICP备05004538号-1",
    gongan="浙公网安备 33112202000101号",
    organizer="缙云县人民政府办公室",
    tech_support="缙云县大数据发展中心",
    address="缙云县五云街道丽缙东路",
    phone="0578-3112345",
    departments=(
        "缙云县司法局",
        "缙云县人民政府",
        "缙云县人民政府办公室",
        "缙云县教育局",
        "缙云县财政局",
        "缙云县卫生健康局",
        "缙云县市场监督管理局",
        "缙云县综合行政执法局",
    ),
    doc_id_step=1000,
    send_etag=True,
    send_last_modified=True,
    list_content_type="text/html",
    detail_content_type="text/html",
    extra={"web_id": "3217", "tpl_set_id": "e8a2f09b1c7d4e6f", "first_doc_id": "700000",
           "org_code": "00263421X"},
)

CHENGWU = SiteSpec(
    key="chengwu",
    name="成武县人民政府",
    county="成武县",
    scheme="http",
    host="www.chengwu.gov.cn",
    family="shandong",
    encoding="utf-8",
    columns=(
        ColumnSpec(
            key="fzzfjs",
            name="法治政府建设",
            url="http://www.chengwu.gov.cn/gongkai/site_cwxzfbgs/channel_63f4a1c2b8e90d12f4a7c3f1/",
            breadcrumb=("法定主动公开内容", "法治政府建设"),
            kind="report",
            channel="63f4a1c2b8e90d12f4a7c3f1",
        ),
        ColumnSpec(
            key="tzgg",
            name="通知公告",
            url="http://www.chengwu.gov.cn/gongkai/site_cwxzfbgs/channel_63f4a1c2b8e90d12f4a7c3e9/",
            breadcrumb=("法定主动公开内容", "通知公告"),
            kind="notice",
            channel="63f4a1c2b8e90d12f4a7c3e9",
        ),
    ),
    site_id_code="3717230002",
    icp="鲁ICP备05038573号",
    gongan="鲁公网安备 37172302000118号",
    organizer="成武县人民政府办公室",
    tech_support="成武县大数据中心",
    address="成武县文亭街道伯乐大街398号",
    phone="0530-8612345",
    departments=(
        "成武县司法局",
        "成武县人民政府",
        "成武县人民政府办公室",
        "成武县教育和体育局",
        "成武县财政局",
        "成武县卫生健康局",
        "成武县市场监督管理局",
        "成武县应急管理局",
    ),
    doc_id_step=1,
    list_content_type="text/html",
    detail_content_type="text/html",
    extra={"site_code": "cwxzfbgs", "first_doc_id": "1000", "uscc": "11371723MB2851647X"},
)

WENXI = SiteSpec(
    key="wenxi",
    name="闻喜县人民政府",
    county="闻喜县",
    scheme="http",
    host="www.wenxi.gov.cn",
    family="ucap",
    encoding="utf-8",
    columns=(
        ColumnSpec(
            key="fzzfjs",
            name="法治政府建设",
            url="http://www.wenxi.gov.cn/xxgk/zfxxgk/fdzdgknr/fzzfjs/index.shtml",
            breadcrumb=("信息公开", "政府信息公开", "法定主动公开内容", "法治政府建设"),
            kind="report",
            path="xxgk/zfxxgk/fdzdgknr/fzzfjs",
        ),
        ColumnSpec(
            key="tzgg",
            name="通知公告",
            url="http://www.wenxi.gov.cn/xxgk/zfxxgk/fdzdgknr/tzgg/index.shtml",
            breadcrumb=("信息公开", "政府信息公开", "法定主动公开内容", "通知公告"),
            kind="notice",
            path="xxgk/zfxxgk/fdzdgknr/tzgg",
        ),
    ),
    site_id_code="1408230001",
    icp="晋ICP备09003711号",
    gongan="晋公网安备 14082302000017号",
    organizer="闻喜县人民政府办公室",
    tech_support="闻喜县行政审批服务管理局",
    address="闻喜县桐城镇涑水大街",
    phone="0359-7012345",
    departments=(
        "闻喜县司法局",
        "闻喜县人民政府",
        "闻喜县人民政府办公室",
        "闻喜县教育科技局",
        "闻喜县财政局",
        "闻喜县卫生健康和体育局",
        "闻喜县应急管理局",
        "闻喜县市场监督管理局",
    ),
    doc_id_step=1,
    send_last_modified=True,
    list_content_type="text/html;charset=UTF-8",
    detail_content_type="text/html;charset=UTF-8",
    extra={"first_doc_id": "5000", "uscc": "11140823MB1956420R", "kpy_id": "10003951"},
)

HUARONG = SiteSpec(
    key="huarong",
    name="华容县人民政府",
    county="华容县",
    scheme="https",
    host="www.huarong.gov.cn",
    family="custom",  # a home-grown CMS: no known fingerprint, only the generic adapter lists it
    encoding="gbk",
    columns=(
        ColumnSpec(
            key="fzzfjs",
            name="法治政府建设",
            url="https://www.huarong.gov.cn/24361/24365/24410/index.html",
            breadcrumb=("政务公开", "法治政府建设"),
            kind="report",
            path="24361/24365/24410",
        ),
        ColumnSpec(
            key="tzgg",
            name="通知公告",
            url="https://www.huarong.gov.cn/24361/24365/24402/index.html",
            breadcrumb=("政务公开", "通知公告"),
            kind="notice",
            path="24361/24365/24402",
        ),
    ),
    site_id_code="4306230004",
    icp="湘ICP备05002836号",
    gongan="湘公网安备 43062302000104号",
    organizer="华容县人民政府办公室",
    tech_support="华容县融媒体中心",
    address="华容县章华镇华容大道1号",
    phone="0730-4212345",
    departments=(
        "华容县司法局",
        "华容县人民政府",
        "华容县人民政府办公室",
        "华容县教育局",
        "华容县财政局",
        "华容县卫生健康局",
        "华容县水利局",
        "华容县应急管理局",
    ),
    doc_id_step=700,
    list_content_type="text/html",
    detail_content_type="text/html",
    extra={"first_doc_id": "2120000", "org_code": "006225801"},
)

SITES: tuple[SiteSpec, ...] = (
    WENSHANG, XIANGDU, QINGYUAN_SFJ, SUIXI, LUSHAN, RUYUAN, JINYUN, CHENGWU, WENXI, HUARONG,
)
SITES_BY_KEY: dict[str, SiteSpec] = {s.key: s for s in SITES}
SITES_BY_HOST: dict[str, SiteSpec] = {s.host: s for s in SITES}
