"""The fictional city of the demo: about forty units, the themes, and leaders with portfolios."""

from duban.audit.context import audit_context
from duban.audit.models import Channel

from .models import Leader, LeaderPost, Theme, Unit, UnitKind

CITY = ("YZ", "云泽市人民政府", "市政府", [])

CITY_DEPARTMENTS = [
    ("YZ-FGW", "云泽市发展和改革委员会", "市发改委", ["发改委", "市发展改革委"]),
    ("YZ-CZJ", "云泽市财政局", "市财政局", ["财政局", "市财政"]),
    ("YZ-ZJJ", "云泽市住房和城乡建设局", "市住建局", ["住建局", "市住房城乡建设局"]),
    ("YZ-ZRZY", "云泽市自然资源和规划局", "市自然资源规划局", ["自然资源局", "市自然资源局"]),
    ("YZ-GXJ", "云泽市工业和信息化局", "市工信局", ["工信局"]),
    ("YZ-NYNC", "云泽市农业农村局", "市农业农村局", ["农业农村局"]),
    ("YZ-JTYS", "云泽市交通运输局", "市交通运输局", ["交通局", "市交通局"]),
    ("YZ-SLJ", "云泽市水利局", "市水利局", ["水利局"]),
    ("YZ-STHJ", "云泽市生态环境局", "市生态环境局", ["环保局", "生态环境局"]),
    ("YZ-JYJ", "云泽市教育局", "市教育局", ["教育局"]),
    ("YZ-WJW", "云泽市卫生健康委员会", "市卫健委", ["卫健委"]),
    ("YZ-RSJ", "云泽市人力资源和社会保障局", "市人社局", ["人社局"]),
    ("YZ-SWJ", "云泽市商务局", "市商务局", ["商务局"]),
    ("YZ-WGL", "云泽市文化广电和旅游局", "市文广旅局", ["文旅局", "市文化广电旅游局"]),
    ("YZ-SCJG", "云泽市市场监督管理局", "市市场监管局", ["市场监管局"]),
    ("YZ-CGJ", "云泽市城市管理局", "市城管局", ["城管局"]),
    ("YZ-MZJ", "云泽市民政局", "市民政局", ["民政局"]),
    ("YZ-YJGL", "云泽市应急管理局", "市应急管理局", ["应急管理局", "应急局"]),
    ("YZ-SJJ", "云泽市审计局", "市审计局", ["审计局"]),
    ("YZ-TJJ", "云泽市统计局", "市统计局", ["统计局"]),
    ("YZ-XXJ", "云泽市乡村振兴局", "市乡村振兴局", ["乡村振兴局"]),
    ("YZ-ZWFW", "云泽市政务服务和大数据管理局", "市政务服务局", ["大数据局", "政务服务局"]),
    ("YZ-ZFB", "云泽市人民政府办公室", "市政府办", ["市政府办公室"]),
    ("YZ-JRJ", "云泽市地方金融监督管理局", "市金融局", ["金融局"]),
]
COUNTIES = [
    ("YZ-DHQ", "云泽市东湖区人民政府", "东湖区", ["东湖区政府"]),
    ("YZ-XSQ", "云泽市西山区人民政府", "西山区", ["西山区政府"]),
    ("YZ-NPX", "南屏县人民政府", "南屏县", ["南屏县政府"]),
    ("YZ-QSX", "青石县人民政府", "青石县", ["青石县政府"]),
    ("YZ-LYX", "柳营县人民政府", "柳营县", ["柳营县政府"]),
    ("YZ-BHX", "白河县人民政府", "白河县", ["白河县政府"]),
]
COUNTY_BODIES = [
    ("YZ-NPX-CZJ", "南屏县财政局", "南屏县财政局", [], UnitKind.COUNTY_DEPARTMENT, "YZ-NPX"),
    ("YZ-NPX-FGW", "南屏县发展和改革委员会", "南屏县发改委", [], UnitKind.COUNTY_DEPARTMENT, "YZ-NPX"),
    ("YZ-DHQ-CZJ", "云泽市东湖区财政局", "东湖区财政局", [], UnitKind.COUNTY_DEPARTMENT, "YZ-DHQ"),
    ("YZ-DHQ-XJ", "东湖区新江街道办事处", "新江街道", [], UnitKind.TOWNSHIP, "YZ-DHQ"),
    ("YZ-QSX-SQZ", "青石县石桥镇人民政府", "石桥镇", [], UnitKind.TOWNSHIP, "YZ-QSX"),
]
STATE_OWNED = [
    ("YZ-CTJT", "云泽市城市建设投资集团有限公司", "市城投集团", ["城投集团", "城投公司"]),
    ("YZ-JTJT", "云泽市交通投资集团有限公司", "市交投集团", ["交投集团"]),
    ("YZ-GKQ", "云泽高新技术产业开发区管理委员会", "高新区管委会", ["高新区"]),
]

THEMES = [
    ("general", "综合", []),
    ("bond", "专项债券", ["专项债", "债券", "专项债券"]),
    ("ppp", "PPP项目", ["PPP", "政府和社会资本合作", "特许经营"]),
    ("industry", "产业发展", ["产业", "制造业", "工业", "招商"]),
    ("incentive", "督查激励", ["督查激励", "典型经验", "激励"]),
    ("livelihood", "民生改善", ["民生", "就业", "教育", "医疗", "养老"]),
    ("rural", "乡村振兴", ["乡村振兴", "农村", "人居环境"]),
    ("urban", "城市建设", ["百城建设", "城市功能", "棚户区", "老旧小区"]),
]

LEADERS = [
    (
        "周明远",
        LeaderPost.MAYOR,
        "市委副书记、市长",
        ["YZ-ZFB", "YZ-FGW", "YZ-CZJ", "YZ-SJJ"],
        ["general", "incentive"],
    ),
    (
        "孙立华",
        LeaderPost.EXECUTIVE_VICE_MAYOR,
        "市委常委、常务副市长",
        ["YZ-CZJ", "YZ-FGW", "YZ-TJJ", "YZ-JRJ", "YZ-CTJT"],
        ["bond", "ppp"],
    ),
    (
        "陈静",
        LeaderPost.VICE_MAYOR,
        "副市长",
        ["YZ-ZJJ", "YZ-ZRZY", "YZ-CGJ", "YZ-JTYS", "YZ-DHQ", "YZ-XSQ"],
        ["urban"],
    ),
    (
        "王建国",
        LeaderPost.VICE_MAYOR,
        "副市长",
        ["YZ-NYNC", "YZ-SLJ", "YZ-XXJ", "YZ-NPX", "YZ-QSX"],
        ["rural"],
    ),
    (
        "刘海燕",
        LeaderPost.VICE_MAYOR,
        "副市长",
        ["YZ-JYJ", "YZ-WJW", "YZ-RSJ", "YZ-MZJ", "YZ-WGL"],
        ["livelihood"],
    ),
    (
        "赵志强",
        LeaderPost.VICE_MAYOR,
        "副市长",
        ["YZ-GXJ", "YZ-SWJ", "YZ-GKQ", "YZ-SCJG", "YZ-LYX", "YZ-BHX"],
        ["industry"],
    ),
    ("马文斌", LeaderPost.SECRETARY_GENERAL, "市政府秘书长", ["YZ-ZFB", "YZ-ZWFW", "YZ-YJGL"], ["general"]),
]


# Units whose weekly reports and requests to close go to their head first (单位领导审核).
HEAD_APPROVAL = {"YZ-NPX"}


def _unit(code, name, short_name, aliases, kind, parent, order) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = Unit(code=code, requires_head_approval=code in HEAD_APPROVAL)
    unit.name, unit.short_name, unit.aliases, unit.kind = name, short_name, aliases, kind
    unit.parent, unit.sort_order = parent, order
    if unit.pk is None:
        unit.save()
    return unit


def load_demo(*, stdout=None) -> None:
    with audit_context(channel=Channel.COMMAND):
        city = _unit(*CITY, UnitKind.CITY, None, 0)
        units = {city.code: city}
        for order, row in enumerate(CITY_DEPARTMENTS, start=1):
            units[row[0]] = _unit(*row, UnitKind.CITY_DEPARTMENT, city, order)
        for order, row in enumerate(COUNTIES, start=100):
            units[row[0]] = _unit(*row, UnitKind.COUNTY, city, order)
        for order, row in enumerate(STATE_OWNED, start=200):
            units[row[0]] = _unit(
                *row, UnitKind.STATE_OWNED if "公司" in row[1] else UnitKind.DEVELOPMENT_ZONE, city, order
            )
        for order, (code, name, short_name, aliases, kind, parent) in enumerate(COUNTY_BODIES, start=300):
            units[code] = _unit(code, name, short_name, aliases, kind, units[parent], order)
        themes = {}
        for order, (code, name, keywords) in enumerate(THEMES):
            themes[code], _created = Theme.objects.get_or_create(
                code=code, defaults={"name": name, "keywords": keywords, "sort_order": order}
            )
        for order, (name, post, title, unit_codes, theme_codes) in enumerate(LEADERS):
            leader, created = Leader.objects.get_or_create(
                name=name, defaults={"post": post, "title": title, "sort_order": order}
            )
            if created:
                leader.units.set([units[c] for c in unit_codes])
                leader.themes.set([themes[c] for c in theme_codes])
    if stdout:
        stdout.write(
            f"单位 {Unit.objects.count()} 个，领导 {Leader.objects.count()} 位，工作主题 {Theme.objects.count()} 个"
        )
