"""Typical experiences (典型经验): units submit with evidence; the office selects and publishes them on
the showcase, where every unit reads them; a published one counts as 加分 in its period."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core.rules import rule_required
from duban.core.views import ListPage, attachment, button, done, find, form_of, form_page

from .. import rules, selectors, services
from ..filters import ExperienceFilterSet
from ..forms import DecisionForm, ExperienceForm
from .common import pages

EXPERIENCES = ListPage(
    selectors.experience_list, "assessment/experience_list.html", filterset_class=ExperienceFilterSet
)
pages.list("experiences/", EXPERIENCES, name="experience_list")


@pages.route("experiences/showcase/")
@rule_required(rules.may_read_showcase)
def showcase(request):
    return render(
        request, "assessment/showcase.html", {"experiences": selectors.showcase(user=request.user)[:100]}
    )


@pages.route("experiences/new/")
@rule_required(rules.may_submit_experience)
def experience_submit(request):
    form = ExperienceForm(request.POST or None, request.FILES or None)

    def save(form):
        experience = services.experience_submit(by=request.user, **form.cleaned_data)
        return done(request, _("已报送典型经验。"), "assessment:experience_detail", experience.pk)

    return form_page(
        request,
        form,
        save=save,
        title=_("报送典型经验"),
        cancel_url=reverse("assessment:experience_list"),
        multipart=True,
    )


@pages.route("experiences/<int:pk>/")
@login_required
def experience_detail(request, pk):
    experience = find(request, selectors.experience_readable, pk)
    return render(request, "assessment/experience_detail.html", {"experience": experience})


@pages.route("experiences/<int:pk>/evidence/")
@login_required
def experience_evidence(request, pk):
    experience = find(request, selectors.experience_readable, pk)
    return attachment(experience.evidence)


def _step(step: str, message):
    def read(request, obj):
        return {"step": step, "decision": form_of(DecisionForm)(request, obj).get("note", "")}

    return button(
        services.experience_decide,
        message,
        select=selectors.experience_list,
        name="experience",
        page="assessment:experience_detail",
        read=read,
    )


experience_select = pages.route("experiences/<int:pk>/select/", name="experience_select")(
    _step("select", gettext_lazy("已选用。"))
)
experience_publish = pages.route("experiences/<int:pk>/publish/", name="experience_publish")(
    _step("publish", gettext_lazy("已发布到典型经验展示，计入加分。"))
)
experience_reject = pages.route("experiences/<int:pk>/reject/", name="experience_reject")(
    _step("reject", gettext_lazy("已标记为未选用。"))
)
