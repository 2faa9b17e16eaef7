"""Per-CMS-family renderers: Hanweb JCMS, TRS WCM, the Anhui (Lonsun-style) platform, Guangdong
gkmlpt, Hanweb jpaas, the Shandong /gongkai/ platform, 开普云 UCAP and one home-grown CMS."""

from __future__ import annotations

from ..world import Portal, World
from .anhui import AnhuiPortal
from .base import FamilyPortal, Request, Response
from .custom import CustomPortal
from .gkmlpt import GkmlptPortal
from .hanweb import HanwebPortal
from .jpaas import JpaasPortal
from .shandong import ShandongPortal
from .trs import TrsPortal
from .ucap import UcapPortal

FAMILIES: dict[str, type[FamilyPortal]] = {
    "hanweb": HanwebPortal,
    "trs": TrsPortal,
    "anhui": AnhuiPortal,
    "gkmlpt": GkmlptPortal,
    "jpaas": JpaasPortal,
    "shandong": ShandongPortal,
    "ucap": UcapPortal,
    "custom": CustomPortal,
}


def portal_renderer(world: World, portal: Portal) -> FamilyPortal:
    return FAMILIES[portal.site.family](world, portal)


__all__ = ["FAMILIES", "FamilyPortal", "Request", "Response", "portal_renderer"]
