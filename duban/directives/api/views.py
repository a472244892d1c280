"""The directives REST API: the same selectors, services, rules and FilterSet as the pages. Views
catch nothing: a refusal is answered by the API's one exception handler."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from duban.accounts.rules import is_office_user
from duban.core.api import ActionRules, ScopedObjectPermission
from duban.core.api.views import SelectorViewSetMixin, VersionedUpdateMixin, payload

from .. import rules, selectors, services
from ..filters import DirectiveFilterSet, EscalationFilterSet, NoticeFilterSet, ReminderFilterSet
from .serializers import (
    CommentSerializer,
    DirectiveListSerializer,
    DirectiveSerializer,
    EscalationDecisionSerializer,
    EscalationIssuedSerializer,
    EscalationIssueSerializer,
    EscalationSerializer,
    LightCountsSerializer,
    MeetingSerializer,
    MilestoneSerializer,
    NoticeSerializer,
    ProgressSerializer,
    ReminderSerializer,
    ReplySerializer,
    TimelineEventSerializer,
    TransitionSerializer,
)


class DirectiveViewSet(mixins.CreateModelMixin, VersionedUpdateMixin, viewsets.ReadOnlyModelViewSet):
    """Directives narrowed to the caller's scope. Query parameters (DirectiveFilterSet): light, state,
    unit, leader, theme, meeting, due_before, due_after, q, stale, overdue, due_within (working days),
    awaiting (me: what waits for the caller's decision)."""

    filterset_class = DirectiveFilterSet
    filtered_actions = ("list", "counts")

    def get_permissions(self):
        # Edits need can_change; the actions check their own role in the services (a leader
        # comments, a co-unit replies, neither may change the directive).
        if self.action in ("update", "partial_update"):
            return [ScopedObjectPermission()]
        return [IsAuthenticated()]

    def get_serializer_class(self):
        return DirectiveListSerializer if self.action == "list" else DirectiveSerializer

    def get_queryset(self):
        directives = selectors.directive_list(user=self.request.user)
        if self.action == "list":
            return directives
        return directives.prefetch_related("milestones", "co_units")

    def paginate_queryset(self, queryset):
        # The light reasons of the whole page in a constant number of queries.
        page = super().paginate_queryset(queryset)
        if page is None or self.action != "list":
            return page
        return selectors.with_light_reasons(page)

    def _fresh(self, directive):
        return DirectiveSerializer(self.get_queryset().get(pk=directive.pk)).data

    @extend_schema(responses=LightCountsSerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def counts(self, request):
        """How many directives show each light, for the list's filters (the light filter aside)."""
        filterset = DirectiveFilterSet(request.query_params, user=request.user)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        directives = selectors.directive_list(user=request.user, filters=filterset, light=False)
        return Response(selectors.light_counts(directives))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        directive = services.directive_create(by=request.user, **serializer.validated_data)
        return Response(self._fresh(directive), status=status.HTTP_201_CREATED)

    def update_with(self, directive, *, milestones=None, assign=None, **changes):
        # New milestones and assigning are for creating a directive; an edit leaves them aside.
        directive = services.directive_update(directive=directive, by=self.request.user, **changes)
        return self.get_queryset().get(pk=directive.pk)

    @extend_schema(request=TransitionSerializer, responses=DirectiveSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        directive = self.get_object()
        data = payload(TransitionSerializer, request)
        directive = services.directive_transition(
            directive=directive,
            name=data["name"],
            by=request.user,
            note=data["note"],
            until=data["until"],
            confirmed=data["confirmed"],
            expected_version=data["version"],
        )
        return Response(self._fresh(directive))

    @extend_schema(methods=["GET"], responses=MilestoneSerializer(many=True))
    @extend_schema(methods=["POST"], request=MilestoneSerializer, responses={201: MilestoneSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def milestones(self, request, pk=None):
        directive = self.get_object()
        if request.method == "GET":
            rows = selectors.milestone_list(user=request.user, directive=directive)
            return Response(MilestoneSerializer(rows, many=True).data)
        data = payload(MilestoneSerializer, request)
        milestone = services.milestone_add(
            directive=directive, by=request.user, title=data["title"], due_on=data["due_on"]
        )
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MilestoneSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["patch"], url_path=r"milestones/(?P<milestone_pk>[0-9]+)")
    def milestone(self, request, pk=None, milestone_pk=None):
        directive = self.get_object()
        milestone = get_object_or_404(
            selectors.milestone_list(user=request.user, directive=directive), pk=milestone_pk
        )
        milestone.directive = directive
        serializer = MilestoneSerializer(milestone, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        milestone = services.milestone_update(
            milestone=milestone,
            by=request.user,
            state=serializer.validated_data.get("state"),
            due_on=serializer.validated_data.get("due_on"),
        )
        return Response(MilestoneSerializer(milestone).data)

    @extend_schema(methods=["GET"], responses=ProgressSerializer(many=True))
    @extend_schema(methods=["POST"], request=ProgressSerializer, responses={201: ProgressSerializer})
    @action(detail=True, methods=["get", "post"])
    def progress(self, request, pk=None):
        directive = self.get_object()
        if request.method == "GET":
            rows = self.paginate_queryset(selectors.progress_list(user=request.user, directive=directive))
            return self.get_paginated_response(ProgressSerializer(rows, many=True).data)
        data = payload(ProgressSerializer, request)
        report = services.progress_report_add(
            directive=directive,
            by=request.user,
            text=data["text"],
            percent=data["percent"],
            milestone_states=data.get("milestone_states") or {},
            files=request.FILES.getlist("files"),
        )
        return Response(ProgressSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=CommentSerializer(many=True))
    @extend_schema(methods=["POST"], request=CommentSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def comments(self, request, pk=None):
        directive = self.get_object()
        if request.method == "GET":
            rows = selectors.comment_list(user=request.user, directive=directive)
            return Response(CommentSerializer(rows, many=True).data)
        data = payload(CommentSerializer, request)
        text, reply_to = data["text"], data.get("reply_to")
        if reply_to is not None:
            comment = get_object_or_404(
                selectors.comment_list(user=request.user, directive=directive), pk=reply_to.pk
            )
            created = services.comment_reply(comment=comment, by=request.user, text=text)
        else:
            created = services.comment_add(directive=directive, by=request.user, text=text)
        return Response(CommentSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=TimelineEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request, pk=None):
        directive = self.get_object()
        rows = selectors.timeline(user=request.user, directive=directive)
        return Response(TimelineEventSerializer(rows, many=True).data)


class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer

    def get_queryset(self):
        return selectors.meeting_list(user=self.request.user).prefetch_related("leaders", "units")

    def perform_create(self, serializer):
        serializer.instance = services.meeting_create(by=self.request.user, **serializer.validated_data)


class _AnsweredViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """What the office sent units, with their reply state and replies; `reply/` is the addressed unit's
    answer (multipart: `text`, `file`)."""

    permission_classes = [IsAuthenticated, ActionRules]
    action_rules = {"reply": rules.may_answer}  # the addressed unit, asked before the payload is read
    reply_service = None

    @extend_schema(request={"multipart/form-data": ReplySerializer}, responses={201: ReplySerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        sent = self.get_object()
        data = payload(ReplySerializer, request)
        reply = type(self).reply_service(sent, by=request.user, text=data["text"], file=data.get("file"))
        return Response(ReplySerializer(reply).data, status=status.HTTP_201_CREATED)


class NoticeViewSet(_AnsweredViewSet):
    """Supervision notices (督办通知单) in the caller's scope. Query parameters (NoticeFilterSet): year,
    reply_state (awaiting, replied, overdue), unit, reply_by_after and reply_by_before (the reply date)."""

    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet
    select = selectors.notice_list

    @staticmethod
    def reply_service(notice, **kwargs):
        return services.notice_reply(notice=notice, **kwargs)


class ReminderViewSet(_AnsweredViewSet):
    """Reminders (催办) in the caller's scope, newest first. Query parameters (ReminderFilterSet):
    reply_state (awaiting, replied, overdue), unit, reply_by_after and reply_by_before (the reply date)."""

    serializer_class = ReminderSerializer
    filterset_class = ReminderFilterSet
    select = selectors.reminder_list

    @staticmethod
    def reply_service(reminder, **kwargs):
        return services.reminder_reply(reminder=reminder, **kwargs)


class EscalationViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The escalation ladder's steps on the directives in the caller's scope (a directive's history:
    `?directive=<id>`; the office's proposals: `?state=proposed`). Query parameters
    (EscalationFilterSet): state, step, unit, directive. `issue/`: the office issues proposals in
    bulk; `approve/`, `refuse/`: the directive's leader decides a step waiting for him."""

    serializer_class = EscalationSerializer
    filterset_class = EscalationFilterSet
    select = selectors.escalation_list
    permission_classes = [IsAuthenticated, ActionRules]
    action_rules = {
        "issue": is_office_user,
        "approve": rules.may_approve_escalation,
        "refuse": rules.may_approve_escalation,
    }

    @extend_schema(request=EscalationIssueSerializer, responses=EscalationIssuedSerializer)
    @action(detail=False, methods=["post"], pagination_class=None)
    def issue(self, request):
        data = payload(EscalationIssueSerializer, request)
        return Response(services.escalations_issue(escalation_ids=data["escalations"], by=request.user))

    def _decided(self, escalation):
        return EscalationSerializer(self.get_queryset().get(pk=escalation.pk)).data

    @extend_schema(request=EscalationDecisionSerializer, responses=EscalationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        escalation = self.get_object()
        data = payload(EscalationDecisionSerializer, request)
        return Response(
            self._decided(services.escalation_approve(escalation=escalation, by=request.user, **data))
        )

    @extend_schema(request=EscalationDecisionSerializer, responses=EscalationSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        escalation = self.get_object()
        data = payload(EscalationDecisionSerializer, request)
        return Response(
            self._decided(services.escalation_refuse(escalation=escalation, by=request.user, **data))
        )
