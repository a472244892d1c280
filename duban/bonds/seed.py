"""The starting configuration: the investment-area code table and the national rules (finance-domain.md
§1.2 and §1.4). Loaded by a data migration; every row stays editable in the admin, since the [K] facts
must be checked against the official texts and provinces add their own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

# The two regimes: a positive list of areas until the end of 2024, a negative list from 2025.
POSITIVE_FROM, POSITIVE_UNTIL = date(2019, 1, 1), date(2024, 12, 31)
NEGATIVE_FROM = date(2025, 1, 1)

# The positive list by the day its areas joined it (the 2022 set of 9 and land reserve, then the two areas
# added in 2023) [K]: code, name, whether it may serve as project capital.
POSITIVE_AREAS = {
    POSITIVE_FROM: [
        ("01", "交通基础设施", True),
        ("02", "能源", True),
        ("03", "农林水利", True),
        ("04", "生态环保", True),
        ("05", "社会事业", True),
        ("06", "城乡冷链等物流基础设施", True),
        ("07", "市政和产业园区基础设施", True),
        ("08", "国家重大战略项目", True),
        ("09", "保障性安居工程", False),
        ("LR", "土地储备", False),
    ],
    date(2023, 1, 1): [("10", "新能源项目", True), ("11", "新型基础设施", True)],
}
# The first two are verified; the rest are [K] and must be checked against the 2024 annex.
NEGATIVE_AREAS = [
    ("N01", "完全无收益的项目"),
    ("N02", "楼堂馆所"),
    ("N03", "形象工程和政绩工程"),
    ("N04", "除保障性住房、土地储备以外的房地产开发"),
    ("N05", "主题公园等商业设施"),
    ("N06", "一般企业的生产线或设备"),
]
# province, category, from, to, min coverage, capital cap, list kind, source
RULES = [
    ("", "", POSITIVE_FROM, POSITIVE_UNTIL, "1.1", "0.25", "positive", "中办发〔2019〕33号等"),
    ("", "", NEGATIVE_FROM, None, "1.1", "0.30", "negative", "国办 2024-12-25 意见"),
    ("", "land_reserve", POSITIVE_FROM, POSITIVE_UNTIL, "1.2", "0.25", "positive", "土地储备常用 1.2 倍"),
    ("", "land_reserve", NEGATIVE_FROM, None, "1.2", "0.30", "negative", "土地储备常用 1.2 倍"),
    ("", "shantytown", POSITIVE_FROM, POSITIVE_UNTIL, "1.2", "0.25", "positive", "棚改常用 1.2 倍"),
    ("", "shantytown", NEGATIVE_FROM, None, "1.2", "0.30", "negative", "棚改常用 1.2 倍"),
]


def load(apps) -> None:
    """Idempotent: rows already present (by their natural key) are left as they are."""
    InvestmentArea = apps.get_model("bonds", "InvestmentArea")
    BondRule = apps.get_model("bonds", "BondRule")
    for valid_from, areas in POSITIVE_AREAS.items():
        for code, name, capital in areas:
            InvestmentArea.objects.get_or_create(
                list_kind="positive",
                code=code,
                valid_from=valid_from,
                defaults={"name": name, "capital_use_allowed": capital, "valid_to": None},
            )
    for code, name in NEGATIVE_AREAS:
        InvestmentArea.objects.get_or_create(
            list_kind="negative", code=code, valid_from=NEGATIVE_FROM, defaults={"name": name}
        )
    for province, category, valid_from, valid_to, minimum, cap, list_kind, source in RULES:
        BondRule.objects.get_or_create(
            province=province,
            category=category,
            valid_from=valid_from,
            defaults={
                "valid_to": valid_to,
                "min_coverage": Decimal(minimum),
                "capital_bond_cap": Decimal(cap),
                "list_kind": list_kind,
                "source": source,
            },
        )
