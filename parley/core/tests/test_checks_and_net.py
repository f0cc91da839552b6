from __future__ import annotations

import pytest
from django.test import override_settings

from parley.core.checks import check_parley_settings
from parley.core.net import address_prefix, client_address, hashed_prefix


def ids(**overrides: object) -> list[str]:
    with override_settings(**overrides):
        return [problem.id for problem in check_parley_settings(None)]  # type: ignore[misc]


def test_default_test_settings_pass() -> None:
    assert ids() == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"PARLEY_TRUSTED_PROXIES": ("10.0.0.0/8", "not-an-ip")}, "parley.E001"),
        ({"PARLEY_EMBED_ORIGINS": ("www.example.com",)}, "parley.E002"),
        ({"PARLEY_EMBED_ORIGINS": ("https://www.example.com/path",)}, "parley.E002"),
        ({"PARLEY_SSO_SECRET": "short"}, "parley.E003"),
        ({"PARLEY_SSO_PUBLIC_KEY": "not a key"}, "parley.E004"),
        ({"PARLEY_REALTIME_BACKEND": "parley.nowhere.Backend"}, "parley.E005"),
        ({"PARLEY_INTAKE_SCREENS": ["parley.nowhere.screen"]}, "parley.E006"),
    ],
)
def test_misconfiguration_is_reported_at_start_up(
    overrides: dict[str, object], expected: str
) -> None:
    assert expected in ids(**overrides)


def test_forwarded_for_is_ignored_from_untrusted_peers() -> None:
    with override_settings(PARLEY_TRUSTED_PROXIES=()):
        assert client_address("203.0.113.9", "198.51.100.1") == "203.0.113.9"
    with override_settings(PARLEY_TRUSTED_PROXIES=("10.0.0.0/8",)):
        # Untrusted peer: header ignored.
        assert client_address("203.0.113.9", "198.51.100.1") == "203.0.113.9"
        # Trusted proxy: the right-most untrusted hop is the client, spoofed hops are skipped.
        assert client_address("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.5") == "198.51.100.7"
        assert client_address("10.0.0.2", "garbage") == "10.0.0.2"


def test_addresses_are_grouped_by_prefix_and_hashed() -> None:
    assert address_prefix("198.51.100.77") == "198.51.100.0/24"
    assert address_prefix("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert hashed_prefix("198.51.100.1") == hashed_prefix("198.51.100.200")
    assert hashed_prefix("198.51.100.1") != hashed_prefix("198.51.101.1")
    assert "198.51" not in hashed_prefix("198.51.100.1")
