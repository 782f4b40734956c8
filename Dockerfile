# syntax=docker/dockerfile:1
# Constituent: one image for every process (web, worker, beat, watch_workers);
# the command chooses which. See deploy/README.md.

# Front-end packages from npm: only Bootstrap's built files are kept.
FROM node:22-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# The virtual environment, with the project installed in place (editable), so
# settings find templates/ and static/ beside the code.
FROM python:3.12-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
WORKDIR /app
COPY pyproject.toml README.md manage.py gunicorn.conf.py ./
COPY config ./config
COPY campaigns ./campaigns
COPY legislators ./legislators
COPY operations ./operations
COPY templates ./templates
COPY static ./static
RUN /venv/bin/pip install -e .
COPY --from=assets /app/node_modules/bootstrap/dist ./node_modules/bootstrap/dist
# Static files collected (and compressed) once, at build time.
RUN DEBUG=False SECRET_KEY=collectstatic-only VAR_DIR=/app/var \
    /venv/bin/python manage.py collectstatic --no-input

FROM python:3.12-slim-bookworm AS runtime
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home constituent
COPY --from=build /venv /venv
COPY --from=build --chown=constituent:constituent /app /app
WORKDIR /app
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DEBUG=False \
    VAR_DIR=/app/var
USER 10001:10001
EXPOSE 8000
# The web's own health check; compose gives worker and beat their own.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'X-Forwarded-Proto': 'https', 'Host': 'localhost'}), timeout=4)"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]
