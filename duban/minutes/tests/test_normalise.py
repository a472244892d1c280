"""Normalising text: pinyin readings, traditional script, punctuation, and the map back to the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.minutes.engine import normalise


@pytest.mark.parametrize(
    ("original", "normalised"),
    [
        pytest.param("市委副書(shū)記(jì)", "市委副书记", id="pinyin after its character is removed"),
        pytest.param(
            "议事会(hui)", "议事会", id="pinyin without tone marks is removed when it reads the character"
        ),
        pytest.param(
            "驻马店(zhù mǎ diàn)市",
            "驻马店市",
            id="several syllables are removed when each reads its character",
        ),
        pytest.param(
            "规范PPP(PPP)项目", "规范PPP（PPP）项目", id="parenthesised letters that are not a reading stay"
        ),
        pytest.param("人工智能(AI)产业", "人工智能（AI）产业", id="an abbreviation in parentheses stays"),
        pytest.param("书(ma)记", "书（ma）记", id="a syllable that is not a reading of the character stays"),
        pytest.param("调度(diàodù)会", "调度会", id="a word's reading written as one is removed"),
        pytest.param("示范区(shìfànqū)管委会", "示范区管委会", id="a three-character reading written as one"),
        pytest.param("排查(páichá)(páichá)隐患", "排查隐患", id="a reading printed twice is removed twice"),
        pytest.param(
            "会议(zhèngfǔ)强调", "会议（zhèngfǔ）强调", id="a word that does not read the characters stays"
        ),
        pytest.param("湘?jiāng)江", "湘?jiāng）江", id="a stray question mark inside mojibake ends nothing"),
        pytest.param("是否到位? 要查清", "是否到位？ 要查清", id="a question mark before a blank is one"),
        pytest.param(
            "提出明确要求。(記者 廣彬 曉明)", "提出明确要求。（记者 广彬 晓明）", id="a reporter credit stays"
        ),
        pytest.param(
            "來源:XXX(非駐馬店廣視網)", "来源：XXX（非驻马店广视网）", id="chinese in parentheses stays"
        ),
        pytest.param(
            "會議強調，要轉變觀念", "会议强调，要转变观念", id="traditional characters become simplified"
        ),
        pytest.param(
            "会议指出,要坚定信念;要增强信心:",
            "会议指出，要坚定信念；要增强信心：",
            id="half-width punctuation between chinese becomes full width",
        ),
        pytest.param(
            "ＰＰＰ项目１２月底前", "PPP项目12月底前", id="full-width letters and digits become ascii"
        ),
        pytest.param(
            "会议\u3000\u3000强调  要\r\n落实 ",
            "会议 强调 要\n落实",
            id="runs of blanks become one space and line ends are unified",
        ),
    ],
)
def test_normalising(original, normalised):
    assert normalise(original).text == normalised


def test_urls_and_numbers_keep_their_ascii_punctuation():
    text = normalise("链接:http://zhspmw.cn/news/show-183.html,否则 1,000 万元").text
    assert "http://zhspmw.cn/news/show-183.html" in text
    assert "1,000" in text


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
