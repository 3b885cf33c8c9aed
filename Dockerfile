# The API image used by docker-compose.yml: the lineage wheel, which carries its bundled real data, the
# cookbook and the front-end libraries (pinned in web/package-lock.json), installed as a user would.
FROM node:20-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim AS wheel
WORKDIR /src
COPY pyproject.toml setup.py MANIFEST.in README.md LICENSE ./
COPY lineage ./lineage
COPY importers ./importers
COPY data ./data
COPY graphql ./graphql
COPY web/package.json web/package-lock.json ./web/
COPY --from=web /src/web/node_modules ./web/node_modules
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
COPY --from=wheel /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && useradd --create-home --uid 10001 lineage
# Not root: the service reads its package and talks to Neo4j; it writes nothing of its own.
USER lineage
WORKDIR /home/lineage
ENV LINEAGE_STORE=bolt://neo4j:7687
# The address the feed's links and redirects name (docker-compose.yml publishes the port there); set your own.
ENV LINEAGE_PUBLIC_URL=http://127.0.0.1:8000
EXPOSE 8000
# Healthy once /healthz answers 200: the store answered (the first build may take a minute or two).
HEALTHCHECK --interval=10s --timeout=3s --start-period=180s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
# Build (or refresh: every write is an idempotent MERGE) the real graph in Neo4j, then serve the API.
CMD ["sh", "-c", "lineage build && exec lineage serve --host 0.0.0.0 --port 8000"]
