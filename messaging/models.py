from .digest.models import *  # noqa: F403 -- digest and newsletter models live in their sub-package
from .kindgesprek.models import *  # noqa: F403 -- kindgesprek models live in their sub-package
