"""The log file under the data dir, and the masking of NIK, KK and phone numbers in it."""

from __future__ import annotations

import logging
import logging.handlers
import os
import subprocess
import sys

import pytest

from dikjamila.logs import (
    BACKUP_COUNT,
    MAX_BYTES,
    close_logging,
    log_path,
    mask_personal,
    setup_logging,
)
from dikjamila.office import Office

NIK = "6311054506900003"
KK = "6311050101200001"
PHONE = "+62 812-3456-7890"

# -- mask_personal, on its own -------------------------------------------------------------------

MASKED = [
    # NIK and KK number: 16 digits, whole or grouped; the last 4 stay (as mask_nik shows them)
    ("NIK 6311054506900003 ditolak", "NIK ************0003 ditolak"),
    ("nik=6311054506900003, kk=6311050101200001", "nik=************0003, kk=************0001"),
    ('{"applicant_nik": "6311054506900003"}', '{"applicant_nik": "************0003"}'),
    ("KTP_6311054506900003.jpg", "KTP_************0003.jpg"),
    ("NIK: 6311 0545 0690 0003.", "NIK: **** **** **** 0003."),
    ("631105 450690 0003", "****** ****** 0003"),
    ("63.11.05.450690.0003", "**.**.**.******.0003"),
    ("NIK harus 16 angka: 1234567890123456", "NIK harus 16 angka: ************3456"),
    ("６３１１０５４５０６９００００３", "************０００３"),  # full-width, as pasted from a form
    # Indonesian phone numbers, as residents write them; the country code or leading 0 stays
    ("+62 812-3456-7890", "+62 ***-****-7890"),
    ("+6281234567890", "+62*******7890"),
    ("+62-812-3456-7890", "+62-***-****-7890"),
    ("(+62) 812 3456 7890", "(+62) *** **** 7890"),
    ("(+62)81234567890", "(+62)*******7890"),
    ("+62 (812) 3456 7890", "+62 (***) **** 7890"),
    ("62 812 3456 7890", "62 *** **** 7890"),
    ("6281234567890", "62*******7890"),
    ("0812 3456 7890", "0*** **** 7890"),
    ("0812-3456-7890", "0***-****-7890"),
    ("0812.3456.7890", "0***.****.7890"),
    ("(0812) 3456-7890", "(0***) ****-7890"),
    ("081234567890", "0*******7890"),
    ("HP 0852-4812-345", "HP 0***-***2-345"),
    ("Nomor HP 0812345 terlalu pendek.", "Nomor HP 0**2345 terlalu pendek."),
    ("Nomor HP 08123456789012345 terlalu panjang", "Nomor HP 0************2345 terlalu panjang"),
    ("wa.me/6281234567890?text=halo", "wa.me/62*******7890?text=halo"),
    ("tel:+6281234567890", "tel:+62*******7890"),
    # from WhatsApp exports: bidi marks around, U+2011 and NBSP inside, a "~ " prefix
    ("\u202a+62\u00a0812\u20113456\u20117890\u202c: halo", "\u202a+62\u00a0***\u2011****\u20117890\u202c: halo"),
    ("15/02/20 08.30 - ~ +62 812-3456-7890: KK.pdf (file terlampir)",
     "15/02/20 08.30 - ~ +62 ***-****-7890: KK.pdf (file terlampir)"),
    # WhatsApp JIDs (the phone number is the user part)
    ("6281234567890@s.whatsapp.net", "62*******7890@s.whatsapp.net"),
    ("sent to 6281234567890:12@s.whatsapp.net", "sent to 62*******7890:12@s.whatsapp.net"),
    ("6281234567890@c.us", "62*******7890@c.us"),
    ("60123456789@s.whatsapp.net", "*******6789@s.whatsapp.net"),
    ("123456789012345@lid", "***********2345@lid"),
    # foreign numbers in international form
    ("+60 12-345 6789", "+** **-*** 6789"),
    # several in one line
    (f"send_document {PHONE} NIK {NIK} failed", "send_document +62 ***-****-7890 NIK ************0003 failed"),
]


@pytest.mark.parametrize(("text", "expected"), MASKED, ids=[t for t, _ in MASKED])
def test_personal_numbers_are_masked(text, expected):
    assert mask_personal(text) == expected


UNCHANGED = [
    "2026-11-27 08:30:12,345 INFO dikjamila.desk [4242 MainThread] claimed",
    "2026-11-27T08:30:12.123456+07:00",
    "2026-11-27T01:30:12Z",
    "15/02/20 08.30 - Budi Santoso: halo",
    "[15/02/20 08.30.12] Budi Santoso: x",
    "2/15/20, 8:30\u202fPM - Budi: hi",
    "BLG-20261127-0042",
    "Permohonan BLG-20261127-0042 (#812345) diklaim",
    "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6281234567890123456789abcdef0123456789abcdef0123456789abcdef0123",  # a sha256 that starts like a phone
    "blobs/62/81/6281234567890123456789abcdef0123456789abcdef0123456789abcdef0123",
    "550e8400-e29b-41d4-a716-446655440000",
    "12345678-1234-5678-9012-345678901234",
    "postgresql+psycopg://dik@10.0.0.12:5432/dikjamila",
    "listening on 127.0.0.1:8080",
    "<Request object at 0x7f8b8c0d1e2f>",
    "request id 1048576, row version 7, 1732700000.123456",
    "IMG-20200215-WA0001.jpg",
    "WhatsApp Image 2023-06-10 at 22.57.43.jpeg",
    "Gambar WhatsApp 2024-09-20 pukul 12.29.41_c4e26293.jpg",
    "kecamatan 63.11.05, desa 63.11.06.1019",
    "took 0.812 s; 08:30; 0800 1 500 800",
    "",
]


@pytest.mark.parametrize("text", UNCHANGED)
def test_ordinary_log_text_passes_through(text):
    assert mask_personal(text) == text


def test_a_traceback_passes_through_unchanged():
    try:
        {}["service"]
    except KeyError:
        import traceback

        text = traceback.format_exc()
    assert 'File "' in text and ", line " in text
    assert mask_personal(text) == text


def test_mask_nik_is_one_function_still_importable_from_the_desk():
    from dikjamila.desk.base import mask_nik as desk_mask_nik
    from dikjamila.identity.nik import mask_nik

    assert desk_mask_nik is mask_nik
    assert mask_nik(NIK) == "************0003"
    assert mask_nik("") == ""


# -- setup_logging -------------------------------------------------------------------------------

@pytest.fixture
def root_logging():
    """Put the root logger back as it was (level and handlers) after the test."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield root
    close_logging()
    root.setLevel(level)
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)


def _ours(root: logging.Logger) -> list[logging.Handler]:
    return [h for h in root.handlers if getattr(h, "_dikjamila_handler", False)]


def test_setup_makes_the_folder_and_a_rotating_utf8_file(tmp_path, root_logging):
    path = setup_logging(tmp_path / "kantor")
    assert path == log_path(tmp_path / "kantor") == tmp_path / "kantor" / "logs" / "dikjamila.log"
    assert path.is_file()
    (handler,) = _ours(root_logging)
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    assert (handler.maxBytes, handler.backupCount, handler.encoding) == (MAX_BYTES, BACKUP_COUNT, "utf-8")
    assert MAX_BYTES == 1_000_000 and BACKUP_COUNT == 5
    logging.getLogger("dikjamila.test").info("Catatan: Siti Aminah — ruang tunggu ✓")
    assert "Siti Aminah — ruang tunggu ✓" in path.read_text(encoding="utf-8")


def test_setup_twice_or_for_another_data_dir_does_not_stack_handlers(tmp_path, root_logging):
    first = setup_logging(tmp_path / "a", console=True)
    setup_logging(tmp_path / "a", console=True)
    assert len(_ours(root_logging)) == 2  # one file, one console
    second = setup_logging(tmp_path / "b")
    assert len(_ours(root_logging)) == 1
    logging.getLogger("dikjamila.test").warning("only in b")
    assert "only in b" not in first.read_text(encoding="utf-8")
    assert second.read_text(encoding="utf-8").count("only in b") == 1


def test_the_file_rotates_near_one_megabyte(tmp_path, root_logging):
    path = setup_logging(tmp_path)
    line = "x" * 999
    for _ in range(1100):
        logging.getLogger("dikjamila.test").info(line)
    assert path.with_name("dikjamila.log.1").is_file()
    assert path.stat().st_size <= MAX_BYTES


def test_nik_and_phone_in_arguments_and_exceptions_are_masked_in_the_file(tmp_path, root_logging):
    path = setup_logging(tmp_path)
    logger = logging.getLogger("dikjamila.desk.test")
    logger.info("intake: applicant NIK %s, KK %s, WhatsApp %s", NIK, KK, PHONE)
    try:
        raise ValueError(f"NIK {NIK} milik orang lain; kirim ke 6281234567890@s.whatsapp.net gagal")
    except ValueError:
        logger.exception("sending to %s failed", PHONE)
    logger.warning("stack", stack_info=True, extra={"note": NIK})
    text = path.read_text(encoding="utf-8")
    for raw in (NIK, KK, "81234567890", "812-3456-7890", "3456-7890"):
        assert raw not in text
    assert "************0003" in text and "************0001" in text
    assert "+62 ***-****-7890" in text and "62*******7890@s.whatsapp.net" in text
    assert "Traceback (most recent call last)" in text and "ValueError" in text


def test_the_console_handler_masks_too_and_follows_stderr(tmp_path, root_logging, capsys):
    setup_logging(tmp_path, console=True, console_level=logging.WARNING)
    logging.getLogger("dikjamila.test").info("quiet %s", NIK)
    logging.getLogger("dikjamila.test").warning("loud %s", NIK)
    err = capsys.readouterr().err
    assert "quiet" not in err
    assert "loud ************0003" in err and NIK not in err


def test_the_console_gets_no_traceback_the_file_keeps_it(tmp_path, root_logging, capsys):
    """Whoever typed the command reads one line and the Indonesian message; the log has the rest."""
    setup_logging(tmp_path, console=True, console_level=logging.WARNING)
    try:
        raise ValueError("driver detail")
    except ValueError:
        logging.getLogger("dikjamila.test").warning("database could not be opened", exc_info=True)
    err = capsys.readouterr().err
    assert "database could not be opened (details in the log file)" in err
    assert "Traceback" not in err and "driver detail" not in err
    text = log_path(tmp_path).read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "driver detail" in text


# -- a real start of the command line ------------------------------------------------------------

def test_the_command_line_writes_a_masked_log_in_the_data_dir(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DIKJAMILA_HOME"}
    env.update(XDG_DATA_HOME=str(tmp_path / ".xdg-data"), XDG_CONFIG_HOME=str(tmp_path / ".xdg-config"))
    data_dir = tmp_path / "kantor"
    Office.open(data_dir).close()  # `check` only reads: it needs an existing office
    # An unknown request "number" made of an NIK and a phone number: the refusal quoting it is logged.
    done = subprocess.run(
        [sys.executable, "-m", "dikjamila.cli.main", "check", f"NIK {NIK} HP {PHONE}", "--data-dir", str(data_dir)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert "tidak ditemukan" in done.stderr  # the operator still sees what they typed
    text = log_path(data_dir).read_text(encoding="utf-8")
    assert "command check" in text and "refused" in text
    assert NIK not in text and "812-3456-7890" not in text and "3456-7890" not in text
    assert "NIK ************0003 HP +62 ***-****-7890" in text


def test_two_numbers_joined_by_a_bracket_are_both_masked():
    from dikjamila.logs import mask_personal
    masked = mask_personal("send to +6281234567890 (0812-3456-7890, x)")
    assert "3456" not in masked.replace("7890", "") and "1234" not in masked
