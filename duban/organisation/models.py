"""The organisation: units (单位) as a tree, themes of work, and leaders with their portfolios (分管)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Lower, Substr
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import SELF, ScopeRule
from duban.core.concurrency import VersionedModel
from duban.core.fields import optional_link


class UnitKind(models.TextChoices):
    CITY = "city", _("市")
    CITY_DEPARTMENT = "city_department", _("市直部门")
    COUNTY = "county", _("县区")
    COUNTY_DEPARTMENT = "county_department", _("县区部门")
    TOWNSHIP = "township", _("乡镇/街道")
    STATE_OWNED = "state_owned", _("国有平台公司")
    DEVELOPMENT_ZONE = "development_zone", _("开发区")
    OTHER = "other", _("其他单位")


class Unit(VersionedModel):
    code = models.CharField(_("单位编码"), max_length=32, unique=True)
    name = models.CharField(_("全称"), max_length=120, unique=True)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    kind = models.CharField(_("类型"), max_length=32, choices=UnitKind.choices)
    parent = optional_link("self", _("上级单位"), related_name="children")
    # Materialised path ("/1/5/23/") so that "this unit and everything under it" is one indexed
    # prefix match at province scale, instead of a recursive walk.
    tree_path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    # 单位领导审核: the unit's weekly reports and requests to close go to its head before the office.
    requires_head_approval = models.BooleanField(
        _("单位领导审核"),
        default=False,
        help_text=_("开启后，本单位的周报和办结申请须经单位领导审核通过后才报送督查室。"),
    )

    data_scope = ScopeRule(units=(SELF,), finance_sees_all=True)

    class Meta:
        verbose_name = _("单位")
        ordering = ["sort_order", "code"]
        indexes = [models.Index(Lower("short_name"), name="unit_short_name_lower")]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def depth(self) -> int:
        return self.tree_path.count("/") - 2 if self.tree_path else 0

    def clean(self):
        # A unit cannot sit below itself or below one of its own sub-units.
        moves_into_own_subtree = (
            self.pk and self.parent_id and self.parent.tree_path.startswith(self.tree_path)
        )
        if moves_into_own_subtree:
            raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位。")})
        # The directory is one tree: every unit but the city itself has a unit above it.
        if self.parent_id is None:
            root = Unit.objects.filter(parent__isnull=True).exclude(pk=self.pk).first()
            if root is not None:
                raise ValidationError(
                    {"parent": _("请选择上级单位：单位名录只有一个最高级单位（%(root)s）。") % {"root": root}}
                )

    def save(self, *args, **kwargs):
        previous_path = self.tree_path
        super().save(*args, **kwargs)
        parent_path = self.parent.tree_path if self.parent_id else "/"
        path = f"{parent_path}{self.pk}/"
        if path == previous_path:
            return
        Unit.objects.filter(pk=self.pk).update(tree_path=path)
        self.tree_path = path
        if previous_path:
            # The unit moved: re-root its whole subtree in one statement.
            Unit.objects.filter(tree_path__startswith=previous_path).exclude(pk=self.pk).update(
                tree_path=Concat(Value(path), Substr("tree_path", len(previous_path) + 1))
            )

    def names(self) -> list[str]:
        """Every name by which the unit is known: full name, short name and aliases."""
        return [n for n in [self.name, self.short_name, *self.aliases] if n]


class Theme(models.Model):
    """A theme of work (bond, PPP, industry, …): an editable list shared by every capability."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    data_scope = ScopeRule(public=True)

    class Meta:
        verbose_name = _("工作主题")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class LeaderPost(models.TextChoices):
    MAYOR = "mayor", _("市长")
    EXECUTIVE_VICE_MAYOR = "executive_vice_mayor", _("常务副市长")
    VICE_MAYOR = "vice_mayor", _("副市长")
    SECRETARY_GENERAL = "secretary_general", _("秘书长")
    DEPUTY_SECRETARY_GENERAL = "deputy_secretary_general", _("副秘书长")
    OTHER = "other", _("其他领导")


class Leader(VersionedModel):
    name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("职务"), max_length=32, choices=LeaderPost.choices)
    title = models.CharField(_("职务全称"), max_length=120, blank=True)
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leader",
    )
    units = models.ManyToManyField(Unit, verbose_name=_("分管单位"), blank=True, related_name="leaders")
    themes = models.ManyToManyField(Theme, verbose_name=_("分管工作"), blank=True, related_name="leaders")
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在任"), default=True)

    data_scope = ScopeRule(public=True)

    class Meta:
        verbose_name = _("领导")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.get_post_display()} {self.name}"
