"""An SQLite database on a network share is refused, with the reason and the way to PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from dikjamila.db.network_share import mount_type, network_share_problem
from dikjamila.errors import UserError
from dikjamila.office import Office

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//fileserver/kantor /mnt/kantor cifs rw,vers=3.0 0 0
nas:/export/data /srv/nas nfs4 rw 0 0
/dev/sdb1 /mnt/kantor/lokal ext4 rw 0 0
/dev/sdc1 /media/usb\\040data vfat rw 0 0
"""


@pytest.mark.parametrize("path, fs", [
    ("/home/sari/dikjamila/dikjamila.sqlite3", "ext4"),
    ("/mnt/kantor/dikjamila.sqlite3", "cifs"),
    ("/mnt/kantor/lokal/dikjamila.sqlite3", "ext4"),  # a local disk mounted inside the share
    ("/srv/nas/x/dikjamila.sqlite3", "nfs4"),
    ("/mnt/kantorlain/x.sqlite3", "ext4"),  # a longer name is not inside /mnt/kantor
    ("/media/usb data/x.sqlite3", "vfat"),
])
def test_the_mount_holding_a_path_is_found(path, fs):
    assert mount_type(Path(path), MOUNTS) == fs


def test_a_file_on_cifs_or_nfs_is_refused_and_a_local_one_is_not():
    problem = network_share_problem(Path("/mnt/kantor/D/dikjamila.sqlite3"), mounts_text=MOUNTS)
    assert problem and "cifs" in problem and "PostgreSQL" in problem and "migrate-to" in problem
    assert network_share_problem(Path("/srv/nas/D/dikjamila.sqlite3"), mounts_text=MOUNTS)
    assert network_share_problem(Path("/home/sari/D/dikjamila.sqlite3"), mounts_text=MOUNTS) is None


def test_a_windows_unc_path_is_refused_on_any_system():
    problem = network_share_problem(Path(r"\\fileserver\kantor\DikJamila\dikjamila.sqlite3"))
    assert problem and "folder jaringan" in problem


def test_this_machines_own_disk_is_fine(tmp_path):
    assert network_share_problem(tmp_path / "dikjamila.sqlite3") is None  # the real /proc/self/mounts


def test_opening_an_office_on_a_share_says_why(tmp_path):
    with pytest.raises(UserError) as refused:
        Office.open(tmp_path / "kantor", r"sqlite:///\\fileserver\kantor\dikjamila.sqlite3")
    assert "tidak aman dipakai lewat jaringan" in refused.value.message
