"""The first form shipped: the industry survey (产业发展现状摸底调查表), to get a thorough picture of
industry across advanced manufacturing, modern services and modern agriculture (product S7)."""

from __future__ import annotations

SECTORS = [
    {"value": "manufacturing", "label": "先进制造业"},
    {"value": "services", "label": "现代服务业"},
    {"value": "agriculture", "label": "现代农业"},
]
SUB_SECTORS = [
    {"value": "equipment", "label": "高端装备"},
    {"value": "new_materials", "label": "新材料"},
    {"value": "electronics", "label": "电子信息"},
    {"value": "biomedicine", "label": "生物医药"},
    {"value": "new_energy", "label": "新能源"},
    {"value": "logistics", "label": "现代物流"},
    {"value": "finance", "label": "现代金融"},
    {"value": "software", "label": "软件和信息服务"},
    {"value": "tourism", "label": "文化旅游"},
    {"value": "grain", "label": "粮食生产"},
    {"value": "specialty", "label": "特色种养"},
    {"value": "processing", "label": "农产品加工"},
]
CONSTRAINTS = [
    {"value": "land", "label": "用地"},
    {"value": "funding", "label": "资金"},
    {"value": "talent", "label": "人才"},
    {"value": "energy", "label": "能耗指标"},
    {"value": "environment", "label": "环评"},
    {"value": "market", "label": "市场需求"},
]


def _amount(key, label, **extra):
    return {"key": key, "label": label, "type": "decimal", "unit": "万元", "min": 0, **extra}


def _count(key, label, **extra):
    return {"key": key, "label": label, "type": "integer", "unit": "家", "min": 0, **extra}


DEFINITION = {
    "sections": [
        {
            "key": "basic",
            "title": "一、填报单位",
            "fields": [
                {
                    "key": "unit_name",
                    "label": "填报单位",
                    "type": "text",
                    "required": True,
                    "prefill": "unit.name",
                },
                {"key": "contact", "label": "联系人", "type": "text", "required": True, "max_length": 20},
                {
                    "key": "phone",
                    "label": "联系电话",
                    "type": "text",
                    "required": True,
                    "pattern": "^(1\\d{10}|0\\d{2,3}-?\\d{7,8})$",
                    "pattern_message": "须为手机号或带区号的固定电话",
                },
                {
                    "key": "bond_projects",
                    "label": "专项债券项目数",
                    "type": "integer",
                    "unit": "个",
                    "min": 0,
                    "prefill": "platform.bond_projects",
                    "help": "由平台预填，无需重复填写。",
                },
                {
                    "key": "ppp_projects",
                    "label": "PPP项目数",
                    "type": "integer",
                    "unit": "个",
                    "min": 0,
                    "prefill": "platform.ppp_projects",
                    "help": "由平台预填，无需重复填写。",
                },
            ],
        },
        {
            "key": "enterprises",
            "title": "二、企业情况",
            "fields": [
                _count("enterprise_total", "规上企业总数", required=True),
                _count("manufacturing_count", "其中：先进制造业"),
                _count("services_count", "其中：现代服务业"),
                _count("agriculture_count", "其中：现代农业"),
                {
                    "key": "main_sector",
                    "label": "主导产业门类",
                    "type": "choice",
                    "required": True,
                    "choices": SECTORS,
                },
                {
                    "key": "sub_sectors",
                    "label": "重点细分行业",
                    "type": "multichoice",
                    "choices": SUB_SECTORS,
                },
            ],
        },
        {
            "key": "figures",
            "title": "三、主要指标",
            "help": "金额单位：万元；“上年”由上一轮填报预填。",
            "fields": [
                _amount("output_value", "产业总产值", required=True),
                _amount("manufacturing_output", "其中：先进制造业产值"),
                _amount("services_output", "其中：现代服务业营业收入"),
                _amount("agriculture_output", "其中：现代农业产值"),
                _amount("output_value_last_year", "上年产业总产值", prefill="previous:output_value"),
                {"key": "output_reason", "label": "总产值变动原因", "type": "text", "max_length": 500},
                _amount("revenue", "营业收入", required=True),
                _amount("revenue_last_year", "上年营业收入", prefill="previous:revenue"),
                {"key": "revenue_reason", "label": "营业收入变动原因", "type": "text", "max_length": 500},
                _amount("tax", "税收", required=True),
                {
                    "key": "employment",
                    "label": "从业人员",
                    "type": "integer",
                    "unit": "人",
                    "min": 0,
                    "required": True,
                },
                _amount("fixed_asset_investment", "固定资产投资", required=True),
                {
                    "key": "investment_growth",
                    "label": "固定资产投资增速",
                    "type": "percentage",
                    "unit": "%",
                    "min": -100,
                    "max": 1000,
                },
                {"key": "survey_date", "label": "数据截止日期", "type": "date", "required": True},
            ],
        },
        {
            "key": "projects",
            "title": "四、重点项目",
            "fields": [
                {
                    "key": "key_projects",
                    "label": "重点项目",
                    "type": "table",
                    "max_rows": 50,
                    "columns": [
                        {
                            "key": "name",
                            "label": "项目名称",
                            "type": "text",
                            "required": True,
                            "max_length": 100,
                        },
                        {"key": "sector", "label": "产业门类", "type": "choice", "choices": SECTORS},
                        _amount("investment", "总投资"),
                        _amount("invested", "累计完成投资"),
                    ],
                }
            ],
        },
        {
            "key": "constraints_section",
            "title": "五、发展制约因素",
            "fields": [
                {
                    "key": "constraints",
                    "label": "主要制约因素",
                    "type": "multichoice",
                    "choices": CONSTRAINTS,
                },
                {
                    "key": "constraints_note",
                    "label": "制约因素说明",
                    "type": "text",
                    "max_length": 1000,
                    "visible_if": {"field": "constraints"},
                    "help": "选择了制约因素时填写。",
                },
            ],
        },
        {
            "key": "large",
            "title": "六、规上企业名录",
            "fields": [
                {
                    "key": "large_enterprises",
                    "label": "规上企业",
                    "type": "table",
                    "max_rows": 500,
                    "columns": [
                        {
                            "key": "name",
                            "label": "企业名称",
                            "type": "text",
                            "required": True,
                            "max_length": 100,
                        },
                        {
                            "key": "credit_code",
                            "label": "统一社会信用代码",
                            "type": "text",
                            "pattern": "^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
                            "pattern_message": "须为18位统一社会信用代码",
                        },
                        {
                            "key": "sector",
                            "label": "产业门类",
                            "type": "choice",
                            "required": True,
                            "choices": SECTORS,
                        },
                        {"key": "sub_sector", "label": "细分行业", "type": "choice", "choices": SUB_SECTORS},
                        _amount("output", "产值"),
                        _amount("revenue", "营业收入"),
                        _amount("tax", "税收"),
                        {"key": "employees", "label": "从业人员", "type": "integer", "unit": "人", "min": 0},
                    ],
                }
            ],
        },
    ],
    "checks": [
        {
            "kind": "sum",
            "parts": ["manufacturing_output", "services_output", "agriculture_output"],
            "total": "output_value",
            "tolerance": 0.01,
        },
        {
            "kind": "band",
            "field": "output_value",
            "previous": "output_value_last_year",
            "band": 0.3,
            "reason": "output_reason",
        },
        {
            "kind": "band",
            "field": "revenue",
            "previous": "revenue_last_year",
            "band": 0.3,
            "reason": "revenue_reason",
        },
    ],
}

MARKS = {
    "table_number": "云产调01表",
    "issuer": "云泽市人民政府办公室",
    "approver": "云泽市统计局",
    "approval_number": "云统制〔2026〕3号",
    "frequency_per_year": 1,
}
CODE = "industry"
TITLE = "产业发展现状摸底调查表"
