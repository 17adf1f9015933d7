"""Calendar arithmetic that a volunteer would do the same way."""

import calendar
from datetime import date


def shift_years(day: date, years: int) -> date:
    """The same day ``years`` later (earlier when negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def shift_months(day: date, months: int) -> date:
    """The same day ``months`` later (earlier when negative), or the month's last day
    when it has no such day (31 March minus one month is 28 or 29 February)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


def week_parity(day):
    """0 or 1 for the week of a day given as ``date.toordinal()`` (a number, or a numpy
    array of them): day 1, 1 January of year 1, was a Monday, so the weeks run Monday to
    Sunday and alternate without a break at New Year, where ISO week numbers restart (a
    year of 53 weeks would put two odd weeks together)."""
    return ((day - 1) // 7) % 2
