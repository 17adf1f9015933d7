"""The demo's "Nieuwe plannen": one waiting, two on the board, one past the threshold."""

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from omzien.demo.network import create_network
from omzien.demo.proposals import create_demo_proposals
from omzien.demo.services import create_demo_users
from omzien.proposals.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    region = create_network(date(2026, 3, 2))
    create_demo_users()
    return region


def test_one_waits_two_are_on_the_board_and_one_reached_the_threshold(
    region, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert create_demo_proposals(region) == 3
    by_title = {proposal.title: proposal for proposal in Proposal.objects.all()}
    assert set(by_title) == {"Samen koken in Twello", "Wandelgroep Wilp", "Repair café Terwolde"}
    assert by_title["Repair café Terwolde"].status == Proposal.Status.WAITING
    cooking, walking = by_title["Samen koken in Twello"], by_title["Wandelgroep Wilp"]
    assert cooking.interests.count() == region.proposal_threshold + 1
    assert cooking.threshold_mailed_at is not None
    assert walking.interests.count() == 2 and walking.threshold_mailed_at is None
    # The coordinators of the nearest places heard of it: counts and a link, no names.
    assert mail.outbox and all("Marja" not in message.body for message in mail.outbox)
    board = Client().get(reverse("plans:board")).content.decode()
    assert "Samen koken in Twello" in board and "Wandelgroep Wilp" in board
    assert "Repair café Terwolde" not in board  # not public before approval


def test_twice_adds_nothing(region):
    create_demo_proposals(region)
    before = Proposal.objects.count()
    assert create_demo_proposals(region) == 0
    assert Proposal.objects.count() == before
