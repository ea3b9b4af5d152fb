"""Kill writer processes with SIGKILL at random moments and prove nothing confirmed is lost.

Each writer opens a Store and loops: open a case through CaseService (one transaction: the case,
its stage 1 row and its history), print the reference once the commit has returned, then
acknowledge it (another transaction: stage date, status and history) and print that too. The
parent kills a random writer at a random moment, starts a new one, and repeats. Afterwards:

* ``PRAGMA integrity_check`` is ok and ``foreign_key_check`` finds nothing;
* every reference a writer reported is in the database, and every acknowledgement it reported;
* no transaction is half-written: every case has its stage 1 row and its "opened" history, and a
  case is acknowledged in its stage row, its status and its history all together or not at all;
* the database opens again through Store (whose full check runs after the unclean shutdowns).

Writers are forked from the parent (so one starts in milliseconds); most kills hit a writer that has
already written, some hit one still opening the database. Usage (POSIX only: fork and SIGKILL):
    python tests/stress/kill_writers.py --kills 1000 [--writers 4] [--db FILE] [--seed N]
    python tests/stress/kill_writers.py --writer DB [--count N]   (one writer; with --count it stops after N)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import select
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 20)


def writer(db: str, count: int | None) -> int:
    """One writer process: add and acknowledge cases, reporting each only after its commit returned."""
    sys.path.insert(0, str(ROOT))
    from hoscase.cases import CaseService
    from hoscase.store import Store

    store = Store(db)
    service = CaseService(store, who=f"writer {os.getpid()}", today=TODAY)
    rng = random.Random(os.getpid())
    n = 0
    while count is None or n < count:
        n += 1
        case = service.add_case(
            resident_name=f"Resident {os.getpid()}-{n} Ł€ü", address=f"{n} Stress Row", received="2026-10-01",
            channel="phone", category="Repairs", handler="Priya Shah",
            definition="A complaint written under fire. " + "x" * rng.randint(0, 4000),
        )
        sys.stdout.write(f"ADD {case.reference}\n")
        sys.stdout.flush()
        if rng.random() < 0.5:
            service.acknowledge(case.reference, "2026-10-02")
            sys.stdout.write(f"ACK {case.reference}\n")
            sys.stdout.flush()
    store.close()
    return 0


class Writer:
    """A forked writer process and the lines it has reported (stdout and stderr share one pipe)."""

    def __init__(self, db: Path) -> None:
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: write until killed
            code = 1
            try:
                os.close(read_fd)
                os.dup2(write_fd, 1)
                os.dup2(write_fd, 2)
                # Straight to the pipe, whatever the parent had as sys.stdout (pytest captures it).
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                code = writer(str(db), None)
            except BaseException:  # noqa: BLE001 - shown to the parent as an error line
                import traceback

                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(code)
        os.close(write_fd)
        os.set_blocking(read_fd, False)
        self.pid, self.fd = pid, read_fd
        self.started = time.monotonic()
        self.buffer = b""
        self.confirmed: list[str] = []
        self.errors: list[str] = []
        self.exit_status: int | None = None

    def pump(self) -> bool:
        """Read what the writer has written so far; False at end of file."""
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                return True
            if not chunk:
                return False
            self.buffer += chunk
            *lines, self.buffer = self.buffer.split(b"\n")  # a line cut short by the kill was never confirmed
            for raw in lines:
                line = raw.decode("utf-8", "replace")
                (self.confirmed if line.startswith(("ADD ", "ACK ")) else self.errors).append(line)

    def ready(self) -> bool:
        return bool(self.confirmed) or time.monotonic() - self.started > 3

    def alive(self) -> bool:
        if self.exit_status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.exit_status = status
        return self.exit_status is None

    def kill(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            _, self.exit_status = os.waitpid(self.pid, 0)
        os.set_blocking(self.fd, True)
        self.pump()
        os.close(self.fd)


def verify(db: Path, reported: list[str]) -> dict:
    """The checks after the storm; returns the figures and a list of problems (empty when all is well)."""
    problems: list[str] = []
    conn = sqlite3.connect(str(db))
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append(f"integrity_check: {integrity[:5]}")
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk[:5]}")
        present = {row[0] for row in conn.execute("SELECT reference FROM cases")}
        acked = {row[0] for row in conn.execute(
            "SELECT c.reference FROM cases c JOIN stages s ON s.case_id = c.id AND s.stage = 1 "
            "WHERE s.acknowledged IS NOT NULL")}
        no_stage = [r[0] for r in conn.execute(
            "SELECT reference FROM cases c WHERE NOT EXISTS (SELECT 1 FROM stages s WHERE s.case_id = c.id AND s.stage = 1)")]
        no_history = [r[0] for r in conn.execute(
            "SELECT reference FROM cases c WHERE NOT EXISTS "
            "(SELECT 1 FROM history h WHERE h.case_id = c.id AND h.action = 'opened')")]
        torn_ack = [r[0] for r in conn.execute(
            """SELECT c.reference FROM cases c JOIN stages s ON s.case_id = c.id AND s.stage = 1
               WHERE (s.acknowledged IS NOT NULL) != (c.status = 'stage1-awaiting-response')
                  OR (s.acknowledged IS NOT NULL) != EXISTS (SELECT 1 FROM history h WHERE h.case_id = c.id
                                                            AND h.action = 'acknowledged')""")]
        orphans = conn.execute("SELECT COUNT(*) FROM history h WHERE h.case_id IS NOT NULL AND NOT EXISTS "
                               "(SELECT 1 FROM cases c WHERE c.id = h.case_id)").fetchone()[0]
        duplicates = conn.execute("SELECT COUNT(*) - COUNT(DISTINCT reference) FROM cases").fetchone()[0]
    finally:
        conn.close()
    added = {line.split()[1] for line in reported if line.startswith("ADD ")}
    acks = {line.split()[1] for line in reported if line.startswith("ACK ")}
    lost = sorted(added - present)
    lost_acks = sorted(acks - acked)
    for name, found in (("lost cases", lost), ("lost acknowledgements", lost_acks), ("cases without stage 1", no_stage),
                        ("cases without history", no_history), ("half-written acknowledgements", torn_ack)):
        if found:
            problems.append(f"{name}: {found[:10]}")
    if orphans:
        problems.append(f"{orphans} history rows of cases that are not there")
    if duplicates:
        problems.append(f"{duplicates} duplicate references")
    # The app's own opening: the full integrity_check after an unclean shutdown, then normal work.
    sys.path.insert(0, str(ROOT))
    from hoscase.store import Store

    try:
        with Store(db) as store:
            full_check = bool(getattr(store, "unclean_shutdown_found", False))
            store.count_cases()
    except Exception as exc:  # noqa: BLE001 - reported as a failure of the run
        problems.append(f"Store would not open: {exc}")
        full_check = False
    return {"confirmed_writes": len(added), "confirmed_acknowledgements": len(acks), "cases_in_database": len(present),
            "lost": len(lost) + len(lost_acks), "half_written": len(no_stage) + len(no_history) + len(torn_ack),
            "integrity_check": integrity[0] if integrity else "", "foreign_key_problems": len(fk),
            "full_check_on_reopen": full_check, "problems": problems}


def run(kills: int, writers: int = 4, db: Path | None = None, seed: int | None = None,
        max_delay: float = 0.03, log=None) -> dict:
    """Start ``writers`` writers and kill one at a random moment ``kills`` times; then verify."""
    rng = random.Random(seed)
    if db is None:
        db = Path(tempfile.mkdtemp(prefix="hoscase-kill-")) / "stress.sqlite3"
    sys.path.insert(0, str(ROOT))
    import hoscase.cases  # noqa: F401 - imported once here, so forked writers start at once
    from hoscase.store import Store
    from hoscase.workdays import bank_holidays

    bank_holidays()
    Store(db).close()  # created once, so every writer starts on the same schema
    started = time.monotonic()
    pool = [Writer(db) for _ in range(writers)]
    finished: list[Writer] = []
    done = 0
    while done < kills:
        deadline = time.monotonic() + rng.uniform(0, max_delay)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            readable, _, _ = select.select([w.fd for w in pool], [], [], left)
            for w in pool:
                if w.fd in readable:
                    w.pump()
        # Mostly a writer that is writing; now and then one still opening the database.
        ready = [w for w in pool if w.ready()] if rng.random() < 0.85 else pool
        if not ready:
            continue
        victim = rng.choice(ready)
        if not victim.alive():  # a writer that died on its own was not killed: a failure
            victim.errors.append(f"writer {victim.pid} exited by itself (status {victim.exit_status})")
        victim.kill()
        done += 1
        finished.append(victim)
        pool[pool.index(victim)] = Writer(db)
        if log and done % 100 == 0:
            log(f"{done} kills, {sum(len(w.confirmed) for w in finished)} confirmed lines")
    for w in pool:
        w.kill()
        finished.append(w)
    elapsed = time.monotonic() - started
    reported = [line for w in finished for line in w.confirmed]
    errors = [f"writer {w.pid}: {line}" for w in finished for line in w.errors]
    result = verify(db, reported)
    result["problems"] = errors[:20] + result["problems"]
    result.update(kills=kills, final_kills=writers, writers=writers, seconds=round(elapsed, 1), database=str(db))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--max-delay", type=float, default=0.03, help="most seconds between two kills")
    parser.add_argument("--writer", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.writer:
        return writer(args.writer, args.count)
    result = run(args.kills, args.writers, args.db, args.seed, args.max_delay,
                 log=lambda text: print(text, file=sys.stderr))
    print(json.dumps(result, indent=2))
    return 0 if not result["problems"] else 1


if __name__ == "__main__":
    sys.exit(main())
