"""`govarchive clean FILE` prints one JSON record for a saved page."""

import json
import subprocess
import sys

URL = "https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/ptzhsyqczj/fdzdgknr/hzgfxwj/202308/t20230824_79760.htm"


def clean(*args):
    return subprocess.run([sys.executable, "-m", "govarchive", "clean", *args],
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_clean_prints_the_record_of_a_real_page(realpages):
    result = clean(
        str(realpages / "pingtan__xxgk-detail-2.html"), "--url", URL, "--site", "pingtan"
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["url"] == URL and record["site"] == "pingtan"
    assert record["index_no"] == "PZ00108-1700-2023-00071"
    assert record["doc_number"] == "岚综管办〔2021〕86号"
    assert record["written_date"] == "2021-10-13"
    assert record["publisher"] == "平潭综合实验区财政金融局"
    assert record["validity"] == "有效"
    assert "停止执行" in record["title"]
    assert "扫一扫" not in record["text"] and "索引号" not in record["text"]


def test_clean_gbk_file_without_declaration(tmp_path):
    page = tmp_path / "page.html"
    html = "<html><head><title>关于做好春节期间安全生产工作的通知</title></head><body><div id='zoom'><p>各乡镇人民政府：现将有关事项通知如下。</p></div></body></html>"
    page.write_bytes(html.encode("gbk"))
    record = json.loads(clean(str(page)).stdout)
    assert record["encoding"] == "gb18030"
    assert "现将有关事项通知如下" in record["text"]


def test_clean_missing_file_is_a_clear_error(tmp_path):
    result = clean(str(tmp_path / "nope.html"))
    assert result.returncode == 2 and "no such file" in result.stderr
