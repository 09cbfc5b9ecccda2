"""Attachments and generated PDFs in S3-compatible object storage (config/storage.py), against a local S3 server.

moto's server mode is started here as a subprocess on a free loopback port, so this runs wherever the dev
dependencies are installed (CI included) with no network and no other service.
"""

import hashlib
import socket
import subprocess
import sys
import time

import boto3
import environ
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.storage import private_file_storage
from grants.services import offers as services
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.helpers import pdf_text

pytestmark = pytest.mark.django_db

BUCKET = "portal-prywatne"
KEYS = {"S3_ACCESS_KEY_ID": "portal-test", "S3_SECRET_ACCESS_KEY": "portal-test-secret", "S3_REGION": "eu-central-1"}
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:  # wait until it listens (start-up, not a timing assertion)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("moto_server did not start")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """The portal configured by environment, as a deployment would be, with an empty private bucket."""
    for name, value in {**KEYS, "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": s3_endpoint}.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": private_file_storage(environ.Env())}
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"],
        region_name=KEYS["S3_REGION"],
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": KEYS["S3_REGION"]})
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _object(client, key: str) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def test_without_s3_bucket_files_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("S3_BUCKET", raising=False)
    assert private_file_storage(environ.Env()) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_attachments_live_in_the_bucket_and_are_served_only_through_the_permission_check(
    bucket, authority, organisation, ngo_admin, other_ngo_admin, client_for, settings
):
    offer = complete_offer(OpenCallFactory(programme__authority=authority), organisation, ngo_admin)
    attachment = services.attachment_add(
        offer=offer, actor=ngo_admin, upload=SimpleUploadedFile("statut.pdf", PDF_BYTES, "application/pdf")
    )
    assert _object(bucket, attachment.file.name) == PDF_BYTES
    assert not (settings.MEDIA_ROOT / attachment.file.name).exists()
    # Private object: no grant to everyone, so the bucket never serves it without credentials.
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=attachment.file.name)["Grants"]
    assert all("AllUsers" not in str(grant.get("Grantee", {})) for grant in grants)

    url = reverse("grants:attachment-download", args=[attachment.pk])
    response = client_for(ngo_admin).get(url)
    # Streamed by the portal after its check, never a redirect to a bucket URL.
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert 'filename="statut.pdf"' in response["Content-Disposition"]
    assert client_for(other_ngo_admin).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404


def test_the_worker_stores_the_submission_pdfs_in_the_bucket(
    bucket, authority, organisation, ngo_admin, client_for, committed
):
    offer = complete_offer(OpenCallFactory(programme__authority=authority), organisation, ngo_admin)
    with committed():
        version = services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    version.refresh_from_db()
    stored = _object(bucket, version.offer_pdf.name)
    assert hashlib.sha256(stored).hexdigest() == version.offer_pdf_sha256
    assert version.receipt_number in pdf_text(_object(bucket, version.receipt_pdf.name))

    response = client_for(ngo_admin).get(reverse("grants:version-pdf", args=[offer.pk, version.number]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == stored
