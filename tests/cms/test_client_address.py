"""One function gives the client's address: X-Forwarded-For only from trusted proxies."""

import pytest
from django.test import RequestFactory

from cms.ratelimit import client_ip


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("10.0.0.5", "203.0.113.7")) == "10.0.0.5"


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.5", "203.0.113.7", "203.0.113.7"),  # through our proxy
        ("10.0.0.5", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # a client's own header
        ("10.0.0.5", "203.0.113.7, 10.0.0.6", "203.0.113.7"),  # two of our proxies
        ("192.0.2.9", "203.0.113.7", "192.0.2.9"),  # not from a trusted proxy
        ("10.0.0.5", "not-an-address", "10.0.0.5"),
        ("10.0.0.5", "", "10.0.0.5"),
    ],
)
def test_trusted_proxies_pass_on_the_client_address(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.5", "10.0.0.6/32"]
    assert client_ip(_request(remote, forwarded)) == expected


@pytest.mark.django_db
def test_a_lockout_behind_a_shared_proxy_locks_one_account_not_everyone(client, settings):
    from tests.factories import UserFactory

    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    UserFactory(username="offer")
    UserFactory(username="annan", password="ratt-losen-123")
    proxy = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post("/accounts/login/", {"username": "offer", "password": "fel"}, **proxy)
    response = client.post(
        "/accounts/login/",
        {"username": "annan", "password": "ratt-losen-123"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302  # another person behind the same proxy signs in


def test_axes_gets_no_address_rather_than_a_word():
    from cms.ratelimit import axes_client_ip

    assert axes_client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None
    assert axes_client_ip(_request("10.0.0.9")) == "10.0.0.9"
