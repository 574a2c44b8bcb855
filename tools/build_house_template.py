"""Build examples/templates/house.docx, the house-style DOCX template shipped as an example.

Run from the repository root:  python tools/build_house_template.py

It is what a company's Word template looks like after someone typed docxtpl
tags into it: a letterhead in the header, our own clause wording, a table
row repeated with ``{%tr for %}``, optional sections wrapped in ``{%p if %}``,
and every required section's heading written with ``{{ section('key') }}``.
It starts from the built-in page template for its Chinese styles (宋体/黑体,
小四, A4) and its page-number footer, so a reader can compare the two.
The same wording is in examples/templates/house.html, for the PDF.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from contractgen.writers.determinism import normalise_zip  # noqa: E402

BASE = ROOT / "templates" / "docx" / "base.docx"
TARGET = ROOT / "examples" / "templates" / "house.docx"
HOUSE_BLUE = RGBColor(0x1F, 0x4E, 0x79)

# (style, text) — a paragraph each; "table:" entries are built separately below.
BODY = [
    ("Title", "{{ section('cover') }}"),
    ("Cover Line", "合同编号：{{ contract_no }}　　签订日期：{{ signing.date|date }}"),
    ("Cover Line", "签订地点：{{ signing.place }}"),
    ("Heading 1", "{{ section('parties', '合同双方') }}"),
    ("Plain Text Line", "甲方（委托方）：{{ parties.client.name }}"),
    ("Plain Text Line", "统一社会信用代码：{{ parties.client.credit_code }}　法定代表人：{{ parties.client.legal_representative }}"),
    ("Plain Text Line", "地址：{{ parties.client.address }}　联系人：{{ parties.client.contact }}　电话：{{ parties.client.phone }}"),
    ("Plain Text Line", "乙方（受托方）：{{ parties.provider.name }}"),
    ("Plain Text Line", "统一社会信用代码：{{ parties.provider.credit_code }}　法定代表人：{{ parties.provider.legal_representative }}"),
    ("Plain Text Line", "地址：{{ parties.provider.address }}　联系人：{{ parties.provider.contact }}　电话：{{ parties.provider.phone }}"),
    ("Normal", "甲方委托乙方为其客户服务团队提供培训服务。双方依据《中华人民共和国民法典》，经平等协商，订立本协议。"),
    ("Heading 1", "{{ section('purpose', '培训目标') }}"),
    ("Normal", "{{ training.background|sentence }}本次培训的目标是："),
    ("Normal", "{%p for goal in training.purpose %}"),
    ("Normal", "{{ loop.index }}. {{ goal|sentence }}"),
    ("Normal", "{%p endfor %}"),
    ("Heading 1", "{{ section('content', '课程内容') }}"),
    ("table", "modules"),
    ("Heading 1", "{{ section('schedule', '时间与方式') }}"),
    ("Normal", "培训以{{ labels.mode[schedule.mode] }}方式进行，期限自{{ schedule.term.start|date }}至{{ schedule.term.end|date }}，"
               "参训人员为甲方{{ training.trainees.roles|join_cn }}共{{ training.trainees.count }}人。"),
    ("Heading 1", "{{ section('fees', '费用与付款') }}"),
    ("Normal", "培训费用总额为{{ fees.total|money }}（大写：人民币{{ fees.total|rmb_upper }}），"
               "{% if fees.tax_included %}含{% else %}不含{% endif %}增值税（税率{{ fees.vat_rate|percent }}），"
               "分{{ fees.instalments|length|count_cn }}期支付："),
    ("table", "instalments"),
    ("Heading 1", "{{ section('obligations', '双方责任') }}"),
    ("Normal", "甲方按时付款，组织员工参训并提供必要的资料与场地；乙方按约定的内容与时间授课，如实记录考勤与考核，并在培训结束后提交评估报告。"),
    ("Normal", "{%p for duty in obligations.client %}"),
    ("Normal", "甲方另承诺：{{ duty|sentence }}"),
    ("Normal", "{%p endfor %}"),
    ("Normal", "{%p for duty in obligations.provider %}"),
    ("Normal", "乙方另承诺：{{ duty|sentence }}"),
    ("Normal", "{%p endfor %}"),
    ("Normal", "{%p if evaluation %}"),
    ("Heading 1", "{{ section('evaluation', '效果评估') }}"),
    ("Normal", "培训效果在培训结束后{{ evaluation.follow_up_days }}日内评估，指标如下："
               "{% for kpi in evaluation.kpis %}{{ kpi.name }}由{{ kpi.baseline|num }}{{ kpi.unit }}"
               "{% if kpi.direction == 'higher' %}提升{% else %}降低{% endif %}至{{ kpi.target|num }}{{ kpi.unit }}"
               "{% if not loop.last %}；{% endif %}{% endfor %}。"),
    ("Normal", "{%p endif %}"),
    ("Normal", "{%p if confidentiality %}"),
    ("Heading 1", "{{ section('confidentiality', '保密') }}"),
    ("Normal", "双方对履行本协议获知的对方商业秘密及客户个人信息负有保密义务，该义务在本协议终止后"
               "{{ confidentiality.years_after_end|count_cn }}年内继续有效。"),
    ("Normal", "{%p endif %}"),
    ("Normal", "{%p if intellectual_property %}"),
    ("Heading 1", "{{ section('intellectual_property') }}"),
    ("Normal", "乙方培训课件的著作权归乙方所有；甲方可在内部培训中使用。"),
    ("Normal", "{%p endif %}"),
    ("Normal", "{%p if liability %}"),
    ("Heading 1", "{{ section('liability') }}"),
    ("Normal", "任何一方违反本协议，应赔偿对方因此受到的损失。"),
    ("Normal", "{%p endif %}"),
    ("Heading 1", "{{ section('change_termination', '变更与解除') }}"),
    ("Normal", "本协议的变更须经双方书面同意。一方严重违约且经催告后{{ change_termination.notice_days }}日内未纠正的，对方可书面解除本协议。"),
    ("Heading 1", "{{ section('disputes', '争议') }}"),
    ("Normal", "因本协议产生的争议，双方协商解决；协商不成的，{% if disputes.arbitration %}提交{{ disputes.arbitration.commission }}仲裁"
               "{% elif disputes.litigation.court %}向{{ disputes.litigation.court }}起诉{% else %}向{{ labels.court[disputes.litigation.rule] }}起诉{% endif %}。"),
    ("Heading 1", "{{ section('effectiveness', '生效') }}"),
    ("Normal", "本协议自双方签字盖章之日起生效，一式{{ effectiveness.copies|count_cn }}份，双方各执{{ (effectiveness.copies // 2)|count_cn }}份。"),
    ("Closing", "{{ section('signature', '（以下无正文）') }}"),
    ("table", "signature"),
]

TABLES = {
    "modules": (("模块", "主要内容", "课时"), (
        "{%tr for module in training.modules %}",
        ("{{ module.name }}", "{{ module.topics|join_cn('；') }}", "{{ module.hours|num }}"),
        "{%tr endfor %}",
    ), (3, 7, 1)),
    "instalments": (("款项", "金额（元）", "大写", "付款时间"), (
        "{%tr for instalment in fees.instalments %}",
        ("{{ instalment.label }}", "{{ instalment.amount|amount }}", "人民币{{ instalment.amount|rmb_upper }}",
         "{% if instalment.trigger %}{{ instalment.trigger }}{% endif %}"
         "{% if instalment.due %}{% if instalment.trigger %}，{% endif %}最迟{{ instalment.due|date }}{% endif %}"),
        "{%tr endfor %}",
    ), (2, 2, 4, 5)),
    "signature": (None, (
        ("甲方：{{ parties.client.name }}", "乙方：{{ parties.provider.name }}"),
        ("（盖章）", "（盖章）"),
        ("授权代表（签字）：", "授权代表（签字）："),
        ("日期：", "日期："),
    ), (1, 1)),
}


def build() -> bytes:
    doc = Document(str(BASE))
    body = doc.element.body
    for paragraph in list(doc.paragraphs):  # the built-in body marker
        body.remove(paragraph._p)
    _letterhead(doc)
    for style, text in BODY:
        if style == "table":
            _table(doc, *TABLES[text])
        else:
            doc.add_paragraph(text, style=style)
    for name in ("Heading 1", "Title"):
        doc.styles[name].font.color.rgb = HOUSE_BLUE
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue())


def _letterhead(doc) -> None:
    """Header: the client's name left, the contract number right, a blue rule under both."""
    header = doc.sections[0].header
    paragraph = header.paragraphs[0]
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.tab_stops.add_tab_stop(_text_width(doc), WD_TAB_ALIGNMENT.RIGHT)
    run = paragraph.add_run("{{ parties.client.name }}\t合同编号：{{ contract_no }}")
    run.font.color.rgb = HOUSE_BLUE
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "1"), ("color", "1F4E79")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _text_width(doc) -> int:
    section = doc.sections[0]
    return section.page_width - section.left_margin - section.right_margin


def _table(doc, header, rows, weights) -> None:
    table = doc.add_table(rows=0, cols=len(weights))
    table.autofit = False
    widths = [_text_width(doc) * w // sum(weights) for w in weights]
    for column, width in zip(table.columns, widths):
        column.width = width
    table.style = doc.styles["Table Grid"] if header else doc.styles["Normal Table"]
    if header:
        _row(table, header, "Table Heading")
    for row in rows:
        if isinstance(row, str):  # a {%tr %} tag: alone in its own row, first cell
            cells = _row(table, ("",) * len(weights), "Table Text")
            cells[0].paragraphs[0].add_run(row)
        else:
            _row(table, row, "Signature Line" if header is None else "Table Text")


def _row(table, values, style: str):
    cells = table.add_row().cells
    for cell, column in zip(cells, table.columns):
        cell.width = column.width
    for cell, value in zip(cells, values):
        paragraph = cell.paragraphs[0]
        paragraph.style = table.part.document.styles[style]
        if value:
            paragraph.add_run(value)
    return cells


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(build())
    print(f"wrote {TARGET.relative_to(ROOT)}")
