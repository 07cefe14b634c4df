import pytest

from tests.ops.services import S3, Redis


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = Redis(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_server():
    server = S3()
    yield server
    server.stop()
