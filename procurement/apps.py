from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = "Acheteurs et marchés"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from procurement.search import register_sqlite_fold

        connection_created.connect(register_sqlite_fold, dispatch_uid="procurement.search.fold")
