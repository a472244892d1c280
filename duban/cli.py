"""The `duban` command: Django's management commands plus Duban's own, with the audit channel set."""

import os
import sys

DUBAN_COMMANDS = {
    "demo": "迁移数据库并载入演示数据 / migrate the database and load the demo data",
    "serve": "启动网站 / serve the app (127.0.0.1:8000 by default)",
    "units": "单位名录的 Excel 导入导出 / import or export the unit directory as Excel",
    "directives": "督办事项：重新计算亮灯等 / directives: recompute the warning lights",
    "weekly": "周报告制度：开启、提醒、截止周报周期 / the weekly cycle",
    "minutes": "从会议纪要或新闻稿提取督办事项 / extract directives from minutes",
    "bonds": "专项债券：融资收益平衡测算 / special bonds: the balance test",
    "ppp": "PPP：财政承受能力测算 / PPP: fiscal affordability",
    "assessment": "考核排名：按方案计分排名 / assessment: score and rank units",
    "notify": "通知：发送测试消息检查各渠道 / notifications: send a test message through the channels",
    "backup": "备份数据库和上传的文件 / back up the database and the uploaded files",
    "restore": "从备份恢复（先校验）/ restore a backup (checked first)",
    "audit": "审计日志：校验哈希链 / audit logs: verify the hash chains",
    "db": "数据库角色：应用角色的权限 / database roles: grant the application's role",
}

# The commands that connect as the tables' owner (DUBAN_MIGRATE_DATABASE_URL, when it is set): the
# application's own role may not change the schema, nor delete from or re-grant the audit logs.
OWNER_COMMANDS = {"migrate", "demo", "db", "purge_security_log", "restore"}


def _print_help() -> None:
    print("用法 / usage: duban <命令> [选项]\n")
    print("督办命令 / Duban commands:")
    for name, text in DUBAN_COMMANDS.items():
        print(f"  {name:<10} {text}")
    print("\n`duban <命令> --help` 查看各命令的选项；Django 的全部管理命令也可使用（见下）。\n")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    argv[0] = "duban"
    if len(argv) > 1 and argv[1] in OWNER_COMMANDS:
        os.environ["DUBAN_DB_AS_OWNER"] = "1"
    if len(argv) == 1 or argv[1] in ("-h", "--help", "help") and len(argv) == 2:
        _print_help()
        argv = [argv[0], "help"]

    import django
    from django.core.management import execute_from_command_line

    django.setup()
    from duban.audit.context import set_channel
    from duban.audit.models import Channel

    set_channel(Channel.COMMAND)
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
