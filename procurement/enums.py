from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur·rice"
    BUYER = "buyer", "Acheteur·se"
    EQUALITY_OFFICER = "equality_officer", "Chargé·e de mission égalité"
    FACILITATOR = "facilitator", "Facilitateur·rice"


class MarketType(models.TextChoices):
    TRAVAUX = "travaux", "Travaux"
    SERVICES = "services", "Services"
    FOURNITURES = "fournitures", "Fournitures"
