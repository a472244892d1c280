"""The API's one router: an object is found by its integer id."""

from rest_framework.routers import SimpleRouter


class Router(SimpleRouter):
    """A `SimpleRouter` whose object routes match digits only: any other id answers the API's 404
    (`core.api.views.not_found`) before a view could read it, and the schema says the id is a number."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._default_value_pattern = "[0-9]+"
