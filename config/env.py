"""The one place that reads the process environment.

Everything Parley reads from the environment is declared here, with its default, so an operator
can see the whole surface in one file (see docs/operations.md).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Environment:
    data_dir: Path
    database_url: str
    redis_url: str | None
    sso_secret: str
    sso_public_key: str | None
    embed_origins: tuple[str, ...]
    trusted_proxies: tuple[str, ...]
    secret_key: str
    debug: bool
    allowed_hosts: tuple[str, ...]
    scorer: str | None
    perspective_api_key: str | None
    time_zone: str
    test_database_url: str | None
    test_redis_url: str | None
    # CDN purge endpoint for story pages (see docs/embed.md); none by default.
    purge_url: str | None = None
    # The demo's stand-in for a publisher login (/demo/login/): `parley demo` turns it on.
    demo_login: bool = False
    rate_limit_scale: float = 1.0
    # The ASGI fast path for cached thread pages (config/fastpath.py); "0" turns it off.
    page_fast_path: bool = True


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in value.replace(";", ",").split(",") if part.strip())


def _scale(value: str | None) -> float:
    if not value:
        return 1.0
    try:
        scale = float(value)
    except ValueError:
        raise ValueError(f"PARLEY_RATE_LIMIT_SCALE must be a number, not {value!r}") from None
    if scale < 0:
        raise ValueError("PARLEY_RATE_LIMIT_SCALE must not be negative")
    return scale


def _kept_secret(data_dir: Path, name: str) -> str:
    """A secret generated once and kept in the data folder, so restarts keep sessions/tokens."""
    path = data_dir / name
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    # Create exclusively so two processes starting together agree on one secret.
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(value)
        os.chmod(path, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    return value


def read_environment(environ: dict[str, str] | None = None) -> Environment:
    env = dict(os.environ if environ is None else environ)
    data_dir = Path(env.get("PARLEY_DATA_DIR") or Path.cwd() / ".parley-data").resolve()
    database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'parley.sqlite3'}"
    return Environment(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=env.get("REDIS_URL") or None,
        sso_secret=env.get("PARLEY_SSO_SECRET") or _kept_secret(data_dir, "sso-secret"),
        sso_public_key=env.get("PARLEY_SSO_PUBLIC_KEY") or None,
        embed_origins=_split(env.get("PARLEY_EMBED_ORIGINS")),
        trusted_proxies=_split(env.get("PARLEY_TRUSTED_PROXIES")),
        secret_key=env.get("PARLEY_SECRET_KEY") or _kept_secret(data_dir, "secret-key"),
        debug=env.get("PARLEY_DEBUG", "").lower() in {"1", "true", "yes"},
        allowed_hosts=_split(env.get("PARLEY_ALLOWED_HOSTS"))
        or ("127.0.0.1", "localhost", "[::1]"),
        scorer=env.get("PARLEY_SCORER") or None,
        perspective_api_key=env.get("PARLEY_PERSPECTIVE_API_KEY") or None,
        time_zone=env.get("PARLEY_TIME_ZONE") or "America/Toronto",
        # Only the test settings use these: they point the suite at PostgreSQL/Redis.
        test_database_url=env.get("PARLEY_TEST_DATABASE_URL") or None,
        test_redis_url=env.get("PARLEY_TEST_REDIS_URL") or None,
        purge_url=env.get("PARLEY_PURGE_URL") or None,
        demo_login=env.get("PARLEY_DEMO_LOGIN", "").lower() in {"1", "true", "yes"},
        rate_limit_scale=_scale(env.get("PARLEY_RATE_LIMIT_SCALE")),
        page_fast_path=env.get("PARLEY_PAGE_FAST_PATH", "1").lower() not in {"0", "false", "no"},
    )
