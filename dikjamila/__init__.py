"""Dik Jamila core: everything the workstation does, without Qt.

The Qt package `ui/` sits on top of this one; nothing here may import Qt or `ui`.
"""

__version__ = "0.1.0"
