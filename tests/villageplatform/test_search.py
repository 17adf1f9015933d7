"""Searching "wat werkt": words in the title or the practice (plain icontains, the same on
SQLite and PostgreSQL), by tag and by place; bad parameters are a 400, never a 500."""

import pytest
from django.urls import reverse

from omzien.villageplatform import queries
from omzien.villageplatform.models import Tag
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons(benring, trefpunt):
    koffie, jongeren = Tag.objects.get(slug="koffie"), Tag.objects.get(slug="jongeren")
    return {
        "koffie": factories.LessonFactory(
            place=benring,
            title="Koffie bij de markt",
            practice="Een tafel op het plein op marktdag.",
            tags=[koffie],
        ),
        "jongeren": factories.LessonFactory(
            place=trefpunt,
            title="Scholieren helpen",
            practice="Jongeren schenken KOFFIE op zaterdag.",
            tags=[jongeren, koffie],
        ),
        "vervoer": factories.LessonFactory(
            place=trefpunt, title="Rijden naar de plek", practice="Een belbus voor ouderen."
        ),
    }


def titles(found) -> set[str]:
    return {lesson.title for lesson in found}


def test_every_word_in_the_title_or_practice_case_blind(viewer, lessons):
    found = queries.search_lessons(viewer, queries.Search(text="koffie"))
    assert titles(found) == {"Koffie bij de markt", "Scholieren helpen"}
    found = queries.search_lessons(viewer, queries.Search(text="koffie ZATERDAG"))
    assert titles(found) == {"Scholieren helpen"}
    assert not queries.search_lessons(viewer, queries.Search(text="zwemmen"))


def test_by_tag_and_by_place(viewer, lessons, trefpunt):
    koffie = Tag.objects.get(slug="koffie")
    assert titles(queries.search_lessons(viewer, queries.Search(tag=koffie))) == {
        "Koffie bij de markt",
        "Scholieren helpen",
    }
    assert titles(queries.search_lessons(viewer, queries.Search(tag=koffie, place=trefpunt))) == {
        "Scholieren helpen"
    }
    everything = queries.search_lessons(viewer, queries.Search())
    assert len(everything) == 3


def test_hosts_find_nothing(host_benring, lessons):
    assert not queries.search_lessons(host_benring, queries.Search(text="koffie"))


def test_the_search_page(client, coordinator_trefpunt, lessons, benring):
    client.force_login(coordinator_trefpunt)
    url = reverse("villageplatform:search")
    page = client.get(url, {"q": "koffie", "label": "koffie", "plek": benring.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Koffie bij de markt" in html and "Scholieren helpen" not in html
    assert "1 les gevonden" in html


@pytest.mark.parametrize(
    "params", [{"label": "bestaat-niet"}, {"plek": "abc"}, {"plek": "99999999999999999999"}]
)
def test_bad_parameters_are_a_400(client, viewer, lessons, params):
    client.force_login(viewer)
    response = client.get(reverse("villageplatform:search"), params)
    assert response.status_code == 400
