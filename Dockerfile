# Production image: the portal under gunicorn; static files collected and served by whitenoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN useradd --create-home --uid 10001 paks

# WeasyPrint makes the proceedings PDF with Pango, HarfBuzz and fonts (Noto CJK for Chinese),
# which the slim image lacks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

# The production lock first (a layer that changes only with it), then the project, whose
# dependencies are all in the lock already.
COPY requirements/prod.txt ./requirements/prod.txt
RUN pip install -r requirements/prod.txt

COPY . .
RUN pip install --no-deps .
# Collecting static files needs no secret: the embedded defaults are enough at build time.
# The interface's translations, compiled by Babel.
RUN pybabel -q compile --domain django --directory locale \
    && python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/media && chown -R paks:paks /app/media

USER paks
EXPOSE 8000
CMD ["gunicorn", "paks.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
