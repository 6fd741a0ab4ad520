from .kindgesprek.models import *  # noqa: F403 -- kindgesprek models live in their sub-package
