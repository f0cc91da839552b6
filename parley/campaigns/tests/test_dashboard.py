"""The dashboard's campaign pages: the list, one case on one screen, one decision form."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import Cast
from parley.campaigns.models import CampaignCase, CaseStatus
from parley.campaigns.tests.conftest import copy_paste_campaign, crew
from parley.comments.actions import erase_commenter
from parley.comments.models import Comment, CommentStatus

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="demo-password-1")
    return client


def test_list_and_case_page_show_the_evidence(cast: Cast) -> None:
    comments = copy_paste_campaign(cast.story, crew(6))
    case = CampaignCase.objects.get()
    client = signed_in("mod")

    listing = client.get("/dashboard/campaigns/")
    assert listing.status_code == 200
    assert case.summary in listing.content.decode()

    page = client.get(f"/dashboard/campaigns/{case.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert case.summary in html
    assert "1 talking point" in html and "6 comments" in html and "6 accounts" in html
    assert "cash grab" in html
    for comment in comments:
        assert f'href="/dashboard/comments/{comment.pk}/"' in html
    assert 'name="action"' in html and 'name="rule"' in html


def test_one_form_decides_the_case(cast: Cast) -> None:
    comments = copy_paste_campaign(cast.story, crew(6))
    case = CampaignCase.objects.get()
    client = signed_in("mod")
    response = client.post(
        f"/dashboard/campaigns/{case.pk}/decide/", {"action": "reject_all", "rule": "R3"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIONED
    assert set(
        Comment.objects.filter(pk__in=[c.pk for c in comments]).values_list("status", flat=True)
    ) == {CommentStatus.REJECTED}
    page = client.get(response["Location"]).content.decode()
    assert "6 applied, 0 skipped" in page


def test_refused_decision_shows_the_reason_and_changes_nothing(cast: Cast) -> None:
    copy_paste_campaign(cast.story, crew(6))
    case = CampaignCase.objects.get()
    client = signed_in("mod")
    response = client.post(
        f"/dashboard/campaigns/{case.pk}/decide/",
        {"action": "reject_all", "rule": "R99"},
        follow=True,
    )
    assert "no rule with this code" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_erased_members_are_shown_without_their_text(cast: Cast) -> None:
    accounts = crew(6)
    copy_paste_campaign(cast.story, accounts)
    case = CampaignCase.objects.get()
    erase_commenter(commenter=accounts[0])  # the author of the talking point's source text
    html = signed_in("mod").get(f"/dashboard/campaigns/{case.pk}/").content.decode()
    assert "Former member" in html
    assert "Text withheld" in html


def test_other_communities_and_commenters_are_refused(cast: Cast) -> None:
    copy_paste_campaign(cast.story, crew(6))
    case = CampaignCase.objects.get()
    kidmod = signed_in("kidmod")
    assert case.summary not in kidmod.get("/dashboard/campaigns/").content.decode()
    assert kidmod.get(f"/dashboard/campaigns/{case.pk}/").status_code == 403
    assert Client().get("/dashboard/campaigns/", **cast.bearer("reader")).status_code == 403
    assert Client().get("/dashboard/campaigns/").status_code == 302  # to the login page
