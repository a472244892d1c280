"""Units and leaders named in a requirement: matched against the directories when given, else read as plain names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .keywords import longest_of

# Collective addressees: "各县区要…", "各级各有关部门要…". Longest first so the whole group is taken.
GROUPS = sorted(
    {
        "各级各有关部门",
        "各级各部门",
        "各级各相关部门",
        "各地各部门",
        "各地各有关部门",
        "各县区各部门",
        "各县（区）",
        "各县(区)",
        "各县市区",
        "各县（市、区）",
        "各县区",
        "各区政府",
        "各县区政府",
        "各县（市、区）政府",
        "各县（区）政府",
        "各县市",
        "各区县",
        "各区",
        "各县",
        "各乡镇",
        "各乡镇（街道）",
        "各街道",
        "各有关部门",
        "各相关部门",
        "各部门",
        "各有关单位",
        "各相关单位",
        "各单位",
        "各成员单位",
        "市直各部门",
        "市直各单位",
        "市直有关部门",
        "市直相关部门",
        "市直有关单位",
        "市直各有关部门",
        "有关部门",
        "相关部门",
        "有关单位",
        "相关单位",
        "有关县区",
        "相关县区",
        "全市各级各部门",
        "全市上下",
        "各级党委政府",
        "各级政府",
        "各级领导干部",
    },
    key=len,
    reverse=True,
)

# Titles that stand before a leader's name, longest first.
TITLES = sorted(
    {
        "市委书记",
        "市委副书记",
        "书记",
        "副书记",
        "市长",
        "副市长",
        "常务副市长",
        "代市长",
        "县长",
        "副县长",
        "区长",
        "副区长",
        "省长",
        "副省长",
        "秘书长",
        "副秘书长",
        "主任",
        "副主任",
        "局长",
        "副局长",
        "主席",
        "副主席",
        "部长",
        "副部长",
        "常委",
        "市委常委",
        "党组成员",
        "党组书记",
        "巡视员",
        "督查专员",
        "市长助理",
        "助理",
        "院长",
        "检察长",
        "董事长",
        "总经理",
        "常务副县长",
        "常务副区长",
        "常务副州长",
        "代县长",
        "代区长",
        "县委常委",
        "区委常委",
        "镇长",
        "副镇长",
        "乡长",
        "副乡长",
        "党委书记",
        "党委副书记",
        "党工委书记",
        "区委书记",
        "县委书记",
        "县委副书记",
        "区委副书记",
        "政法委书记",
        "组长",
        "副组长",
        "指挥长",
        "总理",
        "副总理",
        "处长",
        "副处长",
        "科长",
        "州长",
        "副州长",
        "委员",
    },
    key=len,
    reverse=True,
)

# Common Chinese family names: a two- to three-character word after a title is a name only if it starts with one.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
    "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池"
    "查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆"
    "朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫"
    "杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧"
    "闭由"
)

_UNIT_PATTERN = re.compile(
    r"(?:(?:[省市县区][委政]?|[\u4e00-\u9fff]{2,4}[省市县区])"
    r"[\u4e00-\u9fff]{1,6}?"
    r"(?:(?<![布格大全开结当出])局|委员会|(?<![常])委|办公室|(?<![举创督承主开包代查交帮协领兴法营置筹缓申试])办|"
    r"(?<![城])中心|集团|公司|银行|法院|检察院|医院|大学|学院|总队|支队|大队|管委会|指挥部|工作专班|领导小组|督查室|研究室))"
)
# What a unit's name ends with: a text without any of these names none (and skips the slow pattern).
_UNIT_END = re.compile(
    r"局|委|办|中心|集团|公司|银行|法院|检察院|医院|大学|学院|总队|支队|大队|指挥部|专班|小组|督查室|研究室"
)
# Words that cannot be inside a unit's name; they mean the pattern ran across a clause.
_NOT_IN_UNIT = re.compile(
    r"[的要和与及、，。；：是在把对将为了以“”]|推进|加快|加强|确保|工作|城区|发展|建设|规划"
)
_LEAD_UNIT = re.compile(r"由([^，。；、]{2,20}?)(?:牵头|负责|具体负责|会同|联合)")


@dataclass(frozen=True, slots=True)
class Mention:
    """A unit or leader named in a text: `id` and `name` from the directory when it matched there."""

    name: str
    matched: str
    start: int
    id: int | None = None
    group: bool = False
    title: str | None = None

    def unit_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "matched": self.matched, "group": self.group}

    def leader_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "title": self.title}


# Two or three characters that start with a family name but are words: "全市", "高度", "同时".
_NOT_NAMES = re.compile(
    r"^(?:全|各|本|我|该|此|其|有|相|会|和|同|高|明|文|安|平|成|时|常|方|金|石|白|关|向|于|从)"
    r"(?:市|县|区|州|省|国|镇|乡|村|部|局|委|办|会|议|上|下|关|于|时|度|确|化|全|面|力|样|度|展|果|员|长|家|体|后|前)"
    r"|(?:市|县|区|州|省|局|委|办|部|会|组|处|科|室|所|站|院|校|队|团|司|行|厂|场)$"
)


def plausible_name(name: str) -> bool:
    """A two- or three-character person's name: a family name first, not a place, body or common word."""
    return 2 <= len(name) <= 3 and name[0] in SURNAMES and not _NOT_NAMES.search(name)


_TITLE_NAME = re.compile("(?P<title>" + longest_of(TITLES).pattern + r")(?P<name>[\u4e00-\u9fff]{2,3})")


class Directory:
    """Fast lookup of unit and leader names (with short names and aliases) in a text."""

    def __init__(self, *, units: Iterable[dict] | None = None, leaders: Iterable[dict] | None = None) -> None:
        self.units = list(units or [])
        self.leaders = list(leaders or [])
        self._unit_by_term: dict[str, dict] = {}
        for unit in self.units:
            for term in (unit.get("name"), unit.get("short_name"), *(unit.get("aliases") or [])):
                if term and len(term) >= 2:
                    self._unit_by_term.setdefault(term, unit)
        self._leader_by_name = {leader["name"]: leader for leader in self.leaders if leader.get("name")}
        self._unit_re = _alternation(self._unit_by_term)
        self._leader_re = _alternation(self._leader_by_name)
        self._group_re = _alternation(GROUPS)
        self._title_name_re = _TITLE_NAME

    def find_units(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []

        def add(mention: Mention, end: int) -> None:
            if any(s < end and mention.start < e for s, e in taken):
                return
            if any(m.name == mention.name for m in found):
                return
            taken.append((mention.start, end))
            found.append(mention)

        if self._unit_re is not None:
            for match in self._unit_re.finditer(text):
                unit = self._unit_by_term[match.group(0)]
                add(
                    Mention(
                        name=unit["name"], matched=match.group(0), start=match.start(), id=unit.get("id")
                    ),
                    match.end(),
                )
        if self._group_re is not None:
            for match in self._group_re.finditer(text):
                add(
                    Mention(name=match.group(0), matched=match.group(0), start=match.start(), group=True),
                    match.end(),
                )
        for match in _LEAD_UNIT.finditer(text):
            for part in re.split(r"[、和及与]", match.group(1)):
                if 2 <= len(part) <= 15 and not _NOT_IN_UNIT.search(part):
                    start = match.start(1) + match.group(1).index(part)
                    add(Mention(name=part, matched=part, start=start), start + len(part))
        for match in _UNIT_PATTERN.finditer(text) if _UNIT_END.search(text) else ():
            name = match.group(0)
            if not _NOT_IN_UNIT.search(name):
                add(Mention(name=name, matched=name, start=match.start()), match.end())
        return sorted(found, key=lambda m: m.start)

    def find_leaders(self, text: str) -> list[Mention]:
        found: dict[str, Mention] = {}
        if self._leader_re is not None:
            for match in self._leader_re.finditer(text):
                leader = self._leader_by_name[match.group(0)]
                found.setdefault(
                    leader["name"],
                    Mention(
                        name=leader["name"],
                        matched=match.group(0),
                        start=match.start(),
                        id=leader.get("id"),
                        title=leader.get("title"),
                    ),
                )
        for match in self._title_name_re.finditer(text):
            name = self.plain_name(trim_name(text, match.start("name"), match.end("name")))
            if name and name not in found:
                found[name] = Mention(
                    name=name, matched=name, start=match.start("name"), title=match["title"]
                )
        return sorted(found.values(), key=lambda m: m.start)

    def plain_name(self, candidate: str) -> str | None:
        """A person's name at the start of `candidate`, checked against the directory or the family names."""
        for name in self._leader_by_name:
            if candidate.startswith(name):
                return name
        if plausible_name(candidate):
            return candidate
        return None

    def leader(self, name: str) -> dict | None:
        return self._leader_by_name.get(name)


# What follows a name in a report: "朱是西主持", "何晞在会上", "金冬江及…". A three-character candidate whose
# last character starts one of these is a two-character name.
_AFTER_NAME = (
    "主持",
    "出席",
    "强调",
    "指出",
    "要求",
    "参加",
    "讲话",
    "同志",
    "表示",
    "分别",
    "一行",
    "陪同",
    "列席",
    "听取",
    "提出",
    "认为",
    "宣布",
    "在",
    "及",
    "和",
    "等",
    "作",
    "说",
    "对",
    "就",
    "也",
    "还",
    "并",
    "到",
    "是",
    "率",
    "带",
    "任",
    "兼",
    "为",
    "负责",
    "牵头",
    "分管",
    "具体",
)


_BEFORE_BARE_NAME = set("午日天晚后前时上")


def trim_name(text: str, start: int, end: int) -> str:
    """The name in text[start:end] (two or three characters), not running into the verb after it."""
    if end - start == 3 and text.startswith(_AFTER_NAME, start + 2):
        return text[start : start + 2]
    return text[start:end]


def _alternation(terms: Iterable[str]) -> re.Pattern | None:
    return longest_of(terms)


def name_after_title(words: str, *, directory: Directory, loose: bool = False) -> str | None:
    """The person in "市委副书记、市长朱是西" or "副市长何晞": what follows the last title, or a bare name.

    `loose` also takes a name at the end of longer words without a title ("同日下午张建国"), where the
    words are known to end at a person (before 主持).
    """
    words = re.split(r"[，、,。；\s]", words.strip())[-1]
    best_end = -1
    for title in TITLES:
        index = words.rfind(title)
        if index >= 0:
            best_end = max(best_end, index + len(title))
    if best_end >= 0:
        words = words[best_end:]
    elif len(words) > 3:
        if not loose:
            return None
        for size in (3, 2):
            # "同日下午张建国": a name after a time word; "市政府第32次周例会" holds none.
            if words[-size - 1] in _BEFORE_BARE_NAME:
                name = directory.plain_name(words[-size:])
                if name:
                    return name
        return None
    if not 2 <= len(words) <= 3:
        return None
    return directory.plain_name(words)
