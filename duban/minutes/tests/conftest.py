from datetime import date

import pytest

from duban.tests.factories import ThemeFactory

from .. import services

# A city-level meeting in the test city (see duban/conftest.py): two named units and a group.
MEETING_TEXT = (
    "3月2日，市长孙立华主持召开市政府常务会议，研究部署专项债券和老旧小区改造工作。\n"
    "会议要求，一是由市财政局牵头，会同市住建局做好专项债券项目储备，3月15日前报送项目清单；"
    "二是市住建局要加快老旧小区改造，6月底前全面开工；三是各县区要落实属地责任，本周内完成隐患排查。\n"
)


@pytest.fixture
def themes(db):
    codes = {
        "general": "综合",
        "bond": "专项债券",
        "ppp": "PPP项目",
        "industry": "产业发展",
        "incentive": "督查激励",
        "livelihood": "民生改善",
        "rural": "乡村振兴",
        "urban": "城市建设",
        "safety": "安全生产",
    }
    return {code: ThemeFactory(code=code, name=name) for code, name in codes.items()}


@pytest.fixture
def draft(city, themes):
    return services.draft_create(by=city.office, text=MEETING_TEXT, meeting_date=date(2026, 3, 2))
