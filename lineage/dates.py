"""Dates as sources write them: what a date as cited names, read without guessing.

A date that names when the thing happened starts with it: "February 2013", "June 2011, and 2013",
"2014 (as in PQ question)", or with words that place it within it ("towards the end of September 2014").
"last year (as reported June 2015)" names no date of its own: the date in it is the report's, so it gives none.

>>> named_period("February 2013")
(datetime.date(2013, 2, 1), datetime.date(2013, 2, 28))
>>> latest_day("June 2011, and 2013")
datetime.date(2013, 12, 31)
>>> named_year("last year (as reported June 2015)") is None
True
>>> latest_day("towards the end of September 2014 (survey launch)")
datetime.date(2014, 9, 30)
>>> named_period("by September 2014") is None
True
>>> named_period("March 2\u0660\u0661\u0666") is None  # a year in the digits 0-9 alone
True
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
#: A month or a year: a year from 1000 on (year 0000 is no date: it had raised the date module's own error), in
#: the digits 0-9, as every year a file gives (\d had read "March 2\u0660\u0661\u0666" as March 2016; an importer
#: refuses such a cell, naming it: importers.reading.refuse_other_digits).
_WHEN = r"(?:(" + "|".join(MONTHS) + r")\s+)?([1-9][0-9]{3})\b"
#: Words before a month or year that place a day within it ("towards the end of September 2014", "early 2013"),
#: so that the date still starts with it; "by" or "before" would not, and are not read.
_WITHIN = r"(?:(?:towards\s+|around\s+)?the\s+(?:start|beginning|middle|end)\s+of|early|mid|late)\s+"
_STARTS_WITH_WHEN = re.compile(r"^(?:" + _WITHIN + r")?" + _WHEN, re.IGNORECASE)


def _bounds(month: str | None, year: int) -> tuple[dt.date, dt.date]:
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    number = MONTHS.index(month.lower()) + 1
    return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])


def named_period(text: str) -> tuple[dt.date, dt.date] | None:
    """The month or year a date as cited starts with, as first and last day; None when it names neither."""
    match = _STARTS_WITH_WHEN.match(text.strip())
    return _bounds(match.group(1), int(match.group(2))) if match else None


def latest_day(text: str) -> dt.date | None:
    """The last day of the latest month or year a date as cited names ("June 2011, and 2013": 31 December
    2013); None when it does not start with a date."""
    if not named_period(text):
        return None
    return max(_bounds(m.group(1), int(m.group(2)))[1] for m in re.finditer(_WHEN, text, re.IGNORECASE))


def named_year(text: str) -> int | None:
    """The one calendar year a date as cited names, where it starts with it and names no other ("October 2013":
    2013; "June 2011, and 2013": none, two are named)."""
    period = named_period(text)
    years = {int(m.group(2)) for m in re.finditer(_WHEN, text, re.IGNORECASE)}
    return period[0].year if period and len(years) == 1 else None


def academic_year_text(year: int) -> str:
    """2013 -> "2013/14", the way the NPD writes academic years."""
    return f"{year}/{(year + 1) % 100:02d}"


def those_years(first: int, last: int) -> str:
    """How an answer refers back to the academic years ``first`` to ``last``: one year as "that year", where the
    letter and /reach had said "those years" of a child at school in 2015/16 alone.

    >>> those_years(2012, 2016), those_years(2015, 2015)
    ('those years', 'that year')
    """
    return "that year" if first == last else "those years"


def academic_years_text(first: int, last: int) -> str:
    """The academic years ``first`` to ``last`` as the NPD writes them, one year as itself: a data set of 2016/17
    alone had read "2016/17 to 2016/17".

    >>> academic_years_text(2012, 2013), academic_years_text(2016, 2016)
    ('2012/13 to 2013/14', '2016/17')
    """
    if first == last:
        return academic_year_text(first)
    return f"{academic_year_text(first)} to {academic_year_text(last)}"
