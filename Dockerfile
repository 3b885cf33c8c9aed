# The API image used by docker-compose.yml: the lineage package with its bundled real data.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY lineage ./lineage
COPY importers ./importers
COPY data ./data
RUN pip install --no-cache-dir .
ENV LINEAGE_STORE=bolt://neo4j:7687
EXPOSE 8000
CMD ["sh", "-c", "lineage build && lineage counts"]
