"""Sign-in through the publisher's SSO, the real-name rule at sign-in, and /me."""

from __future__ import annotations

import json
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, override_settings

from conftest import Cast
from parley.comments.models import Comment
from parley.core.models import AuditEntry
from parley.identity.models import Commenter
from parley.identity.sso import mint_sso_token

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def comment(client: Client, cast: Cast, token: str, story_id: int | None = None) -> Any:
    return client.post(
        f"/api/v1/stories/{story_id or cast.story.pk}/comments",
        data=json.dumps({"body": "Hello there.", "accept_terms": "2026-01"}),
        content_type="application/json",
        **bearer(token),
    )


@pytest.mark.parametrize(
    ("given", "family"),
    [
        ("xX_gamer_Xx", "Smith"),
        ("john123", "Doe"),
        ("Jane", ""),
        ("Jоhn", "Smith"),
        ("Jo\u202ehn", "Doe"),
    ],
)
def test_implausible_names_cannot_post_but_can_fix_it(
    api_client: Client, cast: Cast, given: str, family: str
) -> None:
    token = mint_sso_token(subject="sketchy", given_name=given, family_name=family)
    response = comment(api_client, cast, token)
    assert response.status_code == 403
    problem = response.json()
    assert problem["code"] == "name_not_plausible"
    assert problem["fix"] == {"method": "PATCH", "path": "/api/v1/me"}
    assert problem["errors"]
    assert Comment.objects.count() == 0
    me = api_client.get("/api/v1/me", **bearer(token)).json()
    assert me["name_status"] == "refused"
    fixed = api_client.patch(
        "/api/v1/me",
        data=json.dumps({"given_name": "Zoë", "family_name": "Saldaña"}),
        content_type="application/json",
        **bearer(token),
    )
    assert fixed.status_code == 200, fixed.content
    assert fixed.json()["display_name"] == "Zoë Saldaña"
    assert comment(api_client, cast, token).status_code == 201


def test_name_correction_is_rechecked(api_client: Client, cast: Cast) -> None:
    before = Commenter.objects.get(pk=cast.reader.pk)
    response = api_client.patch(
        "/api/v1/me",
        data=json.dumps({"given_name": "@handle", "family_name": "x1"}),
        content_type="application/json",
        **cast.bearer("reader"),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "name_not_plausible"
    after = Commenter.objects.get(pk=cast.reader.pk)
    assert (after.given_name, after.family_name) == (before.given_name, before.family_name)


def test_names_are_stored_nfc(api_client: Client, cast: Cast) -> None:
    decomposed = "Genevie\u0300ve"
    token = mint_sso_token(subject="nfd", given_name=decomposed, family_name="Côté")
    assert comment(api_client, cast, token).status_code == 201
    assert Commenter.objects.get(sso_subject="nfd").given_name == "Geneviève"


def test_youth_member_real_name_is_never_returned(api_client: Client, cast: Cast) -> None:
    token = mint_sso_token(subject="kid-2", given_name="Emma", family_name="Tremblay", youth=True)
    created = comment(api_client, cast, token, story_id=cast.youth_story.pk)
    assert created.status_code == 201
    assert "Emma" not in created.content.decode()
    me = api_client.get("/api/v1/me", **bearer(token)).content.decode()
    assert "Emma" not in me and "Tremblay" not in me
    export = api_client.get("/api/v1/me/export", **bearer(token)).content.decode()
    assert "Emma" not in export
    # Nor are they kept.
    kid = Commenter.objects.get(sso_subject="kid-2")
    assert kid.given_name == kid.family_name == ""
    # A youth account cannot post under real-name rules.
    refused = comment(api_client, cast, token)
    assert refused.status_code == 403
    assert refused.json()["code"] == "youth_account_in_real_name_community"


def test_youth_community_shows_community_names_to_adults_too(
    api_client: Client, cast: Cast
) -> None:
    created = comment(api_client, cast, cast.tokens["reader"], story_id=cast.youth_story.pk)
    assert created.status_code == 201
    body = created.content.decode()
    assert "Geneviève" not in body
    assert created.json()["author"]["display_name"] == cast.reader.community_name


def test_community_name_proposal_waits_for_a_moderator(api_client: Client, cast: Cast) -> None:
    response = api_client.patch(
        "/api/v1/me",
        data=json.dumps({"community_name": "Star Gazer"}),
        content_type="application/json",
        **cast.bearer("youth_member"),
    )
    assert response.status_code == 200
    data = response.json()
    assert data["community_name_status"] == "pending"
    assert data["proposed_community_name"] == "Star Gazer"
    assert data["display_name"] != "Star Gazer"
    bad = api_client.patch(
        "/api/v1/me",
        data=json.dumps({"community_name": "x"}),
        content_type="application/json",
        **cast.bearer("youth_member"),
    )
    assert bad.status_code == 422


def test_session_exchange(api_client: Client, cast: Cast) -> None:
    response = api_client.post(
        "/api/v1/sessions",
        data=json.dumps({"sso_token": cast.tokens["reader"]}),
        content_type="application/json",
    )
    assert response.status_code == 201
    session = response.json()["session_token"]
    assert session.startswith("ps_")
    assert comment(api_client, cast, session).status_code == 201
    tampered = session[:-2] + ("AA" if not session.endswith("AA") else "BB")
    assert api_client.get("/api/v1/me", **bearer(tampered)).status_code == 401


def test_export_and_erase(api_client: Client, cast: Cast) -> None:
    created = comment(api_client, cast, cast.tokens["reader"]).json()
    export = api_client.get("/api/v1/me/export", **cast.bearer("reader")).json()
    assert export["profile"]["given_name"] == "Geneviève"
    assert export["comments"][0]["consent"]["terms_version"] == "2026-01"
    assert export["comments"][0]["body"] == "Hello there."
    assert api_client.delete("/api/v1/me", **cast.bearer("reader")).status_code == 204
    erased = Commenter.objects.get(pk=cast.reader.pk)
    assert erased.erased_at is not None and erased.given_name == ""
    gone = Comment.objects.get(pk=created["id"])
    assert gone.status == "withdrawn" and gone.body_raw == ""
    cast.story.refresh_from_db()
    assert cast.story.comment_count == 0
    # Signing in again starts a new, empty account: nothing links it to the erased one.
    again = api_client.get("/api/v1/me", **cast.bearer("reader")).json()
    assert again["id"] != cast.reader.pk
    assert api_client.get("/api/v1/me/export", **cast.bearer("reader")).json()["comments"] == []
    assert AuditEntry.objects.filter(action="commenter.erase").count() == 1


@pytest.fixture
def rsa_keys() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def test_rs256_tokens_and_key_confusion(
    api_client: Client, cast: Cast, rsa_keys: tuple[str, str]
) -> None:
    private, public = rsa_keys
    claims = {"sub": "rs-user", "given_name": "Ann", "family_name": "Lee", "exp": 4_000_000_000}
    good = jwt.encode(claims, private, algorithm="RS256")
    with override_settings(PARLEY_SSO_PUBLIC_KEY=public):
        assert api_client.get("/api/v1/me", **bearer(good)).status_code == 200
        # HS256 signed with the public key as the secret: the classic confusion attack.
        import base64
        import hashlib
        import hmac

        header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=")
        payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
        signature = base64.urlsafe_b64encode(
            hmac.new(public.encode(), header + b"." + payload, hashlib.sha256).digest()
        ).rstrip(b"=")
        forged = b".".join([header, payload, signature]).decode()
        assert api_client.get("/api/v1/me", **bearer(forged)).status_code == 401
    # Without a configured public key, RS256 is not accepted at all.
    response = api_client.get("/api/v1/me", **bearer(good))
    assert response.status_code == 401
    assert response.json()["code"] == "algorithm_not_allowed"


def test_token_too_large(api_client: Client, cast: Cast) -> None:
    token = mint_sso_token(subject="big", given_name="A" * 5000, family_name="B" * 5000)
    response = api_client.get("/api/v1/me", **bearer(token))
    assert response.status_code == 401
    assert response.json()["code"] == "token_too_large"
