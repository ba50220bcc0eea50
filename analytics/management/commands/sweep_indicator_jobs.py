from django.core.management.base import BaseCommand

from analytics import services


class Command(BaseCommand):
    help = (
        "Marque en échec les calculs d'indicateurs bloqués : en cours sans signe de vie, ou en attente depuis trop "
        "longtemps (délais ANALYTICS_JOB_HEARTBEAT_TIMEOUT_MINUTES et ANALYTICS_JOB_QUEUE_TIMEOUT_MINUTES)."
    )

    def handle(self, *args, **options):
        count = services.sweep_stale_jobs()
        self.stdout.write(f"{count} calcul(s) bloqué(s) marqué(s) en échec.")
