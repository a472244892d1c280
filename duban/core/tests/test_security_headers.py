"""Security headers (等保 2.0, docs/security.md): CSP with the platform's own assets only, frame,
referrer and permissions policies, no-store on signed-in pages, exports and the API."""

import re
import subprocess
import sys

from django.conf import settings
from django.urls import reverse


def test_pages_carry_a_content_security_policy_with_only_the_platforms_own_assets(city, client_for):
    response = client_for(city.office).get(reverse("cockpit:home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert re.search(r"script-src 'self' 'nonce-[^']+'", policy)
    assert "unsafe-inline" not in policy.split("style-src-attr")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_the_inline_scripts_carry_the_requests_nonce(city, client_for):
    response = client_for(city.office).get(reverse("bonds:overview"))
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    page = response.content.decode()
    # Scripts that run (not the data islands of json_script, which the browser never executes).
    inline = re.findall(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))([^>]*)>", page)
    assert inline and all(f'nonce="{nonce}"' in attributes for attributes in inline)
    assert not re.search(r"\son(click|change|submit|load)=", page)


def test_frame_referrer_and_permissions_policies_are_sent(db, client):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_exports_and_the_api_are_not_cached(city, client_for, api_client_for):
    client = client_for(city.office)
    assert client.get(reverse("cockpit:home"))["Cache-Control"] == "no-store"
    assert client.get(reverse("organisation:unit_export"))["Cache-Control"] == "no-store"
    assert api_client_for(city.office).get("/api/units/")["Cache-Control"] == "no-store"


def test_the_development_server_is_not_the_production_one(db):
    assert not settings.PRODUCTION and not getattr(settings, "SECURE_HSTS_SECONDS", 0)


def test_the_deployment_check_is_clean_in_production_mode(tmp_path):
    env = {
        "DUBAN_ENV": "production",
        "SECRET_KEY": "x" * 64 + "-production-test-key-that-is-long-and-random-enough",
        "DUBAN_DATA_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "duban.example.gov.cn",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=duban.settings",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(settings.PROJECT_DIR),
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_sends_hsts(tmp_path):
    code = (
        "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS, settings.SECURE_SSL_REDIRECT)"
    )
    env = {
        "DUBAN_ENV": "production",
        "SECRET_KEY": "k" * 60,
        "DUBAN_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='duban.settings'; django.setup(); {code}",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(settings.PROJECT_DIR),
        timeout=120,
    )
    assert result.stdout.split() == [str(365 * 24 * 3600), "True"], result.stderr
