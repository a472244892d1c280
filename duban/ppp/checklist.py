"""The checklist of the contract-performance review (合同履约审查), built from the rules of 财金〔2019〕10号,
财办金〔2017〕92号, 财金〔2020〕13号 and 财金〔2014〕113号 (finance-domain §2.4).

Every contract under review gets one `ChecklistItem` per entry here, copied when the review starts, so
a later change to this list does not rewrite reviews already done.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    BASIC = "basic", _("基本情况")
    COMPLIANCE = "compliance", _("合规性")
    CONSTRUCTION = "construction", _("建设")
    OPERATION = "operation", _("运营")
    PAYMENTS = "payments", _("付费")
    FINANCE = "finance", _("融资")
    DISCLOSURE = "disclosure", _("信息公开与争议")


CHECKLIST = (
    ("B1", Section.BASIC, _("项目合同及补充协议齐全，合作期限、运作方式与实施方案一致")),
    ("B2", Section.BASIC, _("项目公司已设立，股权结构与合同约定一致")),
    ("B3", Section.BASIC, _("回报机制与付费公式（合理利润率、折现率、绩效挂钩比例）明确")),
    ("C1", Section.COMPLIANCE, _("物有所值评价报告和财政承受能力论证报告齐全")),
    ("C2", Section.COMPLIANCE, _("项目已纳入项目库")),
    ("C3", Section.COMPLIANCE, _("本级PPP支出占一般公共预算支出比例未超过10%红线")),
    ("C4", Section.COMPLIANCE, _("政府付费仅从一般公共预算安排，未使用政府性基金预算")),
    ("C5", Section.COMPLIANCE, _("与运营绩效挂钩的建设成本不低于30%")),
    ("C6", Section.COMPLIANCE, _("无固定回报、保底承诺或明股实债")),
    ("C7", Section.COMPLIANCE, _("政府及平台公司未承诺回购或提供担保")),
    ("K1", Section.CONSTRUCTION, _("按期完工并通过竣工验收")),
    ("K2", Section.CONSTRUCTION, _("竣工决算审计完成，总投资已确认")),
    ("K3", Section.CONSTRUCTION, _("建设期利息处理符合合同约定")),
    ("O1", Section.OPERATION, _("年度绩效考核按期开展，得分与付费系数对应")),
    ("O2", Section.OPERATION, _("运营维护达到产出说明要求")),
    ("P1", Section.PAYMENTS, _("应付金额已纳入年度预算和中期财政规划")),
    ("P2", Section.PAYMENTS, _("实际支付与绩效应付一致，无欠付")),
    ("P3", Section.PAYMENTS, _("无超付")),
    ("F1", Section.FINANCE, _("融资到位，实际贷款利率不高于合同上限")),
    ("F2", Section.FINANCE, _("再融资安排合规")),
    ("D1", Section.DISCLOSURE, _("中期评估按期开展（每3至5年）")),
    ("D2", Section.DISCLOSURE, _("信息按规定公开")),
    ("D3", Section.DISCLOSURE, _("无未解决的合同争议")),
)
