from .digest import admin as digest_admin  # noqa: F401 -- registers the digest admins
