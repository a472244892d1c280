from datetime import date

from docx.oxml.ns import qn

from duban.documents import DocumentTable, Section, document_bytes, issuer_name, official_document

from .helpers import all_text, east_asian_font, open_docx, paragraph


def _bulletin():
    return official_document(
        issuer="督查工作简报",
        number="第48期",
        issue_line=("云泽市政府督查室编", "2026年11月25日"),
        title="本周重点工作督办情况",
        sections=[
            Section(heading="总体情况", paragraphs=["本周共督办事项120项，按期办结98项。"]),
            Section(heading="分单位情况", level=2, paragraphs=["各单位情况见下表。"]),
            Section(
                heading="亮灯情况",
                tables=[
                    DocumentTable(
                        caption="各单位亮灯情况",
                        headers=["单位", "红灯", "黄灯", "绿灯"],
                        rows=[["市财政局", 2, 3, 20], ["市住建局", 0, None, 15]],
                        widths_mm=[60, 30, 30, 36],
                    )
                ],
            ),
            "以上情况，特此通报。",
        ],
        record_lines=["报：市委督查室，市政府领导。"],
        printed_by="云泽市政府督查室",
        printed_on=date(2026, 11, 25),
    )


def test_the_builder_writes_masthead_issue_number_and_issue_line():
    document = open_docx(document_bytes(_bulletin()))
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["督查工作简报", "第48期", "云泽市政府督查室编\t2026年11月25日"]
    assert paragraph(document, "云泽市政府督查室编")._p.pPr.find(qn("w:pBdr")) is not None


def test_headings_are_numbered_by_level_and_restart_under_a_new_parent():
    text = all_text(open_docx(document_bytes(_bulletin())))
    assert "一、总体情况" in text
    assert "（一）分单位情况" in text
    assert "二、亮灯情况" in text


def test_tables_carry_headers_and_rows_in_an_east_asian_face():
    document = open_docx(document_bytes(_bulletin()))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["单位", "红灯", "黄灯", "绿灯"]
    assert [c.text for c in table.rows[2].cells] == ["市住建局", "0", "", "15"]
    assert all(east_asian_font(r) for row in table.rows for c in row.cells for r in c.paragraphs[0].runs)


def test_the_record_block_closes_the_document():
    text = all_text(open_docx(document_bytes(_bulletin())))
    assert "报：市委督查室，市政府领导。" in text
    assert "2026年11月25日印发" in text


def test_pages_are_numbered_on_odd_and_even_pages():
    document = open_docx(document_bytes(_bulletin()))
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        assert "PAGE" in footer._element.xml


def test_dates_may_be_signed_in_chinese_numerals():
    document = official_document(
        issuer="云泽市人民政府",
        signature="云泽市人民政府",
        signed_on=date(2026, 1, 9),
        chinese_numeral_date=True,
    )
    assert "二〇二六年一月九日" in all_text(document)


def test_issuer_name_does_not_repeat_the_city():
    assert issuer_name("云泽市", "市政府督查室") == "云泽市政府督查室"
    assert issuer_name("云泽市", "云泽市人民政府督查室") == "云泽市人民政府督查室"
    assert issuer_name("云泽市", "人民政府督查室") == "云泽市人民政府督查室"


def test_a_moment_in_a_table_is_written_in_local_time():
    from datetime import UTC, datetime

    document = official_document(
        issuer="周例会纪要",
        title="决定事项",
        sections=[
            Section(
                heading="决定",
                tables=[
                    DocumentTable(
                        headers=["议题", "决定时间"],
                        rows=[["修路", datetime(2026, 3, 1, 23, 37, tzinfo=UTC)]],
                    )
                ],
            )
        ],
    )
    table = open_docx(document_bytes(document)).tables[0]
    assert table.rows[1].cells[1].text == "2026年3月2日 07:37"
