"""Accounts over time: password resets, deactivation (the last admin and oneself refused),
reactivation, one's own password, the idle lock's check — and the `dikjamila user` commands.

Every test works on a real office (SQLite file; PostgreSQL too, where the admin rows are
locked against two admins deactivating each other) with real argon2 passwords.
"""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest
from sqlalchemy import select

from dikjamila import audit, changes
from dikjamila.auth import accounts
from dikjamila.auth.roles import Actor
from dikjamila.changes import ChangeKind
from dikjamila.cli.main import main
from dikjamila.db.models import AuditEvent
from dikjamila.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    UserError,
)
from dikjamila.logs import close_logging

from .conftest import PASSWORD, new_request

pytestmark = pytest.mark.both_engines

WRONG = "Nama pengguna atau kata sandi salah."


def _events(office, action: str) -> list[AuditEvent]:
    with office.db.reading() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _chain_intact(office) -> None:
    with office.db.reading() as session:
        assert audit.verify(session) == []


def _no_secret_in_audit(office, *secrets: str) -> None:
    with office.db.reading() as session:
        texts = [e.summary_json for e in session.scalars(select(AuditEvent))]
    for text in texts:
        assert "$argon2" not in text
        for secret in secrets:
            assert secret not in text


def test_an_admin_resets_a_password_the_new_one_signs_in_and_the_old_does_not(staffed_office, staff):
    db = staffed_office.db
    with pytest.raises(UserError, match="minimal 8"):
        accounts.reset_password(db, staff["admin"], "sari", "pendek")
    assert staffed_office.login("sari", PASSWORD).username == "sari"  # a refused reset changed nothing
    with pytest.raises(PermissionDenied):
        accounts.reset_password(db, staff["hasan"], "sari", "kata-sandi-baru")  # a supervisor may not
    with pytest.raises(NotFound, match="Pengguna hantu tidak ada"):
        accounts.reset_password(db, staff["admin"], "hantu", "kata-sandi-baru")

    user = accounts.reset_password(db, staff["admin"], "sari", "kata-sandi-baru")

    assert user.username == "sari" and user.active
    assert staffed_office.login("sari", "kata-sandi-baru").full_name == "Sari Operator"
    with pytest.raises(UserError, match=WRONG):
        staffed_office.login("sari", PASSWORD)
    [event] = _events(staffed_office, "user.reset_password")
    assert event.actor_name == "admin" and event.entity_id == str(user.id)
    assert json.loads(event.summary_json) == {"username": "sari"}
    _no_secret_in_audit(staffed_office, "kata-sandi-baru", PASSWORD)
    _chain_intact(staffed_office)


def test_a_deactivated_user_cannot_sign_in_and_only_their_right_password_learns_why(staffed_office, staff):
    db = staffed_office.db
    marker = _marker(staffed_office)

    done = accounts.deactivate(db, staff["admin"], "budi")

    assert not done.user.active and done.released_requests == ()
    with pytest.raises(PermissionDenied, match="Akun ini sudah dinonaktifkan. Hubungi admin."):
        staffed_office.login("budi", PASSWORD)
    # Someone guessing: the same answer as for a name that does not exist at all.
    for name in ("budi", "hantu"):
        with pytest.raises(UserError) as refused:
            staffed_office.login(name, "tebak-tebakan")
        assert refused.value.message == WRONG
    with pytest.raises(Conflict, match="sudah nonaktif"):
        accounts.deactivate(db, staff["admin"], "budi")
    [event] = _events(staffed_office, "user.deactivate")
    assert event.actor_name == "admin" and json.loads(event.summary_json)["username"] == "budi"
    assert str(done.user.id) in {c.entity_id for c in _changes_after(staffed_office, marker) if c.kind == ChangeKind.USER}

    back = accounts.activate(db, staff["admin"], "budi")

    assert back.active and staffed_office.login("budi", PASSWORD).username == "budi"
    assert len(_events(staffed_office, "user.activate")) == 1
    with pytest.raises(Conflict, match="sudah aktif"):
        accounts.activate(db, staff["admin"], "budi")
    _chain_intact(staffed_office)


def test_deactivation_gives_back_open_work_and_keeps_the_name_on_history(staffed_office, staff):
    budi = staffed_office.desk(staff["budi"])
    held = budi.create_request(new_request(applicant_name="Noor Hayati")).id
    budi.claim(held)
    budi.add_note(held, "Menunggu fotokopi KK.")
    closed = budi.create_request(new_request(applicant_name="Rahmah")).id
    budi.claim(closed)
    budi.reject(closed, "Bukan warga Kabupaten Balangan.")
    complaint = budi.record_complaint(channel="walk_in", text="Antrean terlalu lama di loket.", request_id=held)
    budi.assign_complaint(complaint.id, staff["budi"].id)
    admin = staffed_office.desk(staff["admin"])
    number = admin.get_request(held, record_view=False).number

    done = accounts.deactivate(staffed_office.db, staff["admin"], "budi")

    assert done.released_requests == (number,) and done.released_complaints == (complaint.id,)
    open_one = admin.get_request(held, record_view=False)
    assert open_one.assignee_id is None and open_one.assignee_name == ""
    release = [e for e in admin.history(held) if e.action == "request.release"]
    assert [(e.actor_name, e.summary) for e in release] == [("admin", {"from": "budi", "reason": "user_deactivated"})]
    # What budi did still carries his full name: the note, the finished request, the user list
    # the history's Petugas column reads names from.
    assert [n.author_name for n in open_one.notes] == ["Budi Operator"]
    assert admin.get_request(closed, record_view=False).assignee_name == "Budi Operator"
    assert {u.username: u.full_name for u in admin.users()}["budi"] == "Budi Operator"
    assert "budi" in {e.actor_name for e in admin.history(held)}
    assert admin.complaint(complaint.id).status == "open" and admin.complaint(complaint.id).assignee_id is None
    _chain_intact(staffed_office)


def test_a_deactivated_users_open_session_changes_nothing_more(staffed_office, staff):
    """Budi is still signed in on his PC when the admin deactivates him: his next save is refused."""
    budi = staffed_office.desk(staff["budi"])
    request_id = budi.create_request(new_request(applicant_name="Siti Rahmah")).id
    accounts.deactivate(staffed_office.db, staff["admin"], "budi")
    with pytest.raises(PermissionDenied, match="sudah dinonaktifkan"):
        budi.claim(request_id)
    with pytest.raises(PermissionDenied, match="sudah dinonaktifkan"):
        budi.add_note(request_id, "Catatan setelah dinonaktifkan")
    detail = staffed_office.desk(staff["admin"]).get_request(request_id, record_view=False)
    assert detail.assignee_id is None and list(detail.notes) == []
    accounts.activate(staffed_office.db, staff["admin"], "budi")
    budi.claim(request_id)  # back at work once reactivated
    _chain_intact(staffed_office)


def test_a_request_cannot_be_handed_to_a_deactivated_user(staffed_office, staff):
    """It would sit with someone who left: the supervisor is told, and the request stays put."""
    hasan = staffed_office.desk(staff["hasan"])
    request_id = hasan.create_request(new_request(applicant_name="Siti Rahmah")).id
    accounts.deactivate(staffed_office.db, staff["admin"], "budi")
    with pytest.raises(InvalidInput, match="Budi Operator tidak dapat menangani permohonan"):
        hasan.assign(request_id, staff["budi"].id)
    with pytest.raises(InvalidInput, match="tidak dapat menangani permohonan"):
        hasan.assign(request_id, staff["kios1"].id)  # a kiosk account takes no requests either
    assert hasan.get_request(request_id, record_view=False).assignee_id is None
    hasan.assign(request_id, staff["sari"].id)  # an active operator: as before
    assert hasan.get_request(request_id, record_view=False).assignee_name == "Sari Operator"


def test_the_last_active_admin_and_oneself_cannot_be_deactivated(staffed_office, staff):
    db = staffed_office.db
    with pytest.raises(PermissionDenied, match="akun Anda sendiri"):
        accounts.deactivate(db, staff["admin"], "admin")
    it_person = Actor.system("cli:it")
    with pytest.raises(Conflict, match="admin aktif terakhir"):
        accounts.deactivate(db, it_person, "admin")
    with pytest.raises(PermissionDenied):
        accounts.deactivate(db, staff["hasan"], "sari")  # only who manages users
    assert staffed_office.login("admin", PASSWORD).role == "admin"

    staffed_office.add_user(staff["admin"], username="kepala", full_name="Kepala Dinas", role="admin",
                            password=PASSWORD)
    accounts.deactivate(db, staffed_office.actor_for("kepala"), "admin")  # another admin remains
    with pytest.raises(Conflict, match="Kepala Dinas adalah admin aktif terakhir"):
        accounts.deactivate(db, it_person, "kepala")  # the deactivated admin no longer counts
    assert [u.username for u in accounts.list_users(db, it_person) if u.role == "admin" and u.active] == ["kepala"]


def test_a_user_changes_their_own_password_knowing_the_old_one(staffed_office, staff):
    db, sari = staffed_office.db, staff["sari"]
    with pytest.raises(InvalidInput, match="Kata sandi lama salah"):
        accounts.change_own_password(db, sari, "bukan-ini-sandinya", "sandi-baru-sari")
    with pytest.raises(InvalidInput, match="berbeda"):
        accounts.change_own_password(db, sari, PASSWORD, PASSWORD)
    with pytest.raises(UserError, match="minimal 8"):
        accounts.change_own_password(db, sari, PASSWORD, "pendek")
    assert staffed_office.login("sari", PASSWORD)

    accounts.change_own_password(db, sari, PASSWORD, "sandi-baru-sari")

    assert staffed_office.login("sari", "sandi-baru-sari").username == "sari"
    with pytest.raises(UserError, match=WRONG):
        staffed_office.login("sari", PASSWORD)
    assert len(_events(staffed_office, "user.change_password")) == 1
    assert len(_events(staffed_office, "user.change_password_failed")) == 1
    _no_secret_in_audit(staffed_office, "sandi-baru-sari", "bukan-ini-sandinya")


def test_the_idle_lock_check_takes_only_the_right_password_of_an_active_account(staffed_office, staff):
    db, sari = staffed_office.db, staff["sari"]
    accounts.confirm_password(db, sari, PASSWORD)
    with pytest.raises(InvalidInput, match="Kata sandi salah"):
        accounts.confirm_password(db, sari, "salah-sekali")
    assert [e.actor_name for e in _events(staffed_office, "user.unlock_failed")] == ["sari"]
    accounts.deactivate(db, staff["admin"], "sari")
    assert not accounts.is_active(db, sari.id)
    with pytest.raises(PermissionDenied, match="dinonaktifkan"):
        accounts.confirm_password(db, sari, PASSWORD)


# -- the `dikjamila user` commands (in this process: `main` as the console script runs it) -----
@pytest.fixture
def run_cli(staffed_office, capsys, monkeypatch):
    """Run `dikjamila user …` on the test's office; (exit code, stdout, stderr)."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["user", *args, "--data-dir", str(staffed_office.paths.data_dir)])
        out = capsys.readouterr()
        return code, out.out, out.err

    yield run
    close_logging()
    root.setLevel(level)
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)


def test_cli_resets_deactivates_activates_and_names_an_unknown_user(run_cli, staffed_office, staff):
    rid = staffed_office.desk(staff["budi"]).create_request(new_request()).id
    staffed_office.desk(staff["budi"]).claim(rid)

    code, out, _ = run_cli("reset-password", "budi", "--password-stdin", stdin="sandi-dari-it\n")
    assert code == 0 and "Kata sandi budi diatur ulang" in out
    assert staffed_office.login("budi", "sandi-dari-it").username == "budi"

    code, out, _ = run_cli("deactivate", "budi")
    assert code == 0 and "budi (Budi Operator) dinonaktifkan" in out
    assert "1 permohonan yang dipegangnya dikembalikan ke antrean" in out
    listed = run_cli("list")[1].splitlines()
    assert any(line.split()[:3] == ["budi", "operator", "nonaktif"] for line in listed)
    with pytest.raises(PermissionDenied):
        staffed_office.login("budi", "sandi-dari-it")

    code, out, _ = run_cli("activate", "budi")
    assert code == 0 and "aktif lagi" in out
    assert staffed_office.login("budi", "sandi-dari-it").username == "budi"

    for command in (("deactivate", "hantu"), ("activate", "hantu")):
        code, out, err = run_cli(*command)
        assert code == 2 and out == "" and err.strip() == "Galat: Pengguna hantu tidak ada."
    code, _, err = run_cli("reset-password", "hantu", "--password-stdin", stdin="sandi-dari-it\n")
    assert code == 2 and "Pengguna hantu tidak ada." in err
    code, _, err = run_cli("deactivate", "admin")
    assert code == 2 and "admin aktif terakhir" in err
    assert [e.actor_name.startswith("cli:") for e in _events(staffed_office, "user.deactivate")] == [True]


def _marker(office) -> int:
    with office.db.reading() as session:
        return changes.latest(session)


def _changes_after(office, marker: int):
    with office.db.reading() as session:
        return changes.since(session, marker).changes
