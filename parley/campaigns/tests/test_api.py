"""GET /campaigns and GET /campaigns/{id}: moderators of the case's communities only."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import Cast
from parley.campaigns.actions import decide_case
from parley.campaigns.models import CampaignCase
from parley.campaigns.tests.conftest import copy_paste_campaign, crew

pytestmark = pytest.mark.django_db

OTHER_POINTS = [
    "Pipelines are the only way forward for this country, the protesters are paid by foreign "
    "interests and everyone knows it.",
    "Immigration levels are far too high and the housing crisis is the direct result, cut the "
    "targets in half right now.",
]


def get(client: Client, cast: Cast, path: str, persona: str = "moderator") -> Any:
    return client.get(f"/api/v1{path}", **cast.bearer(persona))


def test_list_shows_the_case_with_its_members(cast: Cast, api_client: Client) -> None:
    comments = copy_paste_campaign(cast.story, crew(6))
    response = get(api_client, cast, "/campaigns")
    assert response.status_code == 200
    (item,) = response.json()["items"]
    case = CampaignCase.objects.get()
    assert item["id"] == case.pk
    assert item["status"] == "open"
    assert item["comments"] == [c.pk for c in comments]
    assert sorted(item["accounts"]) == sorted(c.author_id for c in comments)
    assert item["evidence"]["accounts"] == 6
    assert item["talking_points"][0]["count"] == 6
    assert "cash grab" in item["talking_points"][0]["text"]
    assert item["decision"] is None
    assert response.json()["next_cursor"] is None

    detail = get(api_client, cast, f"/campaigns/{case.pk}").json()
    assert detail["summary"] == case.summary
    assert [c["id"] for c in detail["comment_details"]] == [c.pk for c in comments]
    assert all(a["created_at"] for a in detail["account_details"])


def test_status_filter_and_pagination(cast: Cast, api_client: Client) -> None:
    copy_paste_campaign(cast.story, crew(6, prefix="a"))
    copy_paste_campaign(cast.story, crew(6, prefix="b"), text=OTHER_POINTS[0])
    copy_paste_campaign(cast.story, crew(6, prefix="c"), text=OTHER_POINTS[1])
    ids = list(CampaignCase.objects.order_by("-opened_at", "-id").values_list("pk", flat=True))
    assert len(ids) == 3
    decide_case(actor=cast.moderator, case_id=ids[0], action="dismiss", rule_code="R3")

    first = get(api_client, cast, "/campaigns?limit=2").json()
    assert [i["id"] for i in first["items"]] == ids[:2]
    second = get(api_client, cast, f"/campaigns?limit=2&cursor={first['next_cursor']}").json()
    assert [i["id"] for i in second["items"]] == ids[2:]
    assert second["next_cursor"] is None

    open_ids = [i["id"] for i in get(api_client, cast, "/campaigns?status=open").json()["items"]]
    assert open_ids == ids[1:]
    dismissed = get(api_client, cast, "/campaigns?status=dismissed").json()["items"]
    assert [i["id"] for i in dismissed] == ids[:1]
    assert dismissed[0]["decision"]["action"] == "dismiss"
    assert get(api_client, cast, "/campaigns?status=merged").status_code == 422
    assert get(api_client, cast, "/campaigns?limit=0").status_code == 400
    assert get(api_client, cast, "/campaigns?cursor=garbage").json()["code"] == "invalid_cursor"


def test_list_query_count_does_not_grow_with_cases(cast: Cast, api_client: Client) -> None:
    copy_paste_campaign(cast.story, crew(6, prefix="a"))
    with CaptureQueriesContext(connection) as one:
        assert get(api_client, cast, "/campaigns").status_code == 200
    copy_paste_campaign(cast.story, crew(6, prefix="b"), text=OTHER_POINTS[0])
    copy_paste_campaign(cast.story, crew(6, prefix="c"), text=OTHER_POINTS[1])
    with CaptureQueriesContext(connection) as three:
        response = get(api_client, cast, "/campaigns")
    assert len(response.json()["items"]) == 3
    assert len(three) == len(one)
    # Authentication, then: cases, their comment ids, their account ids, talking-point sources.
    case_queries = [q for q in three.captured_queries if "campaigns_" in q["sql"]]
    assert len(case_queries) == 3


@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [
        ("reader", 403, "insufficient_role"),
        ("youth_member", 403, "insufficient_role"),
    ],
)
def test_commenters_are_refused(
    cast: Cast, api_client: Client, persona: str, status: int, code: str
) -> None:
    copy_paste_campaign(cast.story, crew(6))
    case = CampaignCase.objects.get()
    for path in ("/campaigns", f"/campaigns/{case.pk}"):
        response = get(api_client, cast, path, persona)
        assert response.status_code == status
        assert response.json()["code"] == code


def test_moderator_of_another_community_sees_nothing(cast: Cast, api_client: Client) -> None:
    copy_paste_campaign(cast.story, crew(6))
    case = CampaignCase.objects.get()
    api_client.force_login(_user("kidmod"))
    listed = api_client.get("/api/v1/campaigns")
    assert listed.status_code == 200
    assert listed.json()["items"] == []
    response = api_client.get(f"/api/v1/campaigns/{case.pk}")
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_moderator_here"


def test_admins_see_every_community_and_unknown_ids_are_404(cast: Cast, api_client: Client) -> None:
    copy_paste_campaign(cast.story, crew(6))
    assert len(get(api_client, cast, "/campaigns", "admin").json()["items"]) == 1
    for path in ("/campaigns/999999", "/campaigns/0", "/campaigns/99999999999999999999"):
        response = get(api_client, cast, path)
        assert response.status_code in {404, 422}, path
    assert get(api_client, cast, "/campaigns/999999").json()["code"] == "campaign_not_found"


def test_requires_authentication(cast: Cast, api_client: Client) -> None:
    assert api_client.get("/api/v1/campaigns").status_code == 401


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
