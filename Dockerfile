# bagalau: the bot as a container. Data (the SQLite database and its backups) lives in the
# /data volume, the survey keys in the /keys volume — apart, so that a copy of the data is no
# copy of the keys (docs/anonymity.md); the process runs as an unprivileged user. See README,
# "Deploying".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_PATH=/data/bagalau.sqlite3 \
    SURVEY_KEYS_PATH=/keys/bagalau.survey-keys

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin bagalau \
    && mkdir -p /data /keys && chown bagalau /data /keys && chmod 700 /data /keys

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot bot
COPY handlers handlers
COPY locales locales
COPY sandbox sandbox
COPY scoring scoring
COPY services services
COPY storage storage
RUN pip install . && python -c "import bot.app"

USER bagalau
VOLUME ["/data", "/keys"]
# the webhook (when WEBHOOK_URL is set) and /healthz, /metrics
EXPOSE 8080
HEALTHCHECK --interval=60s --timeout=30s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot", "check"]
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
