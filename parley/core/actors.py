"""Who is acting: a plain value passed into every action, so audit rows say who did what."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ActorKind = Literal["commenter", "staff", "apikey", "system"]
Role = Literal["moderator", "staff", "admin"]

ROLE_RANK: dict[str, int] = {"moderator": 1, "staff": 2, "admin": 3}


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    id: str
    label: str
    # Staff roles held, with the communities each applies to (None = every community).
    roles: dict[str, frozenset[int] | None] = field(default_factory=dict)
    commenter_id: int | None = None

    def has_role(self, role: Role, community_id: int | None = None) -> bool:
        """True when the actor holds `role` (or a higher one) in that community."""
        for held, communities in self.roles.items():
            if ROLE_RANK.get(held, 0) < ROLE_RANK[role]:
                continue
            if communities is None or community_id is None or community_id in communities:
                return True
        return False

    @property
    def is_staff_side(self) -> bool:
        return bool(self.roles)


SYSTEM = Actor(kind="system", id="system", label="Parley", roles={"admin": None})
