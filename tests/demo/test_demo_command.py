import socket
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command, load_command_class
from django.test import Client
from django.utils import timezone

from omzien.accounts import permissions
from omzien.accounts.models import Membership, Role
from omzien.agenda.models import Activity, Session
from omzien.attendance.models import Visit
from omzien.demo.services import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_KEY, load_demo
from omzien.helping.models import HelpOffer, HelpRequest
from omzien.people.models import Consent, Person
from omzien.places.models import Place, Region, Village
from omzien.proposals.models import Interest, Proposal
from omzien.signals.models import Signal
from omzien.villageplatform.models import Evening, Lesson
from omzien.visiting.models import Invitation
from tests import factories
from tests.two_factor import key_code

pytestmark = pytest.mark.django_db

MODELS = [
    Region,
    Village,
    Place,
    Activity,
    Session,
    Person,
    Visit,
    Consent,
    Signal,
    HelpRequest,
    HelpOffer,
    Proposal,
    Interest,
    Invitation,
    Evening,
    Lesson,
    get_user_model(),
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


def test_demo_twice_adds_nothing(tmp_path):
    call_command("demo", "--no-serve", stdout=StringIO())
    first = counts()
    assert first["Person"] >= 300
    assert 10_000 <= first["Visit"] <= 25_000
    assert (tmp_path / "static" / "omzien" / "omzien.css").exists()
    call_command("demo", "--no-serve", stdout=StringIO())
    assert counts() == first


def test_load_demo_returns_whether_it_loaded():
    today = timezone.localdate()
    assert load_demo(today=today) is True
    assert load_demo(today=today) is False
    # The rolling window of the agenda is there too, a few months ahead.
    assert Session.objects.filter(date__gte=today + timedelta(weeks=12)).exists()
    assert not Visit.objects.filter(session__date__gte=today).exists()
    # Last night's signals are there, on people who agreed to follow-up.
    signals = Signal.objects.all()
    assert 1 <= signals.count() <= 100
    assert not signals.exclude(person__in=Person.objects.with_consent("followup")).exists()
    # Help at every place: one proposed, one connected, one on the notice board.
    for place in Place.objects.all():
        requests = HelpRequest.objects.filter(place=place)
        assert sorted(requests.values_list("status", flat=True)) == [
            "gekoppeld",
            "nieuw",
            "voorgesteld",
        ]
        assert requests.filter(on_board=True).count() == 1
    # "Nieuwe plannen": one waiting for a coordinator, two on the board.
    assert sorted(Proposal.objects.values_list("status", flat=True)) == [
        "goedgekeurd",
        "goedgekeurd",
        "wacht",
    ]
    # Between the villages: an open afternoon coming, a visit written down, two evenings.
    assert Invitation.objects.count() == Evening.objects.count() == 2


def test_demo_log_ins_work_for_every_role():
    load_demo()
    assert len(DEMO_LOGINS) == 6
    for login in DEMO_LOGINS:
        user = get_user_model().objects.get(username=login.username)
        assert user.is_staff
        assert user.is_superuser == (login.role == Role.ADMIN)
        membership = Membership.objects.get(user=user)
        assert membership.role == login.role
        assert (membership.place.slug if membership.place else None) == login.place
        assert login.description
        client = Client()
        # Through the log-in page: django-axes needs the request (Client.login has none).
        response = client.post(
            "/inloggen/", {"username": login.username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, login.username
        if login.role in permissions.TWO_FACTOR_ROLES:
            # The second step, with the published demo key as a tester's app has it.
            assert response.url == "/inloggen/code/"
            response = client.post(response.url, {"code": key_code(DEMO_TOTP_KEY)})
            assert response.status_code == 302, login.username
        assert client.get("/beheer/").status_code == 200
    roles = {login.role for login in DEMO_LOGINS}
    assert roles == set(Role)
    places = {(login.role, login.place) for login in DEMO_LOGINS}
    assert (Role.HOST, "de-benring") in places
    assert (Role.COORDINATOR, "trefpunt-duistervoorde") in places
    assert (Role.COORDINATOR, "de-benring") in places


def test_demo_refuses_a_database_with_a_real_region():
    factories.RegionFactory(name="Elders", slug="elders")
    before = counts()
    with pytest.raises(CommandError, match="echte gegevens"):
        call_command("demo", "--no-serve", stdout=StringIO())
    assert counts() == before


@pytest.mark.parametrize("port", ["abc", "0", "70000", ""])
def test_demo_rejects_a_bad_port(port):
    with pytest.raises(CommandError, match="65535"):
        call_command("demo", "--port", port, stdout=StringIO())
    assert Region.objects.count() == 0


def test_demo_rejects_a_port_in_use():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(CommandError, match=str(port)):
            call_command("demo", "--port", str(port), stdout=StringIO())
    assert Region.objects.count() == 0


def test_demo_data_dir_must_be_chosen_at_start(tmp_path):
    with pytest.raises(CommandError, match="--data-dir"):
        call_command("demo", "--no-serve", "--data-dir", str(tmp_path / "x"), stdout=StringIO())
    assert Region.objects.count() == 0


def test_materialise_sessions_fills_the_window_once(settings):
    settings.OMZIEN_SESSION_WINDOW_WEEKS = 6
    today = timezone.localdate()
    activity = factories.ActivityFactory(
        rrule="FREQ=WEEKLY", first_date=today - timedelta(weeks=10)
    )
    out = StringIO()
    call_command("materialise_sessions", stdout=out)
    sessions = Session.objects.filter(activity=activity)
    assert sessions.count() in (8, 9)  # two weeks back to six weeks ahead
    assert str(sessions.count()) in out.getvalue()
    out = StringIO()
    call_command("materialise_sessions", stdout=out)
    assert out.getvalue().startswith("0 ")
    call_command("materialise_sessions", "--weeks", "10", stdout=StringIO())
    assert sessions.filter(date__gt=today + timedelta(weeks=9)).exists()


@pytest.mark.parametrize("weeks", ["0", "-3", "many", "500"])
def test_materialise_sessions_rejects_bad_weeks(weeks):
    with pytest.raises(CommandError, match="--weeks"):
        call_command("materialise_sessions", "--weeks", weeks, stdout=StringIO())


@pytest.mark.parametrize(
    ("app", "name", "option"),
    [("omzien.demo", "demo", "--no-serve"), ("omzien.agenda", "materialise_sessions", "--weeks")],
)
def test_help_can_be_shown(app, name, option):
    parser = load_command_class(app, name).create_parser("omzien", name)
    assert option in parser.format_help()


def test_the_demo_report_shows_volunteers_at_every_place():
    from omzien.attendance.models import SessionHost
    from omzien.reports.figures import build_cube

    today = date(2026, 6, 15)
    load_demo(today=today)
    hosted = SessionHost.objects.filter(session__date__lt=today)
    assert hosted.count() == SessionHost.objects.count() > 100
    # A session is hosted by someone who may run the door of its place.
    for host in hosted.select_related("session__activity")[:50]:
        assert Membership.objects.filter(
            user=host.user, place_id=host.session.activity.place_id
        ).exists()
    cube = build_cube(2026, as_of=today)
    for place in Place.objects.all():
        assert cube.get(place.slug, "2026", "hosts") >= 2
    this_year = hosted.filter(session__date__year=2026).select_related("session")
    hours = sum((host.session.ends_at - host.session.starts_at).seconds for host in this_year)
    assert cube.get("region", "2026", "host_hours") == round(hours / 3600, 1) > 0
