from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # E-mail addresses are matched case-insensitively, as people type them.
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class NotificationMode(models.TextChoices):
    INSTANT = "instant", _("An e-mail at once")
    DIGEST = "digest", _("Only in the weekly digest")


class User(AbstractBaseUser, PermissionsMixin):
    """A person: guardian, staff member or both. The e-mail address is the login."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Deactivated users cannot log in and lose access at their next request."),
    )
    is_staff = models.BooleanField(
        _("admin access"),
        default=False,
        help_text=_("Can log in to the administration site."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    digest_enabled = models.BooleanField(
        _("weekly digest"),
        default=True,
        help_text=_("A weekly e-mail with the group messages of your children's groups."),
    )
    post_notifications = models.CharField(
        _("new group messages"),
        max_length=8,
        choices=NotificationMode,
        default=NotificationMode.DIGEST,
    )
    message_notifications = models.CharField(
        _("new personal messages (kindgesprek)"),
        max_length=8,
        choices=NotificationMode,
        default=NotificationMode.INSTANT,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email
