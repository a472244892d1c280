"""Normalising text: pinyin readings, traditional script, punctuation, and the map back to the original."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from duban.minutes.engine import normalise


def test_pinyin_after_its_character_is_removed():
    assert normalise("市委副書(shū)記(jì)").text == "市委副书记"


def test_pinyin_without_tone_marks_is_removed_when_it_reads_the_character():
    assert normalise("议事会(hui)").text == "议事会"


def test_several_syllables_after_a_word_are_removed_when_each_reads_its_character():
    assert normalise("驻马店(zhù mǎ diàn)市").text == "驻马店市"


def test_parenthesised_letters_that_are_not_a_reading_stay():
    assert normalise("规范PPP(PPP)项目").text == "规范PPP（PPP）项目"
    assert normalise("人工智能(AI)产业").text == "人工智能（AI）产业"


def test_a_syllable_that_is_not_a_reading_of_the_character_stays():
    assert normalise("书(ma)记").text == "书（ma）记"


def test_reporter_credit_and_chinese_parentheses_stay():
    assert normalise("提出明确要求。(記者 廣彬 曉明)").text == "提出明确要求。（记者 广彬 晓明）"
    assert "（非驻马店广视网）" in normalise("來源:XXX(非駐馬店廣視網)").text


def test_traditional_characters_become_simplified():
    assert normalise("會議強調，要轉變觀念").text == "会议强调，要转变观念"


def test_half_width_punctuation_between_chinese_becomes_full_width():
    assert normalise("会议指出,要坚定信念;要增强信心:").text == "会议指出，要坚定信念；要增强信心："


def test_full_width_letters_and_digits_become_ascii():
    assert normalise("ＰＰＰ项目１２月底前").text == "PPP项目12月底前"


def test_urls_and_numbers_keep_their_ascii_punctuation():
    text = normalise("链接:http://zhspmw.cn/news/show-183.html,否则 1,000 万元").text
    assert "http://zhspmw.cn/news/show-183.html" in text
    assert "1,000" in text


def test_runs_of_blanks_become_one_space_and_line_ends_are_unified():
    assert normalise("会议\u3000\u3000强调  要\r\n落实 ").text == "会议 强调 要\n落实"


def test_a_normalised_span_maps_to_the_original_with_its_readings():
    original = "要堅(jiān)定信念、增強(qiáng)信心"
    result = normalise(original)
    start = result.text.index("坚定")
    assert result.original_span(start, start + 2) == (1, original.index("信念"))
    assert original[slice(*result.original_span(0, len(result.text)))] == original


chinese = st.text(alphabet="会议强调要转变观念說書長發展专项债券，。；", min_size=0, max_size=30)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(chinese, st.sampled_from(["", "(shū)", "(zhǎng)", "(PPP)", "  ", "\u3000", ",", "\r\n"]))
    )
)
def test_every_normalised_character_comes_from_an_ordered_span_of_the_original(pieces):
    original = "".join(a + b for a, b in pieces)
    result = normalise(original)
    assert len(result.starts) == len(result.ends) == len(result.text)
    previous_end = 0
    for start, end in zip(result.starts, result.ends, strict=True):
        assert 0 <= start < end <= len(original)
        assert start >= previous_end - 1
        previous_end = end
