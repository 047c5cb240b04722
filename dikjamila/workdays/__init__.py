"""The office's working-day calendar (hari kerja), and due times counted on it (pure Python).

Weekends, national holidays (libur nasional) and collective leave (cuti bersama) are days off.
One file per year is bundled, `resources/kalender/<year>.toml`, from that year's SKB 3 Menteri.
An office adds its own files in its calendar folder (setting `calendar_override_dir`, empty =
`<data dir>/kalender`): local days off, a day that is a working day after all, a whole year.

    # Source: ... (who decided these days, and when)
    year = 2026                      # optional: the file covers this year (all its dates in it)
    source = "SKB ..."               # optional text
    replace = false                  # optional, office files only, needs `year`: true drops
                                     #   the bundled days of that year first (a new SKB)

    [[days]]                         # one per date
    date = 2026-08-17                # a TOML date (or the text "2026-08-17")
    name = "Proklamasi Kemerdekaan"  # shown to operators; may be empty for kind = "masuk"
    kind = "libur_nasional"          # libur_nasional | cuti_bersama | libur_daerah | masuk
    note = "..."                     # optional remark (e.g. "perkiraan")

A day in an office file replaces the bundled day of the same date; `kind = "masuk"` makes
that date a working day (even a Saturday). Office files are read in file-name order; of two
that name one date the later wins. A year no file covers still has its weekends off (and a
warning in the log, once).
"""

from dikjamila.workdays.loader import load_calendar, office_calendar_dir
from dikjamila.workdays.model import CalendarError, Day, DayKind
from dikjamila.workdays.workcalendar import WorkCalendar

__all__ = ["CalendarError", "Day", "DayKind", "WorkCalendar", "load_calendar", "office_calendar_dir"]
