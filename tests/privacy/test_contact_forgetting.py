"""Forgetting contact data in place (privacy.retention.forget_contact_data), the one way
help requests and proposed activities forget a resident's words and how to reach them."""

import pytest

from omzien.accounts.permissions import SYSTEM
from omzien.audit.models import AuditEvent
from omzien.privacy.retention import _retention_steps, forget_contact_data
from omzien.proposals.models import Interest, Proposal
from tests import factories

pytestmark = pytest.mark.django_db


def test_forgets_the_rows_and_what_belongs_to_them_once(benring):
    proposal = factories.ProposalFactory(village=benring.village, places=[benring])
    factories.InterestFactory(proposal=proposal, first_name="Jan")
    other = factories.ProposalFactory(village=benring.village, places=[benring])

    def forget():
        return forget_contact_data(
            Proposal.objects.filter(pk=proposal.pk),
            acting_user=SYSTEM,
            what="proposals",
            along=lambda pks: [Interest.objects.filter(proposal__in=pks)],
        )

    assert forget() == 1
    proposal.refresh_from_db()
    assert proposal.contact_forgotten_at and proposal.first_name == proposal.phone == ""
    assert Interest.objects.get().first_name == ""
    other.refresh_from_db()
    assert other.first_name and other.contact_forgotten_at is None
    audit_rows = AuditEvent.objects.filter(subject="retention").count()
    assert forget() == 0  # forgotten already: nothing to do, no second audit row
    assert AuditEvent.objects.filter(subject="retention").count() == audit_rows == 1


def test_the_proposals_step_is_registered_for_the_nightly_run():
    names = [step.run.__name__ for step in _retention_steps]
    assert "expire_stale_proposals" in names
