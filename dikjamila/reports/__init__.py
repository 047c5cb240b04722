"""Service reports: volume, service time, complaints and IKM for a day, month or year.

`parse_period` reads the period, `build_report` reads the figures (plain dataclasses),
`report_csv` and `report_pdf` turn them into files; `footnotes` says what each figure counts.
"""
