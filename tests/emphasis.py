"""Reading emphasis back for tests: bold runs of a DOCX, emphasised paragraphs of the IR and of the page HTML."""

from __future__ import annotations

import io

import docx
from lxml import html as lxml_html

from contractgen.ir import Document, Paragraph

OFFLINE_EMPHASISED = (  # the three clauses the built-in agreement sets in bold, as the offline example reads
    "（二）乙方应在甲方每期付款前向甲方开具等额、合法有效的增值税专用发票；乙方未开具发票的，甲方有权顺延付款且不承担逾期付款责任。",
    "（五）乙方应于培训结束后10日内向甲方提交书面培训效果评估报告，内容包括考勤情况、考核成绩、指标对比分析及改进建议；"
    "甲方应在收到报告后十日内书面确认或提出异议，逾期未答复的视为确认。",
    "（五）除违反第七条约定外，任何一方依本条支付的违约金总额以¥19,200.00（大写：人民币壹万玖仟贰佰元整）为限。",
)


def ir_emphasised(document: Document) -> list[str]:
    return [b.full_text for s in document.sections for b in s.blocks if isinstance(b, Paragraph) and b.emphasis]


def html_emphasised(page: str) -> list[str]:
    """The text of every ``<p>`` whose class list holds ``emphasis``."""
    root = lxml_html.fromstring(page)
    return [p.text_content() for p in root.xpath('//p[contains(concat(" ", @class, " "), " emphasis ")]')]


def run_weights(paragraph) -> list[tuple[str, bool]]:
    """(text, bold) of each run of a python-docx paragraph that holds text; bold means ``w:b`` set on the run."""
    return [(run.text, run.bold is True) for run in paragraph.runs if run.text]


def docx_bold_paragraphs(data: bytes) -> tuple[list[str], list[str]]:
    """The body paragraphs (not table cells) whose runs are all bold, and those with any bold run but not all."""
    bold, mixed = [], []
    for paragraph in docx.Document(io.BytesIO(data)).paragraphs:
        weights = [is_bold for _, is_bold in run_weights(paragraph)]
        if weights and all(weights):
            bold.append(paragraph.text)
        elif any(weights):
            mixed.append(paragraph.text)
    return bold, mixed
