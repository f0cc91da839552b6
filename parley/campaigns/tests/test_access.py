"""The authorisation matrix for every campaign route for every persona."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import Cast
from parley.campaigns.models import CampaignCase
from parley.campaigns.tests.conftest import copy_paste_campaign, crew

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "reader", "youth_member", "moderator", "staff", "admin"]

# Expected status per endpoint: (anonymous, reader, youth_member, moderator, staff, admin)
EXPECTED = {
    ("get", "/campaigns"): (401, 403, 403, 200, 200, 200),
    ("get", "/campaigns/{campaign_id}"): (401, 403, 403, 200, 200, 200),
    ("post", "/campaigns/{campaign_id}/decision"): (401, 403, 403, 200, 200, 200),
}


def test_every_campaign_route_is_in_the_matrix() -> None:
    from parley.api.routers.campaigns import router

    routes = {
        (method.lower(), path)
        for path, view in router.path_operations.items()
        for op in view.operations
        for method in op.methods
    }
    assert routes == set(EXPECTED)


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_authorisation_matrix(
    api_client: Client, cast: Cast, endpoint: tuple[str, str], persona: str
) -> None:
    copy_paste_campaign(cast.story, crew(6))
    case = CampaignCase.objects.get()
    method, template = endpoint
    path = "/api/v1" + template.format(campaign_id=case.pk)
    headers = {} if persona == "anonymous" else cast.bearer(persona)
    if method == "get":
        response = api_client.get(path, **headers)
    else:
        response = api_client.post(
            path,
            json.dumps({"action": "dismiss", "rule": "R3"}),
            content_type="application/json",
            **headers,
        )
    assert response.status_code == EXPECTED[endpoint][PERSONAS.index(persona)], response.content
    case.refresh_from_db()
    decided = method == "post" and response.status_code == 200
    assert case.status == ("dismissed" if decided else "open")
