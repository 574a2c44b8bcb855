"""Required sections are verified again on the DOCX as written."""

import pytest

from contractgen.check import check_docx
from contractgen.errors import MissingSectionsError
from contractgen.kinds.training_agreement import KIND as TRAINING_AGREEMENT
from contractgen.pipeline import build
from contractgen.readback import DocxBlock, read_docx_blocks
from contractgen.writers.docx import write_docx
from tests.conftest import make_agreement_model


@pytest.fixture(scope="module")
def written():
    document = build(make_agreement_model())
    return document, read_docx_blocks(write_docx(document))


def test_written_docx_passes(written):
    document, blocks = written
    check_docx(blocks, document, TRAINING_AGREEMENT)


def test_docx_without_a_heading_fails_listing_it(written):
    document, blocks = written
    dropped = [b for b in blocks if b.text not in ("第十一条　争议解决", "第四条　培训费用及支付方式")]
    with pytest.raises(MissingSectionsError) as caught:
        check_docx(dropped, document, TRAINING_AGREEMENT)
    assert caught.value.missing == ("培训费用及支付方式 (fees)", "争议解决 (disputes)")
    assert str(caught.value).startswith("written DOCX: missing required sections")


def test_heading_text_in_the_wrong_style_does_not_count(written):
    document, blocks = written
    restyled = [DocxBlock("Normal", b.text) if b.text == "第一条　培训目的" else b for b in blocks]
    with pytest.raises(MissingSectionsError, match="培训目的"):
        check_docx(restyled, document, TRAINING_AGREEMENT)


def test_signature_block_is_required(written):
    document, blocks = written
    without = [b for b in blocks if not b.text.startswith("甲方（委托方）")]
    with pytest.raises(MissingSectionsError, match="签署栏"):
        check_docx(without, document, TRAINING_AGREEMENT)


def test_a_required_section_with_a_heading_but_no_content_fails(written):
    from dataclasses import replace

    from contractgen.check import check_document

    document, _ = written
    emptied = tuple(replace(s, blocks=()) if s.key == "disputes" else s for s in document.sections)
    with pytest.raises(MissingSectionsError, match="争议解决"):
        check_document(replace(document, sections=emptied), TRAINING_AGREEMENT)
