"""Campaign detection engine: pure Python (no Django), usable from the worker, the CLI and bench.

Entry points: :class:`CampaignEngine` (``add`` for incremental use, ``scan`` for batch) fed with
:class:`CommentSignal` records; results are :class:`Case` snapshots wrapped in :class:`CaseUpdate`.
"""

from parley.campaigns.detection.cases import Case, CaseUpdate
from parley.campaigns.detection.engine import CampaignEngine, EngineConfig
from parley.campaigns.detection.signals import CommentSignal

__all__ = ["CampaignEngine", "Case", "CaseUpdate", "CommentSignal", "EngineConfig"]
