"""`python -m tests.hostile_child PATH FILE`: imports FILE through PATH's service (markets, annexes,
clause_hours) with the web upload limits, inside a transaction rolled back at the end, and prints one JSON line:
the refusal's first reasons or the import's summary, and the process's peak memory (VmHWM).

Settings and database come from the environment (DJANGO_SETTINGS_MODULE, DATABASE_URL); see
tests/hostile_imports.py."""

import importlib
import json
import resource
import sys
from pathlib import Path


def _peak_kb() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(path: str, file: str) -> dict:
    import django

    django.setup()
    from django.db import transaction

    from procurement.models import Organisation
    from procurement.tabular import ImportRejected
    from tests.hostile_imports import PATHS, create_reference_markets

    module, function = PATHS[path]
    service = getattr(importlib.import_module(module), function)
    content = Path(file).read_bytes()
    with transaction.atomic():
        organisation = Organisation.objects.create(name="Import hostile", slug="import-hostile")
        create_reference_markets(organisation)
        try:
            result = service(organisation=organisation, content=content, filename=Path(file).name)
            outcome = {"imported": result.summary}
        except ImportRejected as rejected:
            outcome = {
                "rejected": rejected.errors[:5],
                "errors": getattr(rejected, "total", len(rejected.errors)),
                "listed": len(rejected.errors),
                "last": rejected.errors[-1],
            }
        transaction.set_rollback(True)
    return outcome


if __name__ == "__main__":
    result = main(sys.argv[1], sys.argv[2])
    result["peak_kb"] = _peak_kb()
    print(json.dumps(result, ensure_ascii=False))
