"""Reading calendar files: the bundled `resources/kalender/*.toml`, then the office's folder.

Every problem found is reported, not only the first, as "<file>: <key or line>: <what is
wrong>" in Bahasa Indonesia (as the SOP loader does); `days[3]` is the third `[[days]]`
block. The file format is described in `dikjamila.workdays`.
"""

from __future__ import annotations

import difflib
import re
import threading
import tomllib
from datetime import date, datetime
from pathlib import Path

from dikjamila.config import Paths, Settings
from dikjamila.i18n import tr
from dikjamila.resources import resource_path
from dikjamila.workdays.model import CalendarError, Day, DayKind
from dikjamila.workdays.workcalendar import WorkCalendar

_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_TOP_KEYS = ("year", "source", "replace", "days")
_DAY_KEYS = ("date", "name", "kind", "note")
_KINDS = tuple(k.value for k in DayKind)
_FIRST_YEAR, _LAST_YEAR = 2000, 2999


class _File:
    """One calendar file, read and checked. `errors` lists its problems (empty: usable)."""

    def __init__(self, path: Path, label: str):
        self.label = label
        self.errors: list[str] = []
        self.year: int | None = None
        self.replace = False
        self.days: list[Day] = []
        data = self._toml(path)
        if data is not None:
            self._parse(data)

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{self.label}: {where}: {message}")

    def _toml(self, path: Path) -> dict | None:
        try:
            text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        except OSError as exc:
            self.errors.append(f"{self.label}: " + tr("file tidak dapat dibaca ({why})", why=exc.strerror or exc))
            return None
        except UnicodeDecodeError:
            self.errors.append(f"{self.label}: " + tr("file harus berupa teks UTF-8"))
            return None
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            where = _TOML_POS.search(str(exc))
            place = tr("baris {line}, kolom {col}", line=where[1], col=where[2]) if where else "?"
            self.error(place, tr("TOML tidak sah ({detail})", detail=_TOML_POS.sub("", str(exc))))
            return None

    def _unknown_keys(self, table: dict, allowed: tuple[str, ...], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = tr(" (maksudnya '{key}'?)", key=close[0]) if close else ""
                self.error(f"{prefix}{key}", tr("kunci tidak dikenal") + hint)

    def _parse(self, data: dict) -> None:
        self._unknown_keys(data, _TOP_KEYS, "")
        year = data.get("year")
        if "year" in data and (type(year) is not int or not _FIRST_YEAR <= year <= _LAST_YEAR):
            self.error("year", tr("harus tahun berupa bilangan bulat, mis. 2027"))
        elif "year" in data:
            self.year = year
        replace = data.get("replace", False)
        if not isinstance(replace, bool):
            self.error("replace", tr("harus true atau false"))
        elif replace and self.year is None:
            self.error("replace", tr("hanya boleh bersama 'year': tahun mana yang diganti?"))
        else:
            self.replace = replace
        if "source" in data and not isinstance(data["source"], str):
            self.error("source", tr("harus berupa teks"))
        days = data.get("days")
        if days is None:
            self.error("days", tr("wajib diisi: satu blok [[days]] untuk setiap tanggal"))
            return
        if not (isinstance(days, list) and all(isinstance(t, dict) for t in days)):
            self.error("days", tr("harus berupa daftar blok [[days]]"))
            return
        seen: dict[date, int] = {}
        for i, table in enumerate(days, 1):
            day = self._day(table, f"days[{i}].")
            if day is None:
                continue
            if day.day in seen:
                self.error(f"days[{i}].date", tr("tanggal {date} sudah ada di days[{other}]",
                                                 date=day.day.isoformat(), other=seen[day.day]))
                continue
            seen[day.day] = i
            self.days.append(day)

    def _day(self, table: dict, prefix: str) -> Day | None:
        self._unknown_keys(table, _DAY_KEYS, prefix)
        before = len(self.errors)
        when = self._date(table, prefix)
        raw_kind = table.get("kind")
        kind = DayKind(raw_kind) if isinstance(raw_kind, str) and raw_kind in _KINDS else None
        if "kind" not in table:
            self.error(f"{prefix}kind", tr("wajib diisi (pilihan: {choices})", choices=", ".join(_KINDS)))
        elif kind is None:
            self.error(f"{prefix}kind", tr("'{kind}' tidak dikenal (pilihan: {choices})",
                                           kind=raw_kind, choices=", ".join(_KINDS)))
        name = table.get("name", "")
        if not isinstance(name, str):
            self.error(f"{prefix}name", tr("harus berupa teks"))
        elif not name.strip() and kind != DayKind.MASUK:
            self.error(f"{prefix}name", tr("wajib diisi, mis. \"Hari Jadi Kabupaten Balangan\""))
        note = table.get("note")
        if note is not None and not isinstance(note, str):
            self.error(f"{prefix}note", tr("harus berupa teks"))
        if len(self.errors) > before or when is None or kind is None:
            return None
        return Day(when, name.strip() or tr("Hari kerja"), kind, self.label, note)

    def _date(self, table: dict, prefix: str) -> date | None:
        value = table.get("date")
        if "date" not in table:
            self.error(f"{prefix}date", tr("wajib diisi, mis. 2026-08-17"))
            return None
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                pass
        if isinstance(value, datetime) or not isinstance(value, date):
            self.error(f"{prefix}date", tr("harus tanggal saja (tahun-bulan-tanggal), mis. 2026-08-17"))
            return None
        if self.year is not None and value.year != self.year:
            self.error(f"{prefix}date", tr("{date} tidak di tahun {year} (lihat 'year' di atas)",
                                           date=value.isoformat(), year=self.year))
            return None
        return value


def _read_folder(folder: Path, *, full_names: bool = False) -> list[_File]:
    """Every `*.toml` of `folder`, by name; an office's files are named by their full path
    in messages (the IT person must find them), the bundled ones by their name."""
    return [_File(path, str(path) if full_names else path.name) for path in sorted(folder.glob("*.toml"))]


def _build(override_dir: Path | None) -> WorkCalendar:
    """Bundled years first; an override file with `replace = true` empties its year first;
    then every override day (in file-name order) adds to or replaces the day of that date."""
    bundled = _read_folder(resource_path("kalender"))
    office = _read_folder(override_dir, full_names=True) if override_dir is not None else []
    errors = [e for f in bundled + office for e in f.errors]
    if errors:
        raise CalendarError(errors)
    days: dict[date, Day] = {d.day: d for f in bundled for d in f.days}
    for year in {f.year for f in office if f.replace}:
        days = {k: v for k, v in days.items() if k.year != year}
    for f in office:
        days.update({d.day: d for d in f.days})
    years = {f.year for f in bundled + office if f.year is not None}
    return WorkCalendar(days.values(), years)


def _signature(folder: Path | None) -> tuple:
    """What changes when a file in `folder` is added, removed or edited."""
    if folder is None:
        return ()
    try:
        return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.toml")))
    except OSError:  # a file vanished between the listing and the stat: read it all again
        return (object(),)


_cache: dict[Path | None, tuple[tuple, WorkCalendar]] = {}
_lock = threading.Lock()


def load_calendar(override_dir: Path | None = None) -> WorkCalendar:
    """The bundled calendar plus the office's `override_dir/*.toml` (a missing folder counts
    as empty). Any broken file, bundled or the office's, raises `CalendarError` (an
    InvalidInput) listing every problem: a calendar is never half-loaded.

    Kept per folder while no file in it (or in the bundled folder) changes, so callers may
    ask at every use and still see an edit at once.
    """
    folder = Path(override_dir) if override_dir is not None and Path(override_dir).is_dir() else None
    signature = (_signature(resource_path("kalender")), _signature(folder))
    with _lock:
        cached = _cache.get(folder)
        if cached is not None and cached[0] == signature:
            return cached[1]
        calendar = _build(folder)
        _cache[folder] = (signature, calendar)
        return calendar


def office_calendar_dir(paths: Paths, settings: Settings) -> Path:
    """An office's calendar folder: the setting `calendar_override_dir`, else `<data dir>/kalender`."""
    return Path(settings.calendar_override_dir) if settings.calendar_override_dir else paths.data_dir / "kalender"
