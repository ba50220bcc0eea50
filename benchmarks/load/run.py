"""Load test of the deadline rush: one command, bounded in time, loopback only.

    .venv/bin/python benchmarks/load/run.py [--companies 1000] [--minutes 30] [--burst 100]
    (or `make bench-load`, the same ×5 rush; needs PostgreSQL and Redis on loopback, set up as .ci/run does)

What it does:
1. creates a throw-away PostgreSQL database `app_load`, migrates it, collects static files and loads a buyer,
   markets and a staff account;
2. serves the production settings with gunicorn (5 sync workers for 2 cores) on loopback, as behind the
   TLS-terminating reverse proxy of production (the clients send X-Forwarded-Proto: https), and starts a Celery
   worker on Redis, at a lower CPU priority than the web workers as in production (receipts can wait a second,
   a candidate's page cannot);
3. drives it with locust (benchmarks/load/locustfile.py): `--companies` companies each walk every annex step
   with pauses and an attachment, spread over `--minutes` (the 30 minutes before the deadline, compressed);
   `--burst` more companies fill in their annex meanwhile and all submit within the same 60 seconds; a staff
   user downloads throughout the raw export of the responses (CSV and XLSX) and the statistics workbook;
4. prints p50/p95/p99 per step, the error count, and submissions stored (in the database) against sent, then
   checks the targets: for every candidate step (the requests named "annexe : …") p95 < 300 ms and
   p99 < 800 ms; 0 errors; every submission stored once. The staff downloads are measured, not held to them.
Everything it started is stopped at the end, and the database dropped (`--keep-database` to look at it).
"""

import argparse
import csv
import datetime
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PORT = 8480
# Per candidate step (the rush ×5 of the deadline); the staff downloads are reported without a target.
TARGETS = {"p95_ms": 300, "p99_ms": 800}
CANDIDATE_PREFIX = "annexe"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=30.0, help="durée de la ruée (compressée)")
    parser.add_argument("--burst", type=int, default=100)
    parser.add_argument("--server-url", default="postgres://app:app@127.0.0.1:5432/app")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--save-stats", type=Path, help="dossier où garder les CSV de locust (stats, historique)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="load-"))
    database_url = args.server_url.rsplit("/", 1)[0] + "/app_load"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis_url,
        # As behind the reverse proxy of production: each company is counted from its own address.
        "TRUSTED_PROXIES": "127.0.0.1",
        # Receipts are rendered and sent as in production, into files instead of a mail server.
        # (django-environ drops the first slash of the path: a fourth one keeps it absolute, inside `work`, which is
        # removed at the end, instead of a relative tmp/ left in the checkout.)
        "EMAIL_URL": f"filemail:///{work / 'mails'}",
    }
    processes: list[subprocess.Popen] = []
    try:
        _recreate_database(args.server_url, "app_load")
        _step("Migrations, fichiers statiques, données")
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "collectstatic", "--noinput", "-v0")
        fixtures = json.loads(
            subprocess.run(
                [str(BIN / "python"), str(Path(__file__).with_name("fixtures.py"))],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        (work / "fixtures.json").write_text(json.dumps(fixtures))

        _step(f"gunicorn ({args.workers} workers) et Celery")
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{PORT}",
                    "--workers",
                    str(args.workers),
                    "--timeout",
                    "60",
                    "--log-level",
                    "warning",
                ],
                env=env,
                cwd=ROOT,
            )
        )
        processes.append(
            subprocess.Popen(
                ["nice", "-n", "10", str(BIN / "celery"), "-A", "config", "worker", "--concurrency=1"]
                + ["--loglevel=WARNING"],
                env=env,
                cwd=ROOT,
            )
        )
        _wait_for_server()

        _step(f"Ruée : {args.companies} entreprises en {args.minutes} min, rafale de {args.burst} envois")
        run_seconds = int(args.minutes * 60) + 90
        users = args.companies + args.burst + 1
        locust_env = {
            **env,
            "LOAD_FIXTURES": str(work / "fixtures.json"),
            "LOAD_COMPANIES": str(args.companies),
            "LOAD_BURST": str(args.burst),
            "LOAD_MINUTES": str(args.minutes),
            "LOAD_SENT_FILE": str(work / "sent.json"),
        }
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--users",
                str(users),
                "--spawn-rate",
                str(max(1, users // 10)),
                "--run-time",
                f"{run_seconds}s",
                "--stop-timeout",
                "30",
                "--csv",
                str(work / "stats"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=locust_env,
            cwd=ROOT,
            check=False,
        )
        stored = int(
            _manage(
                env,
                "shell",
                "-c",
                "from questionnaire.models import AnnexResponse; print(AnnexResponse.objects.count())",
                capture=True,
            )
            .strip()
            .splitlines()[-1]
        )
        sent = json.loads((work / "sent.json").read_text()) if (work / "sent.json").exists() else {"sent": 0}
        if args.save_stats:
            args.save_stats.mkdir(parents=True, exist_ok=True)
            for path in work.glob("stats*.csv"):
                shutil.copy(path, args.save_stats / path.name)
        return _report(work / "stats_stats.csv", stored=stored, sent=sent)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if not args.keep_database:
            _drop_database(args.server_url, "app_load")
        shutil.rmtree(work, ignore_errors=True)


def _step(text: str) -> None:
    print(f"\n=== {datetime.datetime.now():%H:%M:%S} {text}", flush=True)


def _manage(env: dict, *arguments: str, capture: bool = False) -> str:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *arguments],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout or ""


def _admin_connection(server_url: str):
    import psycopg

    return psycopg.connect(server_url.replace("postgres://", "postgresql://"), autocommit=True)


def _recreate_database(server_url: str, name: str) -> None:
    _drop_database(server_url, name)
    with _admin_connection(server_url) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def _drop_database(server_url: str, name: str) -> None:
    with _admin_connection(server_url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_for_server() -> None:
    for _ in range(60):
        try:
            urllib.request.urlopen(  # noqa: S310 (our own server on loopback)
                urllib.request.Request(f"http://127.0.0.1:{PORT}/connexion/", headers={"X-Forwarded-Proto": "https"}),
                timeout=2,
            )
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("Le serveur gunicorn ne répond pas.")


def _report(stats_file: Path, *, stored: int, sent: dict) -> int:
    rows = list(csv.DictReader(stats_file.open()))
    print(f"\n{'Étape':48} {'requêtes':>9} {'erreurs':>8} {'p50':>7} {'p95':>7} {'p99':>7}  (ms)")
    failures, verdicts = 0, []
    for row in rows:
        name = row["Name"] if row["Type"] else "Total"
        p50, p95, p99 = (float(row[column] or 0) for column in ("50%", "95%", "99%"))
        failures += int(row["Failure Count"]) if row["Name"] != "Aggregated" else 0
        print(f"{name[:48]:48} {row['Request Count']:>9} {row['Failure Count']:>8} {p50:7.0f} {p95:7.0f} {p99:7.0f}")
        if row["Name"].startswith(CANDIDATE_PREFIX):
            verdicts.append((f"{name[:32]} p95 < 300 ms", p95 < TARGETS["p95_ms"], f"{p95:.0f} ms"))
            verdicts.append((f"{name[:32]} p99 < 800 ms", p99 < TARGETS["p99_ms"], f"{p99:.0f} ms"))
    verdicts.append(("0 erreur", failures == 0, str(failures)))
    verdicts.append(
        ("chaque envoi enregistré une fois", stored == sent.get("sent", -1), f"{stored} enregistrés / {sent} envoyés")
    )
    print(f"\ncharge moyenne (1, 5, 15 min) à la fin : {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    for label, ok, measured in verdicts:
        print(f"{'OK ' if ok else 'ÉCHEC'} {label:48} {measured}")
    return 0 if all(ok for _, ok, _ in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
