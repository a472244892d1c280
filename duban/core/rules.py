"""Who may do what, asked once: named predicates shared by the page's button and the service's refusal.

Each app's `rules.py` declares its predicates with `@rule`; the predicate is registered with
django-rules under "<app>.<name>", so a template asks the very same function:

    # bonds/rules.py
    @rule
    def may_edit_project(user, project) -> bool: ...

    # bonds/services/library.py
    require(may_edit_project, by, project)

    # bonds/templates/bonds/project_detail.html
    {% load rules %}{% test_rule "bonds.may_edit_project" user project as may_edit %}

Predicates answer "who" (role and data scope) and, where the action depends on it, "in which state";
they never query more than the object they are given needs. A predicate that asks no more than
"may this user take this step of the life cycle now" is declared from the table in one line:

    may_submit_report = step_rule("weekly.may_submit_report", REPORT_WORKFLOW, "submit")
"""

from __future__ import annotations

from functools import wraps

import rules as django_rules
from django.contrib.auth.decorators import login_required

from .errors import NotPermitted


def rule(function):
    """Make `function(user, obj)` a django-rules predicate registered as "<app>.<function name>"."""
    app = function.__module__.split(".")[1]
    return _registered(f"{app}.{function.__name__}", function)


def step_rule(label: str, workflow, transition: str):
    """A predicate registered as `label` ("<app>.<name>"): the life cycle's table offers this user
    the step `transition` on the object now (its button; guards that need no input included)."""
    app, name = label.split(".")

    def predicate(user, obj) -> bool:
        return any(t.name == transition for t in workflow.available(user, obj))

    predicate.__name__ = predicate.__qualname__ = name
    predicate.__doc__ = f"May the user take the step “{transition}” now (see {app}/workflow.py)?"
    return _registered(label, predicate)


def _registered(label: str, function):
    predicate = django_rules.predicate(function)
    django_rules.set_rule(label, predicate)
    return predicate


def require(predicate, user, obj=None, *, message: str = "") -> None:
    """Raise NotPermitted (403) unless the predicate allows the user this action on obj."""
    if not predicate.test(user, obj):
        raise NotPermitted(message or None)


def rule_required(predicate):
    """A page for those the predicate allows (signed in first): `@rule_required(rules.may_import_minutes)`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            require(predicate, request.user)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
