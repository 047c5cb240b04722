"""Render the README pictures of the generated paperwork: a receipt and a berkas-kurang notice.

    .venv/bin/python tools/render_paperwork_docs.py [docs/]

A throw-away office gets one demo-like birth-certificate request (two files received, the
rest missing); its receipt and notice are made through the desk and turned into PNGs with
`pdftoppm -png -r 80` (poppler-utils): `tanda-terima.png`, `pemberitahuan-berkas-kurang.png`.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _render(pdf: bytes, target: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(source),
                        str(Path(work) / "page")], check=True)
        shutil.copyfile(Path(work) / "page.png", target)


def main(out_dir: str = "docs") -> int:
    sys.path.insert(0, str(ROOT))
    from dikjamila.config import Settings
    from dikjamila.demo.paperwork import document_pdf, document_photo
    from dikjamila.desk import NewRequest
    from dikjamila.office import Office

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        office = Office.open(Path(data) / "kantor")
        try:
            office.add_user(None, username="admin", full_name="Admin Kantor", role="admin", password="demo-12345")
            admin = office.actor_for("admin")
            office.update_settings(admin, Settings(
                office_name="Dinas Kependudukan dan Pencatatan Sipil",
                office_address="Jl. A. Yani Km 1,5, Paringin, Kabupaten Balangan, Kalimantan Selatan 71611",
                whatsapp_numbers=["+6281150001234"]))
            desk = office.desk(admin)
            d = desk.create_request(NewRequest(
                service_code="akta_kelahiran", applicant_name="Ṣiti Ñurul Ħasanah", channel="whatsapp",
                applicant_phone="0812-5123-4567", applicant_nik="6311055207950002", kecamatan_code="63.11.05",
                facts={"applicant_is_subject": True, "foundling": False}))
            photo = document_photo("SURAT KETERANGAN LAHIR", holder="Bayi Ny. Siti", rng=random.Random(9))
            desk.attach_file(d.id, photo,
                             "IMG-20261201-WA0004.jpg", requirement_code="surat_kelahiran")
            desk.attach_file(d.id, document_pdf("KARTU KELUARGA", holder="Ahmad Fauzi"), "KK-Fauzi.pdf",
                             requirement_code="kk")
            _render(desk.receipt_pdf(d.id).data, out / "tanda-terima.png")
            _render(desk.notice_pdf(d.id).data, out / "pemberitahuan-berkas-kurang.png")
        finally:
            office.close()
    print(f"{out / 'tanda-terima.png'}\n{out / 'pemberitahuan-berkas-kurang.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
