"""The "Dubbele bezoekers" pages: find a pair, compare, confirm, merge, undo for a day."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.people.models import Person
from omzien.privacy import services
from omzien.privacy.models import PersonMerge
from tests import factories
from tests.attendance import door

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 20, 11, 0, tzinfo=UTC)


@pytest.fixture
def pair(benring):
    """Jannie Kamphuis came twice; a host registered her again as Janie, who came once."""
    jannie = door.person("Jannie", "Kamphuis", place=benring)
    janie = door.person("Janie", "Kamphuis", place=benring)
    activity = factories.ActivityFactory(place=benring)
    for day in (3, 10):
        factories.VisitFactory(
            session__activity=activity, session__date=date(2026, 3, day), person=jannie
        )
    factories.VisitFactory(
        session__activity=activity, session__date=date(2026, 3, 17), person=janie
    )
    return jannie, janie


def login(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "nl"
    return client


@pytest.fixture
def cora(benring):
    return login(factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user)


def test_the_list_shows_the_pair_and_is_audit_logged(cora, pair):
    jannie, janie = pair
    response = cora.get(reverse("privacy:duplicates"))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        reverse("privacy:compare", args=[jannie.pk, janie.pk]) in html
        or reverse("privacy:compare", args=[janie.pk, jannie.pk]) in html
    )
    assert AuditEvent.objects.filter(subject="duplicate visitors").exists()


def test_the_person_page_leads_to_the_pairs_around_that_person(cora, pair):
    jannie, janie = pair
    person_page = cora.get(reverse("attendance:person", args=[jannie.pk])).content.decode()
    link = f"{reverse('privacy:duplicates')}?persoon={jannie.pk}"
    assert link in person_page
    around = cora.get(link)
    assert [{pair.first.pk, pair.second.pk} for pair in around.context["pairs"]] == [
        {jannie.pk, janie.pk}
    ]


def test_hosts_get_no_merge_link_on_the_person_page(pair, benring):
    henk = login(factories.MembershipFactory(role=Role.HOST, place=benring).user)
    page = henk.get(reverse("attendance:person", args=[pair[0].pk])).content.decode()
    assert reverse("privacy:duplicates") not in page


def test_compare_shows_both_side_by_side(cora, pair):
    jannie, janie = pair
    response = cora.get(reverse("privacy:compare", args=[jannie.pk, janie.pk]))
    first, second = response.context["first"], response.context["second"]
    assert (first.visits, second.visits) == (2, 1)
    assert str(first.first_visit) == "2026-03-03" and str(first.last_visit) == "2026-03-10"
    html = response.content.decode()
    assert reverse("privacy:merge", args=[jannie.pk, janie.pk]) in html
    assert reverse("privacy:merge", args=[janie.pk, jannie.pk]) in html


def test_the_confirmation_asks_first_and_changes_nothing(cora, pair):
    jannie, janie = pair
    response = cora.get(reverse("privacy:merge", args=[jannie.pk, janie.pk]))
    assert response.status_code == 200
    assert "Ja, samenvoegen" in response.content.decode()
    assert Person.objects.filter(pk=janie.pk).exists()


def test_merge_then_undo(cora, pair):
    jannie, janie = pair
    with time_machine.travel(NOON, tick=False):
        response = cora.post(reverse("privacy:merge", args=[jannie.pk, janie.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("privacy:duplicates")
    assert "Samengevoegd" in response.content.decode()
    assert not Person.objects.filter(pk=janie.pk).exists()
    assert Visit.objects.filter(person=jannie).count() == 3
    merge = PersonMerge.objects.get()
    with time_machine.travel(NOON + timedelta(hours=2), tick=False):
        page = cora.get(reverse("privacy:duplicates")).content.decode()
        assert f'id="undo-{merge.pk}"' in page
        response = cora.post(reverse("privacy:undo", args=[merge.pk]), follow=True)
    assert "Ongedaan gemaakt" in response.content.decode()
    assert Visit.objects.filter(person_id=janie.pk).count() == 1


def test_after_a_day_undo_is_no_longer_offered_nor_done(cora, pair):
    jannie, janie = pair
    with time_machine.travel(NOON, tick=False):
        cora.post(reverse("privacy:merge", args=[jannie.pk, janie.pk]))
    merge = PersonMerge.objects.get()
    with time_machine.travel(NOON + timedelta(days=1, seconds=1), tick=False):
        page = cora.get(reverse("privacy:duplicates")).content.decode()
        assert f'id="undo-{merge.pk}"' not in page
        response = cora.post(reverse("privacy:undo", args=[merge.pk]), follow=True)
    assert "één dag" in response.content.decode()
    assert not Person.objects.filter(pk=janie.pk).exists()


@pytest.mark.parametrize("role", [Role.HOST, Role.VIEWER, Role.PROFESSIONAL])
def test_roles_that_do_not_manage_a_place_are_refused(pair, benring, role):
    jannie, janie = pair
    client = login(factories.MembershipFactory(role=role, place=benring).user)
    assert client.get(reverse("privacy:duplicates")).status_code == 403
    assert client.get(reverse("privacy:compare", args=[jannie.pk, janie.pk])).status_code == 404
    response = client.post(reverse("privacy:merge", args=[jannie.pk, janie.pk]))
    assert response.status_code == 404
    assert Person.objects.filter(pk=janie.pk).exists()


def test_a_coordinator_of_another_place_gets_404_and_changes_nothing(pair, trefpunt):
    jannie, janie = pair
    client = login(factories.MembershipFactory(role=Role.COORDINATOR, place=trefpunt).user)
    assert client.get(reverse("privacy:duplicates")).context["pairs"] == []
    assert client.get(reverse("privacy:compare", args=[jannie.pk, janie.pk])).status_code == 404
    assert client.post(reverse("privacy:merge", args=[jannie.pk, janie.pk])).status_code == 404
    assert Person.objects.filter(pk=janie.pk).exists()
    merge = services.merge_people(
        jannie, janie, acting_user=factories.MembershipFactory(role=Role.ADMIN, place=None).user
    ).merge
    assert client.post(reverse("privacy:undo", args=[merge.pk])).status_code == 404
    assert not Person.objects.filter(pk=janie.pk).exists()


def test_the_same_person_twice_is_404(cora, pair):
    jannie, _janie = pair
    assert cora.get(reverse("privacy:compare", args=[jannie.pk, jannie.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_and_write_nothing(pair):
    jannie, janie = pair
    response = Client().post(reverse("privacy:merge", args=[jannie.pk, janie.pk]))
    assert response.status_code == 302 and response.url.startswith("/inloggen/")
    assert Person.objects.filter(pk=janie.pk).exists()
    assert not AuditEvent.objects.exists()


def test_a_confirmation_sent_twice_merges_once_and_says_so(cora, pair):
    jannie, janie = pair
    url = reverse("privacy:merge", args=[jannie.pk, janie.pk])
    cora.post(url)
    response = cora.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("privacy:duplicates")
    assert "Jannie Kamphuis is al samengevoegd." in response.content.decode()
    assert PersonMerge.objects.count() == 1


def test_ids_no_database_holds_are_404(cora, pair):
    jannie, _janie = pair
    huge = 2**70
    assert cora.post(reverse("privacy:merge", args=[jannie.pk, huge])).status_code == 404
    assert cora.get(reverse("privacy:compare", args=[huge, jannie.pk])).status_code == 404
    assert cora.post(reverse("privacy:undo", args=[huge])).status_code == 404
