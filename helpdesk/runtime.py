"""How a serving process settles once Django is loaded (issue #20 §3).

Everything imported at start-up — Django, the apps, the URL resolver, the compiled templates — lives as
long as the process. Left in the collector's generations, every full collection walks those ~180,000
objects again: on the workspace that was 6–10 ms of a request. ``gc.freeze()`` moves them to the permanent
generation once, so collections only look at what requests create. Called by ``helpdesk/wsgi.py`` (each
gunicorn worker) and by the benchmarks, which measure the process as it is served.
"""

from __future__ import annotations

import gc


def settle() -> None:
    from django.urls import get_resolver

    get_resolver().check()  # the URLconf loaded now (it would be on the first request)
    gc.collect()
    gc.freeze()
