"""What a process holds in memory, read from Linux /proc (all sizes in kB)."""

from __future__ import annotations

from pathlib import Path


def status_kb(pid: int | str, *fields: str) -> dict[str, int]:
    """Fields of /proc/PID/status in kB (VmRSS, VmHWM, RssAnon, …; Threads as a count)."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                name, _, rest = line.partition(":")
                if name in fields:
                    out[name] = int(rest.split()[0])
    except (OSError, ValueError):
        pass
    return out


def rollup_kb(pid: int | str) -> dict[str, int]:
    """/proc/PID/smaps_rollup in kB, with USS (private clean + dirty) added."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and parts[-1] == "kB":
                    out[parts[0].rstrip(":")] = int(parts[1])
    except (OSError, ValueError):
        return out
    out["Uss"] = out.get("Private_Clean", 0) + out.get("Private_Dirty", 0)
    return out


def smaps_by_mapping(pid: int | str, top: int = 14) -> list[tuple[str, int, int]]:
    """[(mapping, RSS kB, private kB)] largest first: a library's file name, [heap], [anon], …"""
    totals: dict[str, list[int]] = {}
    name = "?"
    try:
        with open(f"/proc/{pid}/smaps", encoding="utf-8", errors="replace") as f:
            for line in f:
                first = line.split(maxsplit=5)
                if not first:
                    continue
                if "-" in first[0] and len(first[0]) > 8 and ":" not in first[0]:  # a mapping's header
                    path = first[5].strip() if len(first) > 5 else "[anon]"
                    name = Path(path).name if path.startswith("/") else path
                    totals.setdefault(name, [0, 0])
                elif first[0] == "Rss:":
                    totals[name][0] += int(first[1])
                elif first[0] in ("Private_Clean:", "Private_Dirty:"):
                    totals[name][1] += int(first[1])
    except OSError:
        return []
    rows = sorted(((n, v[0], v[1]) for n, v in totals.items()), key=lambda r: -r[1])
    return rows[:top]
