"""`parley campaigns scan`: the batch path over the archive finds what the live path found."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import Cast
from parley.campaigns.models import CampaignCase
from parley.campaigns.tests.conftest import copy_paste_campaign, crew
from parley.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def scan(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("campaigns", "scan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def archive(cast: Cast, settings: object) -> list[int]:
    """A campaign in the archive, posted while no worker ran (no live detection)."""
    settings.PARLEY_INTAKE_LISTENERS = []  # type: ignore[attr-defined]
    from parley.comments.intake import reset_pipeline_cache

    reset_pipeline_cache()
    comments = copy_paste_campaign(cast.story, crew(6))
    assert not CampaignCase.objects.exists()
    return sorted(c.pk for c in comments)


def test_scan_finds_the_campaign_and_is_idempotent(archive: list[int]) -> None:
    out, err = scan()
    case = CampaignCase.objects.get()
    assert sorted(case.comment_links.values_list("comment_ref", flat=True)) == archive
    assert case.account_count == 6
    assert "Scanned 6 comments: 1 campaign case (1 new, 0 already known)." in out
    assert "100% 6/6 comments" in err and "[" + "#" * 30 + "]" in err

    out, _err = scan("--since", "7")
    assert CampaignCase.objects.count() == 1
    assert "(0 new, 1 already known)" in out
    assert AuditEntry.objects.filter(action="campaign.open").count() == 1


def test_scan_finds_the_case_the_live_path_opened(cast: Cast) -> None:
    comments = copy_paste_campaign(cast.story, crew(6))
    live = CampaignCase.objects.get()
    out, _err = scan("--story", str(cast.story.pk))
    assert CampaignCase.objects.get() == live
    assert sorted(live.comment_links.values_list("comment_ref", flat=True)) == sorted(
        c.pk for c in comments
    )
    assert "(0 new, 1 already known)" in out


def test_dry_run_records_nothing(archive: list[int]) -> None:
    out, _err = scan("--dry-run")
    assert "6 accounts, 6 comments" in out
    assert "dry run: nothing recorded" in out
    assert not CampaignCase.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--story", "999999"], "There is no story with id 999999."),
        (["--since", "-3"], "--since must be a positive number of days"),
        (["--since", "0"], "--since must be a positive number of days"),
    ],
)
def test_bad_input_is_a_clear_error(cast: Cast, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        scan(*args)
    assert not CampaignCase.objects.exists()
