"""Where the portal keeps files: attachments and generated PDFs, all private.

The local filesystem under MEDIA_ROOT is the default. A deployment at scale (several web and worker machines)
sets S3_BUCKET and keeps them in any S3-compatible object storage through django-storages. Files are never
linked to directly: every download goes through a view that checks permissions and streams the file, so the
bucket stays private and no signed or public bucket URL is ever handed out.
"""

from environ import Env


def private_file_storage(env: Env) -> dict:
    """The STORAGES["default"] entry for this environment."""
    bucket = env("S3_BUCKET", default="")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "location": env("S3_PREFIX", default=""),
            # Private objects; the bucket's own policy decides, nothing is made public by the portal.
            "default_acl": None,
            "querystring_auth": True,
            # A name is never reused: keep both files rather than overwrite one that exists.
            "file_overwrite": False,
        },
    }
