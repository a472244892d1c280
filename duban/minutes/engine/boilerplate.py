"""What a news site prints around a report and the meeting record should not keep: the disclaimer
(免责声明), the editor's and proof-reader's lines (责任编辑 / 责编 / 审核 / 校对), share bars and a
byline closing the last paragraph. The publication line stays: its date gives a meeting date written
without a year its year. No Django import.

Only whole lines are removed (and a byline in brackets at the very end of the text), so what remains
reads as it was written.
"""

from __future__ import annotations

import re

# A reading after a character, as some sites print traditional text: 責(zé)任編輯.
_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ]+[)）]")
_LABEL = (
    r"责任编辑|責任編輯|责编|責編|编辑|編輯|编审|編審|审核|審核|审校|審校|校对|校對|终审|終審|"
    r"值班编辑|值班編輯|实习编辑|實習編輯|作者|摄影|攝影|通讯员|通訊員|记者|記者"
)
_LINE = re.compile(
    r"^\s*[(（\[【]?\s*(?:" + _LABEL + r")\s*[:：/／|｜]"  # 责任编辑：… / (责编:…) / 责任编辑 / …
    r"|^\s*(?:免责声明|免責聲明|版权声明|版權聲明|特别声明|特別聲明)"  # the disclaimer, however long
    r"|^\s*(?:分享到|扫一扫|掃一掃|打印本页|打印本頁|关闭窗口|關閉窗口)"
)
# A short label line is boilerplate; a long one starting "来源：" may be a sentence of the report.
_SHORT = 120
_TRAILING_BYLINE = re.compile(
    r"[(（]\s*(?:记者|記者|通讯员|通訊員|编辑|編輯|责编|責編)[^()（）\n]{0,40}[)）]\s*$"
)


def _plain(line: str) -> str:
    return _PINYIN.sub("", line)


def _is_boilerplate(line: str) -> bool:
    plain = _plain(line)
    if not _LINE.match(plain):
        return False
    disclaimer = re.match(r"^\s*(?:免责声明|免責聲明|版权声明|版權聲明|特别声明|特別聲明)", plain)
    return bool(disclaimer) or len(plain.strip()) <= _SHORT


def trim_boilerplate(text: str) -> str:
    """The report without the site's disclaimer, editor and source lines."""
    lines = text.splitlines(keepends=True)
    kept = [line for line in lines if not _is_boilerplate(line)]
    result = "".join(kept).rstrip()
    # "…提出明确要求。(记者 广彬 晓明)" closing the report: the byline goes, the sentence stays.
    result = _TRAILING_BYLINE.sub("", result).rstrip()
    return result + ("\n" if text.endswith("\n") and result else "")
