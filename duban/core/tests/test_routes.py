"""Pages declared beside their views: named after the view, and literal routes win over converters."""

from django.http import HttpResponse
from django.urls import resolve
from django.urls.resolvers import RegexPattern, URLResolver

from duban.core.routes import Pages

pages = Pages()


@pages.route("cycles/<int:pk>/bulletin/<slug:kind>/")
def bulletin_download(request, pk, kind):
    return HttpResponse(kind)


@pages.route("cycles/<int:pk>/bulletin/compile/")
@pages.route("cycles/<int:pk>/bulletin/build/", name="bulletin_build")
def bulletin_compile(request, pk):
    return HttpResponse("compile")


urlpatterns = pages.urlpatterns


def test_a_page_is_named_after_its_view_unless_named():
    assert {p.name for p in pages.urlpatterns} == {"bulletin_download", "bulletin_compile", "bulletin_build"}


def test_a_literal_route_wins_over_a_converter_defined_before_it():
    resolver = URLResolver(RegexPattern(r"^/"), __name__)
    assert resolver.resolve("/cycles/3/bulletin/compile/").func is bulletin_compile
    assert resolver.resolve("/cycles/3/bulletin/docx/").func is bulletin_download
    assert resolver.resolve("/cycles/3/bulletin/build/").url_name == "bulletin_build"


def test_every_app_declares_its_pages_beside_their_views():
    assert resolve("/directives/").url_name == "board"
    assert resolve("/weekly/cycles/1/bulletin/compile/").url_name == "bulletin_compile"
