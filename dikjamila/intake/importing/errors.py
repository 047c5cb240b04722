"""Why an import stops before it writes anything."""

from __future__ import annotations

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr


class DayOrderNeeded(InvalidInput):
    """The export's dates read both ways (03/04/2026): ask, then import again with `day_first`.

    `example` is a date of the file as written, for the question.
    """

    def __init__(self, file_name: str, example: str):
        super().__init__(tr("Urutan tanggal di {name} tidak bisa dipastikan (misalnya {example}): "
                            "pilih tanggal/bulan atau bulan/tanggal.", name=file_name, example=example))
        self.example = example
