# The API image used by docker-compose.yml: the lineage package with its bundled real data, the cookbook,
# and the front-end libraries the playground and explorer serve (pinned in web/package-lock.json).
FROM node:20-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY lineage ./lineage
COPY importers ./importers
COPY data ./data
COPY graphql ./graphql
COPY --from=web /web/node_modules ./web/node_modules
# Editable, so the app finds data/, graphql/ and web/ beside its packages, as in a checkout.
RUN pip install --no-cache-dir -e .
ENV LINEAGE_STORE=bolt://neo4j:7687
EXPOSE 8000
# Build (or refresh: every write is an idempotent MERGE) the real graph in Neo4j, then serve the API.
CMD ["sh", "-c", "lineage build && exec lineage serve --host 0.0.0.0 --port 8000"]
