"""Stored files that database rows name."""

from collections.abc import Iterable

from django.core.files.storage import Storage
from django.db import transaction


def delete_files_on_commit(storage: Storage, names: Iterable[str]) -> None:
    """Deletes the files once the current transaction commits (at once outside one): the rows that named them are
    gone for good by then, and a rollback keeps both rows and files."""
    names = list(names)

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)
