from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from procurement import names
from procurement.enums import Article, Role
from procurement.validators import validate_logo, validate_siren


class Organisation(models.Model):
    """A public buyer (acheteur): every datum of the platform belongs to one."""

    name = models.CharField("nom", max_length=200)
    article = models.CharField(
        "article",
        max_length=4,
        choices=Article.choices,
        default=Article.NONE,
        help_text="Comment le nom se lit dans une phrase : « la Ville de Denain », « l'Agglomération de "
        "Valenciennes », « le Département du Nord », « Valenciennes Métropole » (sans article).",
    )
    slug = models.SlugField("identifiant court", max_length=60, unique=True)
    siren = models.CharField("SIREN", max_length=9, blank=True, validators=[validate_siren])
    logo = models.ImageField(
        "logo",
        upload_to="organisations/logos/",
        blank=True,
        validators=[validate_logo],
        help_text="PNG ou JPEG, 1\u00a0Mo au plus\u00a0; il figure en tête de la fiche de renseignements et des "
        "accusés de réception.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    # The name inside a sentence (`procurement/names.py`): « la Ville de Denain », « de la … », « à la … ».
    @property
    def name_subject(self) -> str:
        return names.subject(name=self.name, article=self.article)

    @property
    def name_of(self) -> str:
        return names.of(name=self.name, article=self.article)

    @property
    def name_to(self) -> str:
        return names.to(name=self.name, article=self.article)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in with an email address; roles come from memberships."""

    username = None
    email = models.EmailField("adresse électronique", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur·rice"
        verbose_name_plural = "utilisateur·rices"
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, organisation__isnull=False)


class Membership(models.Model):
    """Gives a user one role in one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=32, choices=Role.choices)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "rattachement"
        verbose_name_plural = "rattachements"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_one_role_per_organisation"),
        ]
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"
