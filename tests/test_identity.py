import pytest

from archive.identity import canonical_url, url_key

SAME_DOCUMENT = [
    "http://www.wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html",
    "http://www.wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html?xxgkhide=1",
    "https://www.wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html",
    "http://wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html",
    "http://WWW.Wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html#top",
    "http://wap.wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html",
    "http://www.wenshang.gov.cn/art/2024/3/2/art_70805_2771991_wap.html",
    "http://www.wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html?isMobile=true",
    "http://www.gov.cn:85/gate/big5/www.wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html",
]


@pytest.mark.parametrize("variant", SAME_DOCUMENT)
def test_variants_collapse_to_one_key(variant):
    assert url_key(variant) == "wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html"


def test_query_ids_are_kept_and_order_independent():
    a = "http://www.wenshang.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=113708&fbtime=2025"
    b = "http://www.wenshang.gov.cn/module/xxgk/xxgkAnnualReport.jsp?fbtime=2025&area=113708"
    assert url_key(a) == url_key(b)
    assert url_key(a) != url_key(a.replace("2025", "2024"))


def test_canonical_url_keeps_real_scheme_and_host():
    assert (
        canonical_url("https://www.sxx.gov.cn/zwgk/public/821/63010655.html?xxgkhide=1")
        == "https://www.sxx.gov.cn/zwgk/public/821/63010655.html"
    )
