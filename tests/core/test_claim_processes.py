"""Two processes claiming one request on one SQLite file: exactly one wins."""

from __future__ import annotations

import multiprocessing as mp

from dikjamila.errors import Conflict
from dikjamila.office import Office

from .conftest import new_request

ROUNDS = 12


def _claimer(data_dir: str, username: str, ids: list[int], start, results) -> None:
    office = Office.open(data_dir)
    desk = office.desk(office.actor_for(username))
    start.wait(timeout=60)  # both processes begin at the same moment
    for rid in ids:
        try:
            desk.claim(rid)
            results.put((rid, username, "won"))
        except Conflict as exc:
            results.put((rid, username, exc.message))
    office.close()


def test_two_processes_claiming_the_same_requests_each_have_one_winner(staffed_office, staff):
    desk = staffed_office.desk(staff["hasan"])
    ids = [desk.create_request(new_request(applicant_name=f"Warga {i}")).id for i in range(ROUNDS)]
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(2)
    results = ctx.Queue()
    folder = str(staffed_office.paths.data_dir)
    procs = [ctx.Process(target=_claimer, args=(folder, user, ids, start, results)) for user in ("sari", "budi")]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in range(2 * ROUNDS)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    names = {"sari": "Sari Operator", "budi": "Budi Operator"}
    for rid in ids:
        mine = [o for o in outcomes if o[0] == rid]
        winners = [user for _, user, result in mine if result == "won"]
        assert len(winners) == 1, mine
        loser_message = next(result for _, _, result in mine if result != "won")
        assert names[winners[0]] in loser_message  # the loser is told who has it
        assert desk.get_request(rid, record_view=False).assignee_name == names[winners[0]]
