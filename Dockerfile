# Production-like image: one image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/venv
WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project
COPY . .
ENV PATH="/venv/bin:$PATH" DJANGO_SETTINGS_MODULE=helpdesk.settings_prod
RUN SECRET_KEY=build-only-key-build-only-key-build-only-key-build-only-key python manage.py collectstatic --noinput
RUN useradd --system helpdesk && mkdir -p /app/var && chown helpdesk /app/var
USER helpdesk
EXPOSE 8000
CMD ["gunicorn", "helpdesk.wsgi", "-b", "0.0.0.0:8000", "-w", "2", "--no-control-socket"]
