"""Real attachment files made from the seed reports (../shared/seeds), for tests/test_attachments.py.

Every file is a genuine file of its type written by a real writer, never renamed text:

- DOCX: python-docx (CJK font, 2-character first-line indent as in GB/T 9704 documents, a table).
- PDF ("pdf"): LibreOffice converts such a DOCX; it embeds WenQuanYi Zen Hei as TrueType subsets
  with ToUnicode maps and draws quotation marks in a separate font run, out of reading order.
- PDF ("pdf_cid"): fpdf2 writes the text in a Type0 / CIDFontType2 font, Identity-H encoding,
  with a ToUnicode CMap: the way Word and WPS export Chinese text (仿宋, 宋体) to PDF.
- DOC: LibreOffice's "MS Word 97" export of a DOCX.
- WPS: there is no Kingsoft WPS writer on Linux without the proprietary WPS Office. Kingsoft's
  .wps files are Word 97 binary files (WordDocument + 1Table streams) that carry WPS's build
  number as the custom property KSOProductBuildVer in \\x05DocumentSummaryInformation. The test
  file is made the same way: a DOCX with that custom property (docProps/custom.xml, as WPS writes
  it) saved by LibreOffice as Word 97, which copies the property into the OLE property set. It
  is therefore the most faithful WPS file we can write here, not one written by WPS itself.
- OFD: the package structure of GB/T 33190 written with lxml: OFD.xml (DocBody/DocInfo/DocRoot),
  Doc_0/Document.xml (CommonData/PageArea/PublicRes, Pages), Doc_0/PublicRes.xml (Fonts),
  Doc_0/Pages/Page_N/Content.xml (Layer/TextObject/TextCode with X, Y, DeltaX), laid out on A4
  with the GB/T 9704 type area (156 mm, 28 characters of 16 pt per line), quotation marks in a
  second font written out of order (as converters do), and a "— N —" page number.
- XLSX: openpyxl; XLS: LibreOffice's "MS Excel 97" export of that XLSX.
- Scanned PDF: Pillow renders report pages to images and saves them as a PDF (no text layer).
- Corrupt: a truncated PDF, a truncated DOCX (no ZIP central directory) and a truncated DOC.

LibreOffice conversions are batched: one soffice call per target format.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
CJK_FONT_NAME = "WenQuanYi Zen Hei"
APT_HINT = (
    "apt-get install -y --no-install-recommends libreoffice-writer-nogui "
    "libreoffice-calc-nogui fonts-wqy-zenhei (.ci/run installs them)"
)

# Which seed report becomes which file type.
SEED_FOR = {
    "pdf": "000_ca68d060780dd5e5.txt",  # 汶上县司法局 2023
    "pdf_cid": "002_93df2457fec9964f.txt",  # 清远市司法局 2021
    "docx": "001_587ecf3fbd3c4a2b.txt",  # 襄都区 2023
    "doc": "002_93df2457fec9964f.txt",  # 清远市司法局 2021
    "wps": "004_0db57c22be2878db.txt",  # 鲁山县司法局 2023
    "ofd": "003_7ccf340dea4e1fec.txt",  # 濉溪县 中期评估 2023
    "xlsx": "002_93df2457fec9964f.txt",
    "xls": "004_0db57c22be2878db.txt",
    "scanned": "000_ca68d060780dd5e5.txt",
}

# Page lines of the portal around the report in the seed texts (not part of the report).
_SEED_BOILERPLATE = re.compile(
    r"^(?:扫一扫|Produced By|信息来源|打印|相关附件|分享$|【字体|来源[:：]|时间[:：]|发布日期|发布时间"
    r"|您当前的位置|当前位置|索引号|成文日期|废止日期|有效性|>)"
)

WPS_BUILD = "2052-11.1.0.14309"  # a WPS Office 2019 build number, as KSOProductBuildVer carries


def require_tools() -> str:
    """Path of soffice, or a clear failure: these tests must not skip in CI."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError(f"LibreOffice (soffice) is needed to build the test files: {APT_HINT}")
    if not CJK_FONT.exists():
        raise RuntimeError(f"the CJK font {CJK_FONT} is needed: {APT_HINT}")
    return soffice


def seed_report(kind: str) -> list[str]:
    """Paragraphs of the report in a seed text: from its title (or first long paragraph) on,
    without the portal's page lines."""
    lines = [
        " ".join(ln.split()) for ln in (SEEDS / SEED_FOR[kind]).read_text("utf-8").splitlines()
    ]
    lines = [ln for ln in lines if ln]
    start = next(
        (i for i, ln in enumerate(lines) if "报告" in ln and len(ln) <= 40 and "：" not in ln),
        None,
    )
    if start is None:
        start = next(i for i, ln in enumerate(lines) if len(ln) >= 60)
    return [ln for ln in lines[start:] if not _SEED_BOILERPLATE.match(ln)]


def split_title(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """(title, body): the first paragraph is a title if it is short (seed 001 has none)."""
    if paragraphs and len(paragraphs[0]) <= 40:
        return paragraphs[0], paragraphs[1:]
    return None, paragraphs


# ------------------------------------------------------------------------------ DOCX
def _docx(
    paragraphs: list[str], table: list[list[str]] | None = None, custom_props: dict | None = None
) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = CJK_FONT_NAME
    normal.font.size = Pt(16)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), CJK_FONT_NAME)
    title, body = split_title(paragraphs)
    if title:
        d.add_paragraph(title).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in body:
        p = d.add_paragraph(text)
        p.paragraph_format.first_line_indent = Pt(32)  # two characters
    if table:
        tb = d.add_table(rows=0, cols=len(table[0]))
        for row in table:
            cells = tb.add_row().cells
            for c, v in zip(cells, row, strict=True):
                c.text = v
    buf = io.BytesIO()
    d.save(buf)
    data = buf.getvalue()
    return _with_custom_props(data, custom_props) if custom_props else data


def _with_custom_props(docx_bytes: bytes, props: dict[str, str]) -> bytes:
    """Add docProps/custom.xml (user-defined properties, as WPS Office writes them)."""
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" name="{k}">'
        f"<vt:lpwstr>{v}</vt:lpwstr></property>"
        for i, (k, v) in enumerate(props.items(), start=2)
    )
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{items}</Properties>"
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_bytes)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            b = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                b = b.replace(
                    b"</Types>",
                    b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
                )
            elif info.filename == "_rels/.rels":
                b = b.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/custom-properties" '
                    b'Target="docProps/custom.xml"/></Relationships>',
                )
            zout.writestr(info, b)
        zout.writestr("docProps/custom.xml", custom)
    return out.getvalue()


# ------------------------------------------------------------------------------ XLSX
def _xlsx(paragraphs: list[str]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "报告段落"
    ws.append(["序号", "段落", "字数"])
    for i, p in enumerate(paragraphs, start=1):
        ws.append([i, p, len(p)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------ OFD
OFD_NS = "http://www.ofdspec.org/2016"
_PAGE_W, _PAGE_H = 210.0, 297.0
_LEFT, _TOP, _AREA_W = 28.0, 37.0, 156.0  # GB/T 9704 type area
_SIZE = 5.6444  # 16 pt in mm
_LINE_H = 10.2  # 22 lines in 225 mm
_LINES_PER_PAGE = 22
_QUOTES = "“”‘’"


def _advance(ch: str) -> float:
    return _SIZE / 2 if ord(ch) < 0x2E80 and ch not in _QUOTES else _AREA_W / 28


def _wrap(paragraph: str, indent: float) -> list[tuple[float, str]]:
    """Break a paragraph into (x offset, text) lines of the type area."""
    lines: list[tuple[float, str]] = []
    x0, cur, width = indent, "", indent
    for ch in paragraph:
        if width + _advance(ch) > _AREA_W + 0.01:
            lines.append((x0, cur))
            x0, cur, width = 0.0, "", 0.0
        cur += ch
        width += _advance(ch)
    if cur:
        lines.append((x0, cur))
    return lines


def _ofd(paragraphs: list[str]) -> bytes:
    from lxml import etree

    def el(parent, tag, text=None, **attrs):
        e = etree.SubElement(parent, f"{{{OFD_NS}}}{tag}", {k: str(v) for k, v in attrs.items()})
        if text is not None:
            e.text = text
        return e

    placed: list[tuple[float, str, bool]] = []  # (x offset, text, is title)
    title, body = split_title(paragraphs)
    title = title or "法治政府建设报告"
    tw = sum(_advance(c) for c in title)
    placed.append(((_AREA_W - tw) / 2, title, True))
    for p in body:
        placed.extend((x, t, False) for x, t in _wrap(p, 2 * _AREA_W / 28))
    pages = [placed[i : i + _LINES_PER_PAGE] for i in range(0, len(placed), _LINES_PER_PAGE)]

    next_id = iter(range(10, 10**9))
    files: dict[str, bytes] = {}
    for n, lines in enumerate(pages):
        page = etree.Element(f"{{{OFD_NS}}}Page", nsmap={"ofd": OFD_NS})
        layer = el(el(page, "Content"), "Layer", ID=next(next_id), Type="Body")
        for row, (x, text, is_title) in enumerate(lines):
            y = _TOP + row * _LINE_H
            # main run: everything but the quotation marks, which follow in their own font
            runs: list[tuple[float, str, str]] = []  # (x, text, font)
            main = "".join(ch for ch in text if ch not in _QUOTES)
            main_x = x + next((p for p, ch in _positions(text) if ch not in _QUOTES), 0.0)
            quotes = [(x + p, ch) for p, ch in _positions(text) if ch in _QUOTES]
            runs.append((main_x, main, "2" if is_title else "1"))
            runs.extend((qx, q, "3") for qx, q in quotes)
            for k, (rx, rtext, font) in enumerate(runs):
                if not rtext:
                    continue
                w = sum(_advance(c) for c in rtext)
                to = el(layer, "TextObject", ID=next(next_id), Font=font, Size=f"{_SIZE:.4f}",
                        Boundary=f"{_LEFT + rx:.3f} {y:.3f} {w + _SIZE:.3f} {_LINE_H:.3f}")  # fmt: skip
                el(to, "FillColor", Value="0 0 0")
                attrs = {"X": "0", "Y": f"{_SIZE * 0.88:.3f}"}
                if k == 0 and len(rtext) > 1:
                    attrs["DeltaX"] = " ".join(f"{d:.3f}" for d in _main_deltas(text))
                el(to, "TextCode", rtext, **attrs)
        # page number "— N —", centred in the bottom margin
        num = f"— {n + 1} —"
        to = el(layer, "TextObject", ID=next(next_id), Font="1", Size="4.9389",
                Boundary=f"{_PAGE_W / 2 - 12:.3f} {_PAGE_H - 20:.3f} 30 8")  # fmt: skip
        el(to, "TextCode", num, X="0", Y="4.3", DeltaX=" ".join(["4.9389"] * (len(num) - 1)))
        files[f"Doc_0/Pages/Page_{n}/Content.xml"] = etree.tostring(
            page, xml_declaration=True, encoding="UTF-8"
        )

    doc = etree.Element(f"{{{OFD_NS}}}Document", nsmap={"ofd": OFD_NS})
    common = el(doc, "CommonData")
    el(common, "MaxUnitID", str(next(next_id)))
    el(el(common, "PageArea"), "PhysicalBox", f"0 0 {_PAGE_W:g} {_PAGE_H:g}")
    el(common, "PublicRes", "PublicRes.xml")
    pages_el = el(doc, "Pages")
    for n in range(len(pages)):
        el(pages_el, "Page", ID=n + 1, BaseLoc=f"Pages/Page_{n}/Content.xml")
    files["Doc_0/Document.xml"] = etree.tostring(doc, xml_declaration=True, encoding="UTF-8")

    res = etree.Element(f"{{{OFD_NS}}}Res", nsmap={"ofd": OFD_NS}, BaseLoc="Res")
    fonts = el(res, "Fonts")
    el(fonts, "Font", ID=1, FontName="仿宋_GB2312", FamilyName="仿宋_GB2312")
    el(fonts, "Font", ID=2, FontName="方正小标宋简体", FamilyName="方正小标宋简体")
    el(fonts, "Font", ID=3, FontName="宋体", FamilyName="宋体")
    files["Doc_0/PublicRes.xml"] = etree.tostring(res, xml_declaration=True, encoding="UTF-8")

    ofd = etree.Element(f"{{{OFD_NS}}}OFD", nsmap={"ofd": OFD_NS}, Version="1.0", DocType="OFD")
    info = el(el(ofd, "DocBody"), "DocInfo")
    el(info, "DocID", uuid.uuid5(uuid.NAMESPACE_URL, title).hex)
    el(info, "Title", title)
    el(info, "CreationDate", "2023-09-13")
    el(info, "Creator", "govarchive tests", CreatorVersion="1.0")
    el(ofd[0], "DocRoot", "Doc_0/Document.xml")
    files["OFD.xml"] = etree.tostring(ofd, xml_declaration=True, encoding="UTF-8")

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", files.pop("OFD.xml"))
        for name in sorted(files):
            zf.writestr(name, files[name])
    return out.getvalue()


def _positions(text: str) -> list[tuple[float, str]]:
    """(x offset, character) of each character of a line."""
    out, pos = [], 0.0
    for ch in text:
        out.append((pos, ch))
        pos += _advance(ch)
    return out


def _main_deltas(text: str) -> list[float]:
    """DeltaX of the main run of a line: the distance from each non-quote character to the
    next one, skipping over the quotation marks that are drawn separately."""
    xs, pos = [], 0.0
    for ch in text:
        if ch not in _QUOTES:
            xs.append(pos)
        pos += _advance(ch)
    return [b - a for a, b in zip(xs, xs[1:], strict=False)]


# ------------------------------------------------------------------------------ CID-font PDF
def _cid_pdf(paragraphs: list[str], workdir: Path) -> bytes:
    """A PDF whose text is in a Type0 (CIDFontType2, Identity-H) font with a ToUnicode CMap."""
    import logging

    from fontTools.ttLib import TTCollection
    from fpdf import FPDF

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "BDF NOT subset" noise

    ttf = workdir / "wqy-zenhei-0.ttf"
    if not ttf.exists():
        TTCollection(str(CJK_FONT)).fonts[0].save(str(ttf))
    pdf = FPDF(format="A4")
    pdf.set_producer("fpdf2")
    pdf.set_margins(28, 37, 26)
    pdf.add_font("zh", "", str(ttf))
    pdf.set_font("zh", size=16)
    pdf.add_page()
    title, body = split_title(paragraphs)
    if title:
        pdf.multi_cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT")
    for p in body:
        pdf.set_x(28 + 2 * _SIZE)  # first-line indent of two characters
        pdf.write(10, p)
        pdf.ln(10)
    return bytes(pdf.output())


# ------------------------------------------------------------------------------ scanned PDF
def _scanned_pdf(paragraphs: list[str], pages: int = 2) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(CJK_FONT), 30)
    images = []
    text = "".join(paragraphs)
    per_line, per_page = 34, 40
    chunks = [text[i : i + per_line] for i in range(0, len(text), per_line)]
    for n in range(pages):
        img = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
        draw = ImageDraw.Draw(img)
        for row, line in enumerate(chunks[n * per_page : (n + 1) * per_page]):
            draw.text((110, 120 + row * 38), line, font=font, fill=0)
        images.append(img.convert("RGB"))
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return buf.getvalue()


# ------------------------------------------------------------------------------ LibreOffice
def _soffice(soffice: str, files: list[Path], fmt: str, outdir: Path, profile: Path) -> None:
    cmd = [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
           "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    for f in files:
        target = outdir / f"{f.stem}.{fmt.split(':')[0]}"
        if not target.exists():
            raise RuntimeError(f"soffice did not write {target}: {proc.stdout} {proc.stderr}")


def build_all(workdir: Path) -> dict[str, dict]:
    """Write every test file under ``workdir``; returns kind -> {"data": bytes, "seed": [paragraphs]}."""
    soffice = require_tools()
    src, out, profile = workdir / "src", workdir / "out", workdir / "profile"
    for d in (src, out):
        d.mkdir(parents=True, exist_ok=True)
    reports = {k: seed_report(k) for k in SEED_FOR}
    files: dict[str, dict] = {}

    table = [["序号", "事项", "件数"], ["1", "行政复议案件", "37"], ["2", "行政应诉案件", "52"]]
    files["docx"] = {
        "data": _docx(reports["docx"], table=table),
        "seed": reports["docx"],
        "table": table,
    }
    (src / "pdf_src.docx").write_bytes(_docx(reports["pdf"]))
    (src / "doc_src.docx").write_bytes(_docx(reports["doc"], table=table))
    (src / "wps_src.docx").write_bytes(
        _docx(reports["wps"], custom_props={"KSOProductBuildVer": WPS_BUILD})
    )
    (src / "xls_src.xlsx").write_bytes(_xlsx(reports["xls"]))
    files["xlsx"] = {"data": _xlsx(reports["xlsx"]), "seed": reports["xlsx"]}

    _soffice(soffice, [src / "pdf_src.docx"], "pdf", out, profile)
    _soffice(soffice, [src / "doc_src.docx", src / "wps_src.docx"], "doc:MS Word 97", out, profile)
    _soffice(soffice, [src / "xls_src.xlsx"], "xls:MS Excel 97", out, profile)
    files["pdf"] = {"data": (out / "pdf_src.pdf").read_bytes(), "seed": reports["pdf"]}
    files["doc"] = {"data": (out / "doc_src.doc").read_bytes(), "seed": reports["doc"]}
    files["wps"] = {"data": (out / "wps_src.doc").read_bytes(), "seed": reports["wps"]}
    files["xls"] = {"data": (out / "xls_src.xls").read_bytes(), "seed": reports["xls"]}
    files["ofd"] = {"data": _ofd(reports["ofd"]), "seed": reports["ofd"]}
    files["pdf_cid"] = {"data": _cid_pdf(reports["pdf_cid"], src), "seed": reports["pdf_cid"]}
    files["scanned"] = {"data": _scanned_pdf(reports["scanned"]), "seed": reports["scanned"]}

    pdf = files["pdf"]["data"]
    files["corrupt_pdf"] = {"data": pdf[: len(pdf) // 2], "seed": []}
    files["corrupt_docx"] = {
        "data": files["docx"]["data"][: len(files["docx"]["data"]) // 2],
        "seed": [],
    }
    doc = files["doc"]["data"]
    files["corrupt_doc"] = {"data": doc[: len(doc) * 3 // 4], "seed": []}
    for name, f in files.items():
        (out / f"final_{name}.bin").write_bytes(f["data"])
    return files
