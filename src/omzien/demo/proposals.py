"""The demo's "Nieuwe plannen": one idea waiting for a coordinator, two on the public
board with people who would join, one of them past the region's threshold (so its
coordinators were mailed), all through the proposals' own services."""

from dataclasses import dataclass

from omzien.accounts.permissions import SYSTEM
from omzien.agenda.models import Category
from omzien.places.models import Region, Village
from omzien.proposals import services
from omzien.proposals.models import Proposal
from omzien.proposals.services import Contact, Idea


@dataclass(frozen=True)
class DemoProposal:
    idea: Idea
    proposer: str
    approved: bool
    # How many more than the region's threshold join (None: ``joining`` people).
    past_threshold_by: int | None = None
    joining: int = 0


# Who says "ik doe mee": every other one only counted (no name kept without consent).
JOINERS = ["Ria", "Wim", "Truus", "Henk", "Gerda", "Bert", "Joke", "Harm", "Dinie", "Evert"]


def _proposals(villages: dict[str, Village]) -> list[DemoProposal]:
    return [
        DemoProposal(
            Idea(
                title="Samen koken in Twello",
                village=villages["twello"],
                description=(
                    "Eens per maand samen een maaltijd koken en opeten, met wat het "
                    "seizoen geeft. Alleen eten is niet gezellig."
                ),
                category=Category.MEAL,
                when="Eens per maand op donderdagmiddag",
                days=["do"],
                parts=["middag"],
                bring="Ik kook graag en heb recepten genoeg; een keuken zoeken we nog.",
            ),
            proposer="Marja",
            approved=True,
            past_threshold_by=1,
        ),
        DemoProposal(
            Idea(
                title="Wandelgroep Wilp",
                village=villages["wilp"],
                description="Elke week een rustig rondje door het dorp en langs de IJssel.",
                category=Category.EXERCISE,
                when="Dinsdagochtend, een uur",
                days=["di"],
                parts=["ochtend"],
                bring="Ik ken de paden en loop het tempo van de langzaamste.",
            ),
            proposer="Jan",
            approved=True,
            joining=2,
        ),
        DemoProposal(
            Idea(
                title="Repair café Terwolde",
                village=villages["terwolde"],
                description="Kapotte spullen samen repareren in plaats van weggooien.",
                category=Category.OTHER,
                when="Een zaterdagochtend per maand",
                days=["za"],
                parts=["ochtend"],
                bring="Gereedschap en dertig jaar ervaring als elektricien.",
            ),
            proposer="Klaas",
            approved=False,
        ),
    ]


def create_demo_proposals(region: Region) -> int:
    """The demo's proposals, once (nothing added when the region has some); returns how
    many were created."""
    if Proposal.objects.filter(village__region=region).exists():
        return 0
    villages = {village.slug: village for village in region.villages.all()}
    created = 0
    for demo in _proposals(villages):
        proposal = services.propose(
            demo.idea,
            Contact(first_name=demo.proposer, phone="0612345678", consent=True),
            acting_user=SYSTEM,
        )
        created += 1
        if not demo.approved:
            continue
        services.approve(proposal, acting_user=SYSTEM)
        joining = demo.joining
        if demo.past_threshold_by is not None:
            joining = region.proposal_threshold + demo.past_threshold_by
        for number in range(joining):
            services.join(proposal, _joiner(number), acting_user=SYSTEM)
    return created


def _joiner(number: int) -> Contact:
    if number % 2:
        return Contact()  # just counted
    name = JOINERS[number // 2 % len(JOINERS)]
    return Contact(first_name=name, phone=f"06123450{number:02d}", consent=True)
