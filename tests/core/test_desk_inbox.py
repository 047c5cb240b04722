"""Inbox queries through the desk: filters, sorting, keyset paging, text search, counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from dikjamila.desk import InboxFilter
from dikjamila.errors import InvalidInput, PermissionDenied
from dikjamila.identity import make_nik

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)

PEOPLE = [
    ("Siti Aminah", "0812-3456-7890", "63.11.05", "akta_kelahiran", "whatsapp"),
    ("Ahmad Fauzi", "+62 813 1111 2222", "63.11.06", "kk_baru", "kiosk"),
    ("Noor Aminah", "6285212345678", "63.11.01", "akta_kematian", "walk_in"),
    ("Rahmadi", "0821 5555 6666", "63.11.06", "kia", "whatsapp"),
    ("Gusti Rahmat", "0877-9999-0000", "63.11.03", "pindah", "import"),
]


@pytest.fixture
def filled(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    ids = []
    start = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
    for i in range(30):
        name, phone, kec, service, channel = PEOPLE[i % len(PEOPLE)]
        nik = make_nik(kecamatan_code=kec.replace(".", ""), birth_date=date(1990, 1, 1 + i % 28),
                       sex="P", serial=i + 1)
        detail = desk.create_request(new_request(
            applicant_name=f"{name} {i}", applicant_phone=phone, applicant_nik=nik, kecamatan_code=kec,
            service_code=service, channel=channel, received_at=start + timedelta(hours=i * 6)))
        ids.append(detail.id)
    return desk, ids


def _walk(desk, flt=InboxFilter(), **kw):
    rows, cursor = [], None
    while True:
        page = desk.inbox(flt, after=cursor, **kw)
        rows += page.rows
        cursor = page.next_cursor
        if cursor is None:
            return rows


def test_newest_first_and_paging_visits_every_request_once(filled):
    desk, ids = filled
    rows = _walk(desk, limit=7)
    assert [r.id for r in rows] == sorted(ids, reverse=True)


@pytest.mark.parametrize("sort", ["applicant", "due", "number", "status", "service"])
@pytest.mark.parametrize("descending", [True, False])
def test_every_sort_pages_without_gaps_or_repeats(filled, sort, descending):
    desk, ids = filled
    rows = _walk(desk, sort=sort, descending=descending, limit=4)
    assert sorted(r.id for r in rows) == sorted(ids)
    attr = {"applicant": "applicant_name", "due": "due_at", "number": "number", "status": "status",
            "service": "service_code"}[sort]
    keys = [(getattr(r, attr), r.id) for r in rows]
    assert keys == sorted(keys, reverse=descending)


def test_filters_each_narrow_to_matching_rows(filled, staff):
    desk, ids = filled
    assert {r.service_code for r in _walk(desk, InboxFilter(service="kk_baru"))} == {"kk_baru"}
    assert len(_walk(desk, InboxFilter(service="kk_baru"))) == 6
    assert {r.channel for r in _walk(desk, InboxFilter(channel="kiosk"))} == {"kiosk"}
    assert {r.kecamatan_code for r in _walk(desk, InboxFilter(kecamatan="63.11.06"))} == {"63.11.06"}
    assert len(_walk(desk, InboxFilter(kecamatan="63.11.06"))) == 12
    desk.claim(ids[3])
    mine = _walk(desk, InboxFilter(assignee_id=staff["sari"].id))
    assert [r.id for r in mine] == [ids[3]]
    assert mine[0].assignee_name == "Sari Operator"
    assert len(_walk(desk, InboxFilter(unassigned=True))) == 29
    desk.advance(ids[3], "diperiksa")
    assert [r.id for r in _walk(desk, InboxFilter(statuses=("diperiksa",)))] == [ids[3]]


def test_date_range_uses_office_days(filled):
    desk, ids = filled
    # Requests arrive every 6 h from 2026-11-20 09:00 WITA; 20 Nov (WITA) holds 3 of them.
    rows = _walk(desk, InboxFilter(received_from=date(2026, 11, 20), received_to=date(2026, 11, 20)))
    assert [r.id for r in rows] == sorted(ids[:3], reverse=True)


@pytest.mark.parametrize("typed, expected_count", [
    ("aminah", 12),            # name word, both Siti and Noor Aminah
    ("AMIN", 12),              # prefix, any case
    ("siti aminah", 6),        # all words must match
    ("0812-3456-7890", 6),     # phone as typed locally
    ("+62 812 3456 7890", 6),  # phone in international form
    ("0852 1234", 6),          # phone prefix
    ("tidakada", 0),
])
def test_text_search(filled, typed, expected_count):
    desk, _ = filled
    assert len(_walk(desk, InboxFilter(text=typed))) == expected_count


def test_search_ignores_diacritics_and_reads_subject_names(filled):
    desk, _ = filled
    rid = desk.create_request(new_request(applicant_name="Zulaikhá Nür", subject_name="Bayi Ráhmán")).id
    for typed in ("zulaikha", "NUR", "ráhman", "rahman", "bayi ra", "Zulaikhá-Nür"):
        assert [r.id for r in _walk(desk, InboxFilter(text=typed))] == [rid], typed


def test_search_by_nik_prefix_and_request_number(filled):
    desk, ids = filled
    detail = desk.get_request(ids[7])
    hits = _walk(desk, InboxFilter(text=detail.applicant_nik))
    assert [r.id for r in hits] == [ids[7]]
    assert len(_walk(desk, InboxFilter(text="631106"))) == 12  # NIK prefix of a kecamatan
    assert [r.id for r in _walk(desk, InboxFilter(text=detail.number))] == [ids[7]]
    assert desk.find_number(detail.number.lower()) == ids[7]


def test_text_search_combined_with_filter_and_paging(filled):
    desk, _ = filled
    rows = _walk(desk, InboxFilter(text="aminah", channel="walk_in"), limit=2)
    assert len(rows) == 6 and {r.channel for r in rows} == {"walk_in"}
    assert [r.id for r in rows] == sorted((r.id for r in rows), reverse=True)


def test_search_input_with_fts_syntax_is_harmless(filled):
    desk, _ = filled
    for typed in ['"', "NEAR(", "a OR", "*", "-", "siti)", "^x", "'; DROP TABLE requests; --"]:
        desk.inbox(InboxFilter(text=typed))
    assert len(_walk(desk)) == 30


def test_status_counts_follow_other_filters(filled):
    desk, ids = filled
    desk.claim(ids[0])
    desk.advance(ids[0], "diperiksa")
    counts = desk.status_counts()
    assert counts["baru"] == 29 and counts["diperiksa"] == 1 and counts["selesai"] == 0
    counts = desk.status_counts(InboxFilter(service=desk.get_request(ids[0]).service_code))
    assert counts["baru"] == 5 and counts["diperiksa"] == 1
    assert desk.count(InboxFilter(text="aminah")) == 12


def test_bad_filter_values_are_refused_in_indonesian(filled):
    desk, _ = filled
    with pytest.raises(InvalidInput, match="Status tidak dikenal"):
        desk.inbox(InboxFilter(statuses=("hilang",)))
    with pytest.raises(InvalidInput, match="Urutan"):
        desk.inbox(sort="umur")


def test_kiosk_cannot_see_the_inbox(staffed_office, staff, filled):
    with pytest.raises(PermissionDenied):
        staffed_office.desk(staff["kios1"]).inbox()


def test_several_statuses_page_like_one_ordered_list(filled):
    desk, ids = filled
    for rid in ids[::3]:
        desk.claim(rid)
        desk.advance(rid, "diperiksa")
    for rid in ids[1::7]:
        desk.reject(rid, "Permohonan ganda")
    flt = InboxFilter(statuses=("diperiksa", "ditolak"), kecamatan="63.11.06")
    walked = _walk(desk, flt, limit=2)
    expected = sorted((rid for rid in ids if desk.get_request(rid, record_view=False).status in ("diperiksa", "ditolak")
                       and desk.get_request(rid, record_view=False).kecamatan_code == "63.11.06"), reverse=True)
    assert [r.id for r in walked] == expected and len(expected) > 2


def test_a_request_number_is_found_however_its_serial_is_typed(filled):
    desk, ids = filled
    number = desk.get_request(ids[3], record_view=False).number  # e.g. BLG-20261121-0001
    head, serial = number.rsplit("-", 1)
    short = f"{head}-{int(serial)}"  # BLG-20261121-1
    for typed in (number, number.lower(), f"  {short} "):
        assert [r.id for r in _walk(desk, InboxFilter(text=typed))] == [ids[3]]
    assert desk.count(InboxFilter(text=short)) == 1


def test_counts_with_text_agree_with_the_pages(filled):
    desk, ids = filled
    for rid in ids[:10]:
        desk.claim(rid)
        desk.advance(rid, "diperiksa")
    for flt in (InboxFilter(text="aminah"), InboxFilter(text="aminah", channel="whatsapp"),
                InboxFilter(text="0812"), InboxFilter(text="aminah", statuses=("diperiksa",))):
        assert desk.count(flt) == len(_walk(desk, flt))
    counts = desk.status_counts(InboxFilter(text="aminah"))
    for status, n in counts.items():
        assert n == len(_walk(desk, InboxFilter(text="aminah", statuses=(status,))))
    assert counts["diperiksa"] > 0 and sum(counts.values()) == 12


@pytest.mark.parametrize("common_from", [2, 1_000_000])
@pytest.mark.parametrize("sort", ["applicant", "due", "number", "status", "service"])
@pytest.mark.parametrize("descending", [True, False])
def test_a_sorted_search_pages_in_sort_order_whether_the_word_is_common_or_rare(
        filled, monkeypatch, sort, descending, common_from):
    """A search sorted by anything but arrival: the same rows in the same order as the sorted
    list filtered by hand, page after page — on SQLite both through the index walk of a common
    word (`common_from` 2: "aminah" is common) and through sorting the matches (a rare word)."""
    from dikjamila.db.dialects import sqlite as sqlite_dialect

    monkeypatch.setattr(sqlite_dialect, "COMMON_MATCHES", common_from)
    desk, ids = filled
    desk.claim(ids[0])
    desk.advance(ids[0], "diperiksa")
    everything = _walk(desk, sort=sort, descending=descending, limit=50)
    for typed, wanted in (("aminah", lambda r: "Aminah" in r.applicant_name),
                          ("siti amin", lambda r: r.applicant_name.startswith("Siti Aminah"))):
        expected = [r.id for r in everything if wanted(r)]
        assert len(expected) in (6, 12)
        found = _walk(desk, InboxFilter(text=typed), sort=sort, descending=descending, limit=5)
        assert [r.id for r in found] == expected
        assert all(r.applicant_name for r in found)
    only_checked = _walk(desk, InboxFilter(text="aminah", statuses=("diperiksa",)), sort=sort, limit=5)
    assert [r.id for r in only_checked] == [ids[0]]
