"""Who is here today (newcomers and returners marked), name badges, a person's visits."""

import re
import sys
import uuid
from datetime import time, timedelta

import pytest
from django.urls import reverse

from omzien.accounts import permissions
from omzien.accounts.permissions import SYSTEM
from omzien.agenda.models import Session
from omzien.attendance import queries, services
from omzien.audit.models import AuditEvent
from tests import factories
from tests.attendance import door


def ago(session, **delta):
    """The session of the same activity some time before the given one."""
    return door.session_on(session.activity, session.date - timedelta(**delta))


@pytest.fixture
def full_house(benring, trefpunt, benring_today, mariette, maria_without_consent):
    """Today at De Benring: a regular, a newcomer, two returners, others without names."""
    regular = mariette
    services.check_in(ago(benring_today, weeks=1), regular, acting_user=SYSTEM)
    newcomer = door.person("Nina", "Nieuw", place=benring)
    # Having been to another place does not make someone known here (a visit there,
    # from that place's list).
    factories.VisitFactory(
        session=door.today_session(trefpunt, title="Eerder elders"), person=newcomer
    )
    back = door.person("Bert", "Terug", place=benring)
    services.check_in(ago(benring_today, weeks=5), back, acting_user=SYSTEM)
    four_weeks = door.person("Vera", "Vierweken", place=benring)
    services.check_in(ago(benring_today, weeks=4), four_weeks, acting_user=SYSTEM)
    for person in [regular, newcomer, back, four_weeks]:
        services.check_in(benring_today, person, acting_user=SYSTEM)
    factories.VisitFactory(session=benring_today, person=maria_without_consent)  # from a list
    services.add_anonymous(benring_today, token=uuid.uuid4(), acting_user=SYSTEM)
    services.add_anonymous(benring_today, token=uuid.uuid4(), acting_user=SYSTEM)
    return {"regular": regular, "new": newcomer, "back": back, "four_weeks": four_weeks}


def presence_at(session):
    return queries.presence(session, permissions.door_people(SYSTEM, session))


def marks(presence):
    return {
        present.person.first_name: (present.is_new, present.is_returning)
        for present in presence.people
    }


def test_presence_marks_newcomers_and_returners(full_house, benring_today):
    presence = presence_at(benring_today)
    assert marks(presence) == {
        "Mariëtte": (False, False),
        "Nina": (True, False),
        "Bert": (False, True),
        "Vera": (False, False),  # exactly four weeks is not "a while"
    }
    assert [p.person.first_name for p in presence.newcomers] == ["Nina"]
    assert [p.person.first_name for p in presence.returning] == ["Bert"]
    # Maria (no consent to show her name) and two anonymous visitors are only a number.
    assert presence.others == 3
    assert presence.total == 7
    # Whom to greet comes first.
    assert [p.person.first_name for p in presence.people][:2] == ["Nina", "Bert"]


def test_presence_is_a_fixed_number_of_queries(
    full_house, benring_today, benring, django_assert_num_queries
):
    for number in range(10):
        someone = door.person(f"Extra{number}", place=benring)
        services.check_in(ago(benring_today, weeks=number + 1), someone, acting_user=SYSTEM)
        services.check_in(benring_today, someone, acting_user=SYSTEM)
    session = Session.objects.select_related("activity").get(pk=benring_today.pk)
    with django_assert_num_queries(2):
        presence = presence_at(session)
        assert len(presence.people) == 14


def test_a_later_visit_does_not_hide_a_newcomer(benring_today, mariette):
    services.check_in(benring_today, mariette, acting_user=SYSTEM)
    services.check_in(
        door.session_on(benring_today.activity, benring_today.date + timedelta(1)),
        mariette,
        acting_user=SYSTEM,
    )
    assert marks(presence_at(benring_today)) == {"Mariëtte": (True, False)}


def test_the_morning_makes_the_afternoon_no_first_time(benring, benring_today, mariette):
    afternoon = door.today_session(benring, title="Middag", start=time(15, 0))
    services.check_in(benring_today, mariette, acting_user=SYSTEM)
    services.check_in(afternoon, mariette, acting_user=SYSTEM)
    assert marks(presence_at(afternoon)) == {"Mariëtte": (False, False)}
    assert marks(presence_at(benring_today)) == {"Mariëtte": (True, False)}


def test_presence_page_shows_names_marks_and_others(henk, full_house, benring_today):
    response = henk.get(reverse("attendance:presence", args=[benring_today.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-person="{full_house["new"].pk}" data-new="true" data-returning="false"' in html
    assert f'data-person="{full_house["back"].pk}" data-new="false" data-returning="true"' in html
    assert 'class="mark mark-new"' in html
    assert 'class="mark mark-returning"' in html
    assert 'id="presence-others" data-others="3"' in html
    assert "Zondernaam" not in html


def test_presence_of_another_place_is_404(henk, trefpunt_today):
    assert henk.get(reverse("attendance:presence", args=[trefpunt_today.pk])).status_code == 404


# --- Name badges ------------------------------------------------------------------------


def test_badges_are_a_pdf(henk, full_house, benring_today):
    pytest.importorskip("weasyprint")
    response = henk.get(reverse("attendance:badges", args=[benring_today.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"naambordjes-{benring_today.date}.pdf" in response["Content-Disposition"]


def test_badges_fall_back_to_a_printable_page_without_weasyprint(
    henk, full_house, benring_today, monkeypatch
):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import now raises ImportError
    response = henk.get(reverse("attendance:badges", args=[benring_today.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert 'id="badges-note"' in html
    assert "attendance/badges.css" in html
    names = re.findall(r'class="badge-name[^"]*">([^<]*)<', html)
    assert names == ["Bert", "Mariëtte", "Nina", "Vera"]  # Maria did not agree to hers


def test_more_than_a_sheet_of_badges_makes_more_sheets(henk, benring, benring_today, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    for number in range(22):
        services.check_in(
            benring_today, door.person(f"Naam{number:02d}", place=benring), acting_user=SYSTEM
        )
    response = henk.get(reverse("attendance:badges", args=[benring_today.pk]))
    assert [len(sheet) for sheet in response.context["sheets"]] == [21, 1]


# --- A person's visits ------------------------------------------------------------------


def test_person_history_shows_visits_here_and_is_audit_logged(
    henk, host_benring, benring_today, trefpunt_today, mariette
):
    services.check_in(ago(benring_today, weeks=2), mariette, acting_user=SYSTEM)
    services.check_in(benring_today, mariette, acting_user=SYSTEM)
    # Another place (from its list): not the host's business.
    factories.VisitFactory(session=trefpunt_today, person=mariette)
    url = reverse("attendance:person", args=[mariette.pk])
    response = henk.get(url, {"terug": benring_today.pk})
    assert response.status_code == 200
    assert [v.session for v in response.context["visits"]] == [
        benring_today,
        ago(benring_today, weeks=2),
    ]
    assert response.context["followup"] is True
    assert response.context["back_to"] == benring_today
    assert "Handwerken Trefpunt" not in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert (event.user, event.action, event.subject, event.person) == (
        host_benring,
        AuditEvent.Action.VIEW,
        "person history",
        mariette,
    )
    henk.get(url)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count() == 2


def test_person_history_of_another_place_is_404_and_not_logged(henk, marie_trefpunt):
    response = henk.get(reverse("attendance:person", args=[marie_trefpunt.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.exists()


def test_person_history_without_names_consent_is_404(henk, maria_without_consent):
    response = henk.get(reverse("attendance:person", args=[maria_without_consent.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.exists()


def test_back_link_only_to_a_session_the_user_hosts(henk, mariette, trefpunt_today):
    response = henk.get(
        reverse("attendance:person", args=[mariette.pk]), {"terug": trefpunt_today.pk}
    )
    assert response.context["back_to"] is None
