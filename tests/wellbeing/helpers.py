"""Helpers for the questionnaire tests: a person who answered, at a date."""

import time_machine

from omzien.accounts.permissions import SYSTEM
from omzien.wellbeing import services
from omzien.wellbeing.instruments import QUESTIONNAIRE

NOT_LONELY = ["nee", "ja", "ja", "nee", "ja", "nee"]
LONELY = ["ja", "nee", "nee", "ja", "nee", "ja"]


def answered(person, place, day, djg6=NOT_LONELY, *, health="goed", acting_user=SYSTEM):
    """The person takes the questionnaire on ``day`` (through the services, as the door)."""
    with time_machine.travel(f"{day.isoformat()} 10:00 +01:00", tick=False):
        draft = services.start(person, place, consent=True, acting_user=acting_user, today=day)
        for number, answer in enumerate(djg6, start=1):
            services.save_answer(draft, "djg6", number, answer, acting_user=acting_user)
        services.save_answer(draft, "health", 1, health, acting_user=acting_user)
        return services.finish(draft, acting_user=acting_user, today=day)


__all__ = ["QUESTIONNAIRE", "answered"]
