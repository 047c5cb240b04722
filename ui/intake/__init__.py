"""Intake on the workstation: how residents' messages and files come in (chat-export import with
its progress and summary, dropped files, watched folders)."""
