"""Reading and publishing the versioned policy documents: guidelines and licence terms."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from parley.communities.models import GuidelineRule, GuidelineVersion, TermsVersion
from parley.core import audit
from parley.core.actors import Actor
from parley.core.errors import NotFound, ParleyError


def current_guidelines() -> GuidelineVersion:
    guideline = GuidelineVersion.objects.order_by("-version").first()
    if guideline is None:
        raise NotFound("guidelines_not_published", _("No Submission Guidelines are published yet."))
    return guideline


def guidelines_version(version: int) -> GuidelineVersion:
    guideline = GuidelineVersion.objects.filter(version=version).first()
    if guideline is None:
        raise NotFound("guidelines_not_found", _("There is no such guidelines version."))
    return guideline


def current_terms() -> TermsVersion:
    terms = TermsVersion.objects.order_by("-published_at", "-id").first()
    if terms is None:
        raise NotFound("terms_not_published", _("No licence terms are published yet."))
    return terms


def terms_version(version: str) -> TermsVersion:
    terms = TermsVersion.objects.filter(version=version).first()
    if terms is None:
        raise NotFound("terms_not_found", _("There is no such terms version."))
    return terms


def find_current_rule(code: str) -> GuidelineRule | None:
    """The rule with this code in the guidelines in force, or None."""
    guideline = GuidelineVersion.objects.order_by("-version").first()
    if guideline is None:
        return None
    return GuidelineRule.objects.filter(guideline=guideline, code=code).first()


def publish_guidelines(
    *, actor: Actor, rules: list[tuple[str, str, str]], introduction: str = ""
) -> GuidelineVersion:
    """Publish a new version; `rules` are (code, title, text)."""
    if not actor.has_role("admin"):
        raise ParleyError("admin_only", _("Only administrators publish guidelines."), status=403)
    codes = [code for code, _title, _text in rules]
    if not rules or len(set(codes)) != len(codes):
        raise ParleyError("invalid_rules", _("Guidelines need rules with distinct codes."))
    with transaction.atomic():
        latest = GuidelineVersion.objects.aggregate(latest=Max("version"))["latest"] or 0
        guideline = GuidelineVersion.objects.create(version=latest + 1, introduction=introduction)
        GuidelineRule.objects.bulk_create(
            GuidelineRule(guideline=guideline, code=code, title=title, text=text, position=i)
            for i, (code, title, text) in enumerate(rules)
        )
        audit.record(
            actor=actor,
            action="guidelines.publish",
            target_type="guidelines",
            target_id=guideline.version,
            guideline_version=guideline.version,
            data={"codes": codes},
        )
    return guideline


def publish_terms(*, actor: Actor, version: str, text: str) -> TermsVersion:
    if not actor.has_role("admin"):
        raise ParleyError("admin_only", _("Only administrators publish terms."), status=403)
    with transaction.atomic():
        if TermsVersion.objects.filter(version=version).exists():
            raise ParleyError("terms_version_taken", _("This terms version exists."), status=409)
        terms = TermsVersion.objects.create(version=version, text=text)
        audit.record(actor=actor, action="terms.publish", target_type="terms", target_id=version)
    return terms
