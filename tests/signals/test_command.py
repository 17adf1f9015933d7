"""``omzien signals``: JSON fields, bad input, and what --save stores."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from omzien.signals.management.commands.signals import Command
from omzien.signals.models import ContactLog, Outcome, Signal
from omzien.signals.services import SaveResult
from tests import factories
from tests.signals.conftest import AS_OF, LAST_SEEN, visit


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("signals", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_json_lists_the_signals_with_the_stable_fields(regular, trefpunt, settings):
    out, _ = run("--as-of", AS_OF.isoformat(), "--format", "json")
    [row] = json.loads(out)
    assert row["person_ref"] == "riet-1"
    assert row["place"] == "Trefpunt Duistervoorde"
    assert row["last_seen"] == LAST_SEEN.isoformat()
    assert row["missed"] == 3
    assert settings.OMZIEN_SIGNAL_THRESHOLD <= row["probability"] <= 1
    assert row["reason"]
    assert not Signal.objects.exists()  # without --save nothing is stored


@pytest.mark.django_db
def test_person_without_ref_gets_the_export_ref(regular):
    regular.ref = None
    regular.save()
    out, _ = run("--as-of", AS_OF.isoformat(), "--format", "json")
    assert json.loads(out)[0]["person_ref"] == f"omzien-{regular.pk}"


@pytest.mark.django_db
def test_text_is_a_table(regular):
    out, _ = run("--as-of", AS_OF.isoformat())
    assert "riet-1" in out and "Trefpunt Duistervoorde" in out


@pytest.mark.django_db
def test_no_signals_is_an_empty_json_list(db):
    out, _ = run("--as-of", "2026-04-03", "--format", "json")
    assert json.loads(out) == []


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["03-04-2026", "2026-02-30", "gisteren", "20260403", ""])
def test_bad_date_is_refused_and_changes_nothing(regular, text):
    with pytest.raises(CommandError, match="JJJJ-MM-DD"):
        run("--as-of", text, "--save")
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_future_date_is_refused(regular):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(CommandError, match="toekomst"):
        run("--as-of", tomorrow.isoformat(), "--save")
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_bad_format_is_refused(regular):
    with pytest.raises(CommandError):
        run("--as-of", AS_OF.isoformat(), "--format", "xml")


@pytest.mark.django_db
def test_save_opens_once_and_refreshes(regular, trefpunt):
    run("--as-of", AS_OF.isoformat(), "--save")
    signal = Signal.objects.get()
    assert (signal.person, signal.place, signal.kind) == (regular, trefpunt, Signal.Kind.AUTO)
    assert (signal.status, signal.raised_on, signal.missed) == ("open", AS_OF, 3)
    run("--as-of", (AS_OF + timedelta(days=5)).isoformat(), "--save")
    signal = Signal.objects.get()
    assert signal.raised_on == AS_OF
    assert signal.missed == 4


@pytest.mark.django_db
def test_return_closes_the_signal_as_seen_again(regular, coffee):
    run("--as-of", AS_OF.isoformat(), "--save")
    visit(regular, coffee[1], [date(2026, 4, 7)])
    run("--as-of", "2026-04-08", "--save")
    signal = Signal.objects.get()
    assert (signal.status, signal.outcome) == (Signal.Status.CLOSED, Outcome.SEEN_AGAIN)
    assert signal.closed_at is not None


@pytest.mark.django_db
def test_a_visit_after_as_of_does_not_close(regular, coffee):
    visit(regular, coffee[1], [date(2026, 4, 14)])
    run("--as-of", AS_OF.isoformat(), "--save")
    run("--as-of", "2026-04-08", "--save")
    assert Signal.objects.get().status == Signal.Status.OPEN


@pytest.mark.django_db
def test_history_is_kept_and_a_new_dropout_opens_a_new_signal(regular, coffee):
    run("--as-of", AS_OF.isoformat(), "--save")
    visit(regular, coffee[1], [date(2026, 4, 7), date(2026, 4, 14), date(2026, 4, 21)])
    run("--as-of", "2026-04-22", "--save")
    # She came back from four weeks away once: a new absence must be longer to worry.
    activity = coffee[0]
    for week in range(20, 30):
        factories.SessionFactory(activity=activity, date=date(2026, 1, 6) + timedelta(weeks=week))
    run("--as-of", "2026-06-30", "--save")
    signals = list(Signal.objects.filter(person=regular).order_by("raised_on"))
    assert [s.status for s in signals] == ["closed", "open"]


@pytest.mark.django_db
def test_not_picked_up_escalates_after_the_set_days(regular, settings, professional):
    """Counted from the day the door's first contact became a coordinator's follow-up."""
    settings.OMZIEN_SIGNAL_ESCALATE_DAYS = 7
    settings.OMZIEN_FIRST_CONTACT_DAYS = 14
    run("--as-of", AS_OF.isoformat(), "--save")
    assert Signal.objects.get().follow_up_since is None
    run("--as-of", (AS_OF + timedelta(days=13)).isoformat(), "--save")
    assert Signal.objects.get().escalated_at is None
    _, err = run("--as-of", (AS_OF + timedelta(days=14)).isoformat(), "--save")
    assert "1 aan een coördinator overgedragen" in err
    assert Signal.objects.get().follow_up_since == AS_OF + timedelta(days=14)
    run("--as-of", (AS_OF + timedelta(days=20)).isoformat(), "--save")
    assert Signal.objects.get().escalated_at is None
    run("--as-of", (AS_OF + timedelta(days=21)).isoformat(), "--save")
    assert Signal.objects.get().escalated_at is not None


@pytest.mark.django_db
def test_picked_up_signals_do_not_escalate(regular, professional, settings):
    settings.OMZIEN_FIRST_CONTACT_DAYS = 0  # a coordinator's follow-up from the start
    run("--as-of", AS_OF.isoformat(), "--save")
    contacted = Signal.objects.get()
    ContactLog.objects.create(
        signal=contacted, by=professional, method="called", outcome="no_contact"
    )
    run("--as-of", (AS_OF + timedelta(days=10)).isoformat(), "--save")
    assert Signal.objects.get().escalated_at is None


@pytest.mark.django_db
def test_snoozed_signal_wakes_on_its_date(regular):
    run("--as-of", AS_OF.isoformat(), "--save")
    Signal.objects.update(status=Signal.Status.SNOOZED, snoozed_until=date(2026, 4, 20))
    run("--as-of", "2026-04-19", "--save")
    assert Signal.objects.get().status == Signal.Status.SNOOZED
    run("--as-of", "2026-04-20", "--save")
    assert Signal.objects.get().status == Signal.Status.OPEN


def test_without_as_of_the_last_whole_day_is_used():
    from datetime import date

    from omzien.signals.management.commands.signals import parse_as_of

    assert parse_as_of(None, date(2026, 11, 25)) == date(2026, 11, 24)
    assert parse_as_of("2026-11-25", date(2026, 11, 25)) == date(2026, 11, 25)


@pytest.mark.django_db(transaction=True)
def test_save_reports_the_escalation_and_the_mails(regular, professional, settings, mailoutbox):
    """Through a real commit: the mail goes out when --save's transaction ends."""
    settings.OMZIEN_FIRST_CONTACT_DAYS = 0  # a coordinator's follow-up from the start
    settings.OMZIEN_SIGNAL_ESCALATE_DAYS = 7
    professional.email = "pauline@example.nl"
    professional.save()
    run("--as-of", AS_OF.isoformat(), "--save")
    assert mailoutbox == []
    _, err = run("--as-of", (AS_OF + timedelta(days=7)).isoformat(), "--save")
    assert len(mailoutbox) == 1
    assert Command().escalation_line(SaveResult(escalated=1, mailed=1)) in err
    _, err = run("--as-of", (AS_OF + timedelta(days=8)).isoformat(), "--save")
    assert len(mailoutbox) == 1
    assert Command().escalation_line(SaveResult(escalated=1, mailed=1)) not in err


def test_the_escalation_line_counts_what_happened():
    line = Command().escalation_line(SaveResult(escalated=3, mailed=2, mail_failed=1))
    assert all(str(n) in line for n in (3, 2, 1))
    assert Command().escalation_line(SaveResult(escalated=3, mailed=2)) != line


@pytest.mark.django_db(transaction=True)
def test_demo_mail_keeps_the_json_readable(regular, professional, settings, capsys):
    """The demo prints mails; they must not end up in the JSON on standard output."""
    settings.EMAIL_BACKEND = "omzien.core.mail.StderrEmailBackend"
    settings.OMZIEN_FIRST_CONTACT_DAYS = 0  # a coordinator's follow-up from the start
    settings.OMZIEN_SIGNAL_ESCALATE_DAYS = 7
    professional.email = "pauline@example.nl"
    professional.save()
    call_command("signals", "--as-of", AS_OF.isoformat(), "--save")
    capsys.readouterr()
    later = (AS_OF + timedelta(days=7)).isoformat()
    call_command("signals", "--as-of", later, "--save", "--format", "json")
    printed = capsys.readouterr()
    [row] = json.loads(printed.out)
    assert row["person_ref"] == "riet-1"
    assert "pauline@example.nl" in printed.err
