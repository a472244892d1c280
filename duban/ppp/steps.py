"""The two paths a PPP project follows: the five phases and nineteen steps of 财金〔2014〕113号 for the
stock of projects, and the concession (特许经营) path of 国办函〔2023〕115号 for new ones.

Each step names the documents it needs; a project holds one `ProjectStep` row per step of its path.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Path(models.TextChoices):
    GUIDE_113 = "guide_113", _("财金〔2014〕113号五阶段十九步")
    CONCESSION_2023 = "concession_2023", _("国办函〔2023〕115号特许经营")


class Phase(models.TextChoices):
    IDENTIFICATION = "identification", _("项目识别")
    PREPARATION = "preparation", _("项目准备")
    PROCUREMENT = "procurement", _("项目采购")
    EXECUTION = "execution", _("项目执行")
    HANDOVER = "handover", _("项目移交")


PHASE_ORDER = [phase.value for phase in Phase]
BEFORE_EXECUTION = {Phase.IDENTIFICATION, Phase.PREPARATION, Phase.PROCUREMENT}


@dataclass(frozen=True)
class StepDefinition:
    code: str
    phase: Phase
    name: str
    documents: tuple[str, ...] = ()


GUIDE_113_STEPS = (
    StepDefinition("113-01", Phase.IDENTIFICATION, _("项目发起"), (_("项目建议书或可行性研究报告"),)),
    StepDefinition("113-02", Phase.IDENTIFICATION, _("项目筛选"), (_("产出说明"), _("初步实施方案"))),
    StepDefinition("113-03", Phase.IDENTIFICATION, _("物有所值评价"), (_("物有所值评价报告"),)),
    StepDefinition("113-04", Phase.IDENTIFICATION, _("财政承受能力论证"), (_("财政承受能力论证报告"),)),
    StepDefinition("113-05", Phase.PREPARATION, _("管理架构组建"), (_("实施机构授权文件"),)),
    StepDefinition("113-06", Phase.PREPARATION, _("实施方案编制"), (_("实施方案"),)),
    StepDefinition("113-07", Phase.PREPARATION, _("实施方案审核"), (_("实施方案批复"),)),
    StepDefinition("113-08", Phase.PROCUREMENT, _("资格预审"), (_("资格预审公告及结果"),)),
    StepDefinition("113-09", Phase.PROCUREMENT, _("采购文件编制"), (_("采购文件"),)),
    StepDefinition("113-10", Phase.PROCUREMENT, _("响应文件评审"), (_("评审报告"),)),
    StepDefinition("113-11", Phase.PROCUREMENT, _("谈判与合同签署"), (_("PPP项目合同"), _("合同公示"))),
    StepDefinition("113-12", Phase.EXECUTION, _("项目公司设立"), (_("项目公司营业执照及章程"),)),
    StepDefinition("113-13", Phase.EXECUTION, _("融资管理"), (_("融资协议"),)),
    StepDefinition("113-14", Phase.EXECUTION, _("绩效监测与支付"), (_("年度绩效评价报告"), _("支付凭证"))),
    StepDefinition("113-15", Phase.EXECUTION, _("中期评估"), (_("中期评估报告"),)),
    StepDefinition("113-16", Phase.HANDOVER, _("移交准备"), (_("移交方案"),)),
    StepDefinition("113-17", Phase.HANDOVER, _("性能测试"), (_("性能测试报告"),)),
    StepDefinition("113-18", Phase.HANDOVER, _("资产交割"), (_("资产交割清单"),)),
    StepDefinition("113-19", Phase.HANDOVER, _("绩效评价"), (_("移交后绩效评价报告"),)),
)

CONCESSION_2023_STEPS = (
    StepDefinition("C-01", Phase.IDENTIFICATION, _("项目谋划与可行性论证"), (_("可行性研究报告"),)),
    StepDefinition("C-02", Phase.IDENTIFICATION, _("特许经营方案编制"), (_("特许经营方案"),)),
    StepDefinition("C-03", Phase.PREPARATION, _("特许经营方案审核"), (_("方案审核意见"),)),
    StepDefinition("C-04", Phase.PREPARATION, _("投资审批（核准、备案）"), (_("项目审批、核准或备案文件"),)),
    StepDefinition("C-05", Phase.PROCUREMENT, _("公开竞争选择特许经营者"), (_("招标或竞争性选择文件"),)),
    StepDefinition("C-06", Phase.PROCUREMENT, _("签订特许经营协议"), (_("特许经营协议"),)),
    StepDefinition("C-07", Phase.EXECUTION, _("项目公司设立"), (_("项目公司营业执照及章程"),)),
    StepDefinition("C-08", Phase.EXECUTION, _("建设与竣工验收"), (_("竣工验收报告"),)),
    StepDefinition("C-09", Phase.EXECUTION, _("定期运营评估"), (_("运营评估报告"),)),
    StepDefinition("C-10", Phase.EXECUTION, _("信息公开"), (_("信息公开记录"),)),
    StepDefinition("C-11", Phase.HANDOVER, _("期满移交"), (_("移交协议"),)),
    StepDefinition("C-12", Phase.HANDOVER, _("移交后评价"), (_("评价报告"),)),
)

STEPS = {Path.GUIDE_113: GUIDE_113_STEPS, Path.CONCESSION_2023: CONCESSION_2023_STEPS}
STEP_BY_CODE = {step.code: step for steps in STEPS.values() for step in steps}
STEP_CHOICES = [(step.code, f"{step.code} {step.name}") for steps in STEPS.values() for step in steps]


def steps_of(path: str) -> tuple[StepDefinition, ...]:
    return STEPS[Path(path)]
