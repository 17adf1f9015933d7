from django.shortcuts import render
from django.utils import timezone

from omzien.agenda.queries import sessions_of_week
from omzien.agenda.recurrence import week_bounds


def home(request):
    today = timezone.localdate()
    monday, sunday = week_bounds(today)
    week = sessions_of_week(monday)
    return render(
        request,
        "core/home.html",
        {
            "today": today,
            "today_sessions": [s for s in week if s.date == today],
            "coming_sessions": [s for s in week if s.date > today],
            "sunday": sunday,
        },
    )
