"""Accounts in the workstation: the users dialog (admin), changing one's own password, and the
idle lock (`window_parts.AccountParts` puts them in the main window)."""
