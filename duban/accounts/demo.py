"""One demo user per role. The demo password exists only in the demo database, never in settings."""

from django.utils import timezone
from django.utils.translation import gettext as _

from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.organisation.models import Leader, Unit

from .models import User
from .roles import Role

DEMO_PASSWORD = "duban-demo"

# The head (单位领导) of a unit that asks for his approval of its weekly reports and requests to close.
UNIT_HEADS = {"head3"}

DEMO_USERS = [
    # username, full name, role, unit code
    ("admin", "系统管理员", Role.ADMIN, "YZ-ZFB"),
    ("office", "李督查（督查室）", Role.OFFICE, "YZ-ZFB"),
    ("leader", "孙立华（常务副市长）", Role.LEADER, "YZ"),
    ("liaison", "张联络（市财政局）", Role.LIAISON, "YZ-CZJ"),
    ("finance", "吴审核（市财政局）", Role.FINANCE, "YZ-CZJ"),
    ("liaison2", "何联络（市住建局）", Role.LIAISON, "YZ-ZJJ"),
    ("liaison3", "郑联络（南屏县）", Role.LIAISON, "YZ-NPX"),
    ("head3", "陈副县长（南屏县单位领导）", Role.LIAISON, "YZ-NPX"),
    ("security", "周安全（安全管理员）", Role.SECURITY, "YZ-ZFB"),
    ("auditor", "钱审计（安全审计员）", Role.AUDITOR, "YZ-ZFB"),
]


def load_demo(*, stdout=None) -> None:
    created_any = []
    with audit_context(channel=Channel.COMMAND):
        for username, full_name, role, unit_code in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    full_name=full_name,
                    role=role,
                    unit=Unit.objects.get(code=unit_code),
                    is_unit_head=username in UNIT_HEADS,
                )
                user.is_staff = role == Role.ADMIN
                user.is_superuser = role == Role.ADMIN
                user.set_password(DEMO_PASSWORD)
                created_any.append(username)
                # The demo's shared password is not one the office set for a real person: no change
                # is forced at the demo's first login (a real account's is).
                user.password_changed_at = timezone.now()
                user.save()
            elif user.password_changed_at is None and user.check_password(DEMO_PASSWORD):
                # A demo database made before passwords had an age: the same, once.
                user.password_changed_at = timezone.now()
                user.save(update_fields=["password_changed_at"])
        leader = Leader.objects.get(name="孙立华")
        if leader.user_id is None:
            leader.user = User.objects.get(username="leader")
            leader.save()
    if stdout:
        stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, full_name, role, _unit in DEMO_USERS:
            label = _("单位领导") if username in UNIT_HEADS else Role(role).label
            stdout.write(f"  {username:<9} {label}  {full_name}")
