"""`dikjamila backup-folder` and `dikjamila restore-folder`: the scheduled folder backup by hand.

    dikjamila backup-folder [--folder FOLDER] [--keep N] [--check]   a copy now (default: backup_dir)
    dikjamila backup-folder --list [--folder FOLDER]                 the copies in the folder
    dikjamila restore-folder [--folder FOLDER] [--copy NAME]        put a copy back (close the app first)
"""

from __future__ import annotations

from pathlib import Path

from dikjamila.cli.common import add_command, open_office
from dikjamila.errors import UserError
from dikjamila.i18n import tr


def register(sub) -> None:
    p = add_command(sub, "backup-folder", help="cadangan ke folder (disk lain): salinan basis data baru + lampiran "
                                               "yang belum ada di sana")
    p.add_argument("--folder", metavar="FOLDER", help="folder cadangan (bawaan: backup_dir di pengaturan)")
    p.add_argument("--keep", type=int, metavar="N", help="simpan N salinan terbaru (bawaan: backup_keep, 14)")
    p.add_argument("--check", action="store_true",
                   help="periksa ulang isi setiap lampiran yang sudah ada di folder (lebih lama)")
    p.add_argument("--list", action="store_true", help="hanya tampilkan salinan yang ada di folder")
    p.set_defaults(run=run_backup_folder)
    p = add_command(sub, "restore-folder", help="pulihkan dari folder cadangan (tutup aplikasi dulu)")
    p.add_argument("--folder", metavar="FOLDER", help="folder cadangan (bawaan: backup_dir di pengaturan)")
    p.add_argument("--copy", metavar="NAMA", help="salinan yang dipulihkan, mis. cadangan-20261127-083000 "
                                                  "(bawaan: yang terbaru)")
    p.set_defaults(run=run_restore_folder)


def _folder(args, settings) -> Path:
    folder = args.folder or settings.backup_dir
    if not folder:
        raise UserError(tr("Folder cadangan belum diatur: beri --folder atau isi backup_dir di pengaturan."))
    return Path(folder)


def run_backup_folder(args) -> int:
    from dikjamila.backup_folder import backup_to_folder, list_copies
    from dikjamila.desk.timezone import WITA

    office = open_office(args, create=False)  # a backup of an empty office made just now helps nobody
    try:
        folder = _folder(args, office.settings)
        if args.list:
            if not folder.is_dir():
                raise UserError(tr("Folder cadangan {path} tidak ada atau tidak terjangkau.", path=folder))
            for copy in list_copies(folder):
                line = tr("{name}  {when:%d-%m-%Y %H:%M}  {n} lampiran  {mb:.1f} MB basis data", name=copy.name,
                          when=copy.created.astimezone(WITA), n=len(copy.blobs), mb=copy.database_bytes / 1e6)
                if copy.office_id:  # which office's, for a folder holding older copies of another
                    line += "  " + tr("kantor: {office} ({code})", office=copy.office_name or "?",
                                      code=copy.office_id[:8])
                print(line)
            return 0
        keep = office.settings.backup_keep if args.keep is None else args.keep
        result = backup_to_folder(office.paths, office.db, office.store, folder, keep=keep,
                                  check_existing=args.check)
    finally:
        office.close()
    print(tr("Cadangan dibuat: {path} ({n} lampiran; {copied} berkas baru disalin, {mb:.1f} MB).",
             path=result.database, n=result.blobs, copied=result.copied_files, mb=result.copied_bytes / 1e6))
    if result.removed_copies:
        print(tr("{n} salinan lama dihapus ({files} berkas lampiran yang tidak diperlukan lagi); {keep} terbaru "
                 "disimpan.", n=result.removed_copies, files=result.pruned_files, keep=keep))
    if result.audit_head:
        print(tr("Kepala rantai audit dalam cadangan: {head}", head=result.audit_head))
    if result.same_disk:
        print(tr("Perhatian: folder cadangan ada di disk yang sama dengan data kantor. Bila disk itu rusak, "
                 "cadangan ikut hilang; sebaiknya pakai disk lain atau komputer lain."))
    return 0


def run_restore_folder(args) -> int:
    from dikjamila.backup_folder import restore_from_folder
    from dikjamila.config import load_settings, office_paths

    paths = office_paths(args.data_dir)  # created when new; a file or a read-only place is refused
    folder = _folder(args, load_settings(paths))
    result = restore_from_folder(paths, folder, args.copy)  # with the office's own attachment limits
    print(tr("Dipulihkan ke {path} ({n} lampiran).", path=result.path, n=result.blobs))
    return 0
