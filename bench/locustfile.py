"""The crowd of the load test (run by `bench/load.py`, which signs the users in and passes their sessions
in DUBAN_LOAD_SESSIONS): the office, leaders and liaisons reading the directive board with its filters,
directive pages, their own work, the weekly form and the API's lists; with DUBAN_LOAD_WRITES, liaisons
also report progress and fill the weekly form, and leaders write instructions.

Each request is named by what it is (not its address), so that locust's table reads as a list of pages.
Any status other than the expected one is a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from pathlib import Path

from locust import HttpUser, between, task

SESSIONS = json.loads(Path(os.environ["DUBAN_LOAD_SESSIONS"]).read_text())["users"]
WRITES = bool(os.environ.get("DUBAN_LOAD_WRITES"))
_NEXT = {
    role: itertools.cycle([u for u in SESSIONS if u["role"] == role])
    for role in ("office", "leader", "liaison")
}

BOARD_FILTERS = [
    "",
    "?light=red",
    "?light=yellow&page=2",
    "?state=in_progress",
    "?due_after=2026-01-01&due_before=2026-12-31",
]


class Member(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 2)

    def on_start(self):
        self.account = next(_NEXT[self.role])
        self.client.cookies.set("sessionid", self.account["session"])
        # The CSRF cookie comes with the first page that has a form.
        self.get("/directives/", "board")

    def get(self, path: str, name: str, **kwargs):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False, **kwargs) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code} ({self.account['username']} {path})")
        return answer

    def post(self, path: str, name: str, data: dict, *, expect=(302,), headers=None):
        data = {**data, "_once": uuid.uuid4().hex}
        headers = {
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
            "Referer": self.host,
            **(headers or {}),
        }
        with self.client.post(
            path, data=data, name=name, headers=headers, catch_response=True, allow_redirects=False
        ) as answer:
            if answer.status_code not in expect:
                answer.failure(
                    f"{answer.status_code} ({self.account['username']} {path}): {answer.text[:200]}"
                )
        return answer

    def directive(self) -> int:
        return random.choice(self.account["directives"])

    @task(4)
    def board(self):
        self.get(f"/directives/{random.choice(BOARD_FILTERS)}", "board ?filter")

    @task(3)
    def directive_page(self):
        if self.account["directives"]:
            self.get(f"/directives/{self.directive()}/", "directive page")

    @task(2)
    def my_work(self):
        self.get("/directives/mine/", "my work")

    @task(2)
    def api_directives(self):
        self.get(
            f"/api/directives/?light={random.choice(['red', 'yellow', 'green'])}", "api directives ?light"
        )

    @task(1)
    def api_counts(self):
        self.get("/api/directives/counts/", "api directive counts")

    @task(1)
    def home(self):
        self.get("/", "home")


class Office(Member):
    role = "office"
    weight = 1

    @task(1)
    def weekly_cycles(self):
        self.get("/api/weekly/cycles/", "api weekly cycles")


class Leader(Member):
    role = "leader"
    weight = 2

    @task(1)
    def instruct(self):
        if WRITES and self.account["directives"]:
            self.post(
                f"/directives/{self.directive()}/comments/", "write: instruction", {"text": "请抓紧推进。"}
            )


class Liaison(Member):
    role = "liaison"
    weight = 3

    @task(3)
    def weekly_form(self):
        with self.client.get("/weekly/mine/", name="weekly form", catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code} ({self.account['username']})")

    @task(1)
    def api_items(self):
        self.get("/api/weekly/items/", "api weekly items")

    @task(2)
    def report_progress(self):
        if WRITES and self.account["reportable"]:
            pk = random.choice(self.account["reportable"])
            data = {"text": "本周完成阶段性任务。", "percent": random.randint(10, 90)}
            self.post(f"/directives/{pk}/progress/", "write: progress report", data)

    @task(3)
    def weekly_item(self):
        if WRITES and self.account["items"]:
            pk = random.choice(self.account["items"])
            prefix = f"item{pk}-"
            data = {
                f"{prefix}done_this_week": "完成了本周的工作。",
                f"{prefix}plan_next_week": "继续推进。",
                f"{prefix}percent": random.randint(10, 90),
            }
            self.post(
                f"/weekly/items/{pk}/",
                "write: weekly item",
                data,
                expect=(200,),
                headers={"HX-Request": "true"},
            )
