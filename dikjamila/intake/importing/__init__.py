"""Importing WhatsApp chat exports into requests (issue 8, item 4).

The desk method is `Desk.import_chat` (`dikjamila.desk.chat_import`); this package holds what
it needs that is not database work: the summary, the errors, telling the office's side of a
chat from the residents', and storing the export's files.
"""

from dikjamila.intake.importing.errors import DayOrderNeeded
from dikjamila.intake.importing.summary import ImportCancelled, ImportSummary

__all__ = ["DayOrderNeeded", "ImportCancelled", "ImportSummary"]
