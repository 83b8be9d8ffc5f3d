# The SLRT Hub image: one image for every role in docker-compose.yml (API, worker,
# migrations, simulators); the command picks the role, e.g. `docker run slrt-hub worker`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SLRT_DATA_DIR=/var/lib/slrt

WORKDIR /app
# Dependencies first, from pyproject alone, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir -p hub schema connectors auth \
    && pip install . \
    && pip uninstall -y slrt-hub
COPY hub ./hub
COPY schema ./schema
COPY connectors ./connectors
COPY auth ./auth
RUN pip install --no-deps . && rm -rf /app/build

# Runs unprivileged; only the data directory (the built-in issuer's keys) is writable.
RUN useradd --system --uid 10001 --home-dir /var/lib/slrt --create-home slrt
USER slrt
WORKDIR /var/lib/slrt

EXPOSE 8000
ENTRYPOINT ["slrt-hub"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
