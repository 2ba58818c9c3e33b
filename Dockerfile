# One image for every Python service of the store; docker-compose.yml picks the command.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.lock requirements-nodeps.txt ./
RUN pip install --no-cache-dir -r requirements.lock \
 && pip install --no-cache-dir --no-deps -r requirements-nodeps.txt \
 && useradd --create-home --uid 10001 store \
 && mkdir -p /data && chown store /data
COPY shared ./shared
COPY products_service ./products_service
COPY orchestrator ./orchestrator
COPY store_realtime ./store_realtime
USER store
ENV PRODUCTS_DATA_DIR=/data
