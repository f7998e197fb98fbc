from tests.storage.fixtures import s3_bucket, s3_endpoint, storage_overrides  # noqa: F401 - fixtures
