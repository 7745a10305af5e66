"""The library on S3-compatible object storage (django-storages), against a real S3 server
started by the test (moto's server mode on a free local port): an upload through the share
page lands in the bucket under a random name, is read back through the permission-checked
download, and the bucket's object is private (no anonymous URL reads it)."""

import socket
import urllib.request

import boto3
import pytest
from django.core.files.storage import storages
from django.urls import reverse

from tandem.resources.models import Version
from tandem.settings.base import resources_storage_from_env

from .factories import docx_file

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

BUCKET = "tandem-library-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch):
    env = {
        "TANDEM_RESOURCES_S3_BUCKET": BUCKET,
        "TANDEM_RESOURCES_S3_ENDPOINT_URL": s3_server,
        "TANDEM_RESOURCES_S3_REGION": "us-east-1",
        "TANDEM_RESOURCES_S3_ACCESS_KEY_ID": "testing",
        "TANDEM_RESOURCES_S3_SECRET_ACCESS_KEY": "testing",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    if BUCKET not in [b["Name"] for b in client.list_buckets().get("Buckets", [])]:
        client.create_bucket(Bucket=BUCKET)
    # The settings as production builds them from the environment.
    settings.STORAGES = {**settings.STORAGES, "resources": resources_storage_from_env()}
    assert type(storages["resources"]).__name__ == "S3Storage"
    return client


def test_upload_and_download_round_trip_through_s3(client, coordinator, s3_storage):
    client.force_login(coordinator)
    data = docx_file("The kinkajou clause is in the bucket.")
    original = data.read()
    data.seek(0)
    response = client.post(
        reverse("resources:share"),
        {
            "title": "S3 template",
            "kind": "template",
            "language": "en",
            "licence": "CC-BY-4.0",
            "visibility": "public",
            "file": data,
        },
    )
    assert response.status_code == 302, response.content[:500]
    version = Version.objects.get()
    key = f"resources/{version.blob}"
    stored = s3_storage.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert stored == original
    assert "template" not in version.blob  # a random name, not the uploader's

    download = client.get(reverse("resources:download", args=[version.resource_id]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == original
    assert download["Content-Disposition"] == 'attachment; filename="template.docx"'
    assert download["X-Content-Type-Options"] == "nosniff"
    # Found by a word inside the file read back from the bucket.
    assert (
        "S3 template"
        in client.get(reverse("resources:library"), {"q": "kinkajou"}).content.decode()
    )

    # The object is private: the bucket's plain URL does not serve it.
    endpoint = s3_storage.meta.endpoint_url
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint}/{BUCKET}/{key}")
    assert refused.value.code == 403
