"""Build templates/docx/base.docx, the page template of the built-in DOCX writer.

Run from the repository root:  python tools/build_docx_template.py

It starts from python-docx's default template and sets what a Chinese
contract needs: A4 and Word's Chinese margins, East-Asian fonts (宋体 body,
黑体 headings) and East-Asian language zh-CN, body 小四 (12 pt) with 1.5 line
spacing and a two-character first-line indent, the styles the writer uses,
a header with the docxtpl tag ``{{ header_text }}`` and a footer
"第 X 页 共 Y 页" made of PAGE/NUMPAGES fields.  The body holds one marker
paragraph that the writer replaces with the document.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

BODY_MARKER = "CONTRACTGEN-BODY"
LINE_HEIGHT = 1.8
"""Exact line heights, font size × 1.8 (12 pt body → 21.6 pt: 1.5 lines of the usual 1.2 single line),
the same as the PDF's CSS.  Word's "1.5 lines" depends on the font each machine substitutes for
宋体, so the two files would break pages differently and the DOCX contents list would cite the
wrong pages; fixed line heights (固定值, as Chinese official documents use) keep them together."""
OUTPUT = Path("templates/docx/base.docx")
LATIN_SERIF = "Times New Roman"
LATIN_SANS = "Arial"


def set_fonts(rpr_owner, east_asia: str, latin: str) -> None:
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def reset_style(style) -> None:
    """Drop the default template's colours, borders and theme fonts."""
    element = style.element
    for tag in ("w:rPr", "w:pPr"):
        old = element.find(qn(tag))
        if old is not None:
            element.remove(old)


def first_line_chars(style, chars: int) -> None:
    """Indent the first line by N characters (w:firstLineChars), as Chinese documents do."""
    ppr = style.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(chars * 240))


def paragraph_style(doc, name: str, base: str | None = None):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    reset_style(style)
    if base:
        style.base_style = styles[base]
    style.quick_style = True
    return style


def configure_defaults(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), LATIN_SERIF)
    fonts.set(qn("w:hAnsi"), LATIN_SERIF)
    fonts.set(qn("w:eastAsia"), "宋体")
    fonts.set(qn("w:cs"), LATIN_SERIF)
    set_language(rpr)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")


def configure_styles(doc) -> None:
    normal = paragraph_style(doc, "Normal")
    set_fonts(normal.element, "宋体", LATIN_SERIF)
    set_language(normal.element.get_or_add_rPr())
    normal.font.size = Pt(12)
    normal.paragraph_format.line_spacing = Pt(LINE_HEIGHT * 12)  # exact: 1.5 lines of 12 pt, as the PDF
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY  # Word justifies CJK per character
    first_line_chars(normal, 2)

    title = paragraph_style(doc, "Title", "Normal")
    set_fonts(title.element, "黑体", LATIN_SANS)
    title.font.size = Pt(18)
    title.paragraph_format.line_spacing = Pt(LINE_HEIGHT * 18)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(12)
    title.paragraph_format.space_after = Pt(12)
    bold(title)
    letter_spacing = OxmlElement("w:spacing")
    letter_spacing.set(qn("w:val"), "40")  # 2 pt between characters, as the PDF title
    title.element.get_or_add_rPr().append(letter_spacing)
    first_line_chars(title, 0)

    subtitle = paragraph_style(doc, "Subtitle", "Normal")
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    subtitle.paragraph_format.space_after = Pt(12)
    first_line_chars(subtitle, 0)

    heading = paragraph_style(doc, "Heading 1", "Normal")
    set_fonts(heading.element, "黑体", LATIN_SANS)
    heading.font.size = Pt(12)
    bold(heading)
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.keep_with_next = True
    outline = OxmlElement("w:outlineLvl")  # python-docx has no API for it; Word/WPS/LibreOffice navigation needs it
    outline.set(qn("w:val"), "0")
    heading.element.get_or_add_pPr().append(outline)
    first_line_chars(heading, 0)

    plain = paragraph_style(doc, "Plain Text Line", "Normal")
    plain.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    first_line_chars(plain, 0)

    closing = paragraph_style(doc, "Closing", "Normal")
    closing.paragraph_format.space_before = Pt(6)
    closing.paragraph_format.space_after = Pt(12)

    caption = paragraph_style(doc, "Caption", "Normal")
    set_fonts(caption.element, "黑体", LATIN_SANS)
    caption.font.size = Pt(10.5)
    caption.paragraph_format.line_spacing = Pt(LINE_HEIGHT * 10.5)
    caption.font.bold = False
    caption.font.color.rgb = None
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.keep_with_next = True
    first_line_chars(caption, 0)

    cell = paragraph_style(doc, "Table Text", "Normal")
    cell.font.size = Pt(10.5)
    cell.paragraph_format.line_spacing = Pt(14.7)  # 1.4 × 10.5 pt, as the PDF's table cells
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    first_line_chars(cell, 0)

    table_heading = paragraph_style(doc, "Table Heading", "Table Text")
    set_fonts(table_heading.element, "黑体", LATIN_SANS)
    table_heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    bold(table_heading)

    signature = paragraph_style(doc, "Signature Line", "Normal")
    signature.paragraph_format.line_spacing = Pt(19.2)  # 1.6 × 12 pt, as the PDF's signature block
    signature.paragraph_format.space_after = Pt(8)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    first_line_chars(signature, 0)

    cover_line = paragraph_style(doc, "Cover Line", "Normal")
    cover_line.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first_line_chars(cover_line, 0)

    configure_contents_styles(doc)

    label = doc.styles.add_style("Article Label", WD_STYLE_TYPE.CHARACTER)
    label.quick_style = True
    set_fonts(label.element, "黑体", LATIN_SANS)
    bold(label)

    for name in ("Header", "Footer"):
        style = paragraph_style(doc, name, "Normal")
        style.font.size = Pt(9)
        style.paragraph_format.line_spacing = 1.0
        first_line_chars(style, 0)


def bold(style) -> None:
    """Headings are 黑体 in bold (w:b, and w:bCs as Word writes for Ctrl+B), in the style itself,
    so a heading a person adds in Word is bold too."""
    style.font.bold = True
    style.font.cs_bold = True


TEXT_WIDTH_TWIPS = 8306  # A4 width minus 3.17 cm margins each side: where the page numbers of the contents align


def configure_contents_styles(doc) -> None:
    """目录 heading and entry styles, under Word's own names so "Update field" keeps using them."""
    contents_heading = paragraph_style(doc, "TOC Heading", "Normal")
    set_fonts(contents_heading.element, "黑体", LATIN_SANS)
    contents_heading.font.size = Pt(16)
    contents_heading.paragraph_format.line_spacing = Pt(LINE_HEIGHT * 16)
    contents_heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    contents_heading.paragraph_format.space_before = Pt(12)
    contents_heading.paragraph_format.space_after = Pt(12)
    contents_heading.paragraph_format.keep_with_next = True
    bold(contents_heading)
    first_line_chars(contents_heading, 0)

    entry = paragraph_style(doc, "toc 1", "Normal")  # Word's built-in name (style id TOC1)
    entry.element.set(qn("w:styleId"), "TOC1")
    first_line_chars(entry, 0)
    tabs = OxmlElement("w:tabs")
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), "right")
    tab.set(qn("w:leader"), "dot")
    tab.set(qn("w:pos"), str(TEXT_WIDTH_TWIPS))
    tabs.append(tab)
    entry.element.get_or_add_pPr().insert(0, tabs)


KEPT_STYLES = {
    "Normal", "Default Paragraph Font", "Normal Table", "Table Grid", "No List",
    "Title", "Subtitle", "Heading 1", "Caption", "Header", "Footer",
    "Plain Text Line", "Closing", "Table Text", "Table Heading", "Signature Line",
    "Cover Line", "TOC Heading", "toc 1", "Article Label", "Hyperlink",
}


def prune_styles(doc) -> None:
    """Keep only the styles the writer uses: smaller file, fast style look-ups."""
    root = doc.styles.element
    latent = root.find(qn("w:latentStyles"))
    if latent is not None:
        root.remove(latent)
    for style in list(root.findall(qn("w:style"))):
        name = style.find(qn("w:name")).get(qn("w:val"))
        if name.lower() not in {kept.lower() for kept in KEPT_STYLES}:
            root.remove(style)
            continue
        link = style.find(qn("w:link"))
        if link is not None:
            style.remove(link)


def configure_settings(doc) -> None:
    """Word 2013+ mode, Chinese theme language, no stretched lines before manual breaks."""
    settings = doc.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    compat = settings.find(qn("w:compat"))
    compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))
    settings.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")
    settings.find(qn("w:characterSpacingControl")).set(qn("w:val"), "compressPunctuation")


def configure_table_grid(doc) -> None:
    """Cell margins that match the PDF's 2pt 4pt padding."""
    margins = doc.styles["Table Grid"].element.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    for side, width in (("top", "40"), ("left", "80"), ("bottom", "40"), ("right", "80")):
        margins.find(qn(f"w:{side}")).set(qn("w:w"), width)


def add_field(paragraph, instruction: str, cached: str) -> None:
    """A complex field (PAGE, NUMPAGES) with a cached result shown before Word updates it."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", cached), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def configure_page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(3.17)
    section.header_distance = section.footer_distance = Cm(1.5)
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run("{{ header_text }}")
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    add_field(footer, "PAGE", "1")
    footer.add_run(" 页 共 ")
    add_field(footer, "NUMPAGES", "1")
    footer.add_run(" 页")


def build() -> bytes:
    doc = Document()
    configure_defaults(doc)
    configure_styles(doc)
    configure_page(doc)
    configure_settings(doc)
    configure_table_grid(doc)
    prune_styles(doc)
    body = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    body.text = BODY_MARKER
    buffer = io.BytesIO()
    doc.save(buffer)
    return strip_unused_parts(buffer.getvalue())


def strip_unused_parts(data: bytes) -> bytes:
    """Drop the default template's thumbnail and the duplicate stylesWithEffects."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    dropped = ("docProps/thumbnail.jpeg", "word/stylesWithEffects.xml")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in dropped:
                continue
            payload = source.read(info.filename)
            if info.filename in ("_rels/.rels", "word/_rels/document.xml.rels", "[Content_Types].xml"):
                payload = _remove_references(payload, dropped)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, payload)
    return out.getvalue()


def _remove_references(xml: bytes, dropped: tuple[str, ...]) -> bytes:
    from lxml import etree

    root = etree.fromstring(xml)
    for element in list(root):
        target = element.get("Target") or element.get("PartName") or ""
        if any(target.lstrip("/").endswith(name.split("/")[-1]) for name in dropped):
            root.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    target.write_bytes(build())
    print(f"wrote {target} ({target.stat().st_size} bytes)")
