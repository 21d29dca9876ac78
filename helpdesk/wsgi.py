import os

from django.core.wsgi import get_wsgi_application

from helpdesk.runtime import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
application = get_wsgi_application()
settle()  # start-up objects out of the garbage collector's way (helpdesk/runtime.py)
