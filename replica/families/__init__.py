"""Per-CMS-family renderers: Hanweb JCMS, TRS WCM and the Anhui (Lonsun-style) platform."""

from __future__ import annotations

from ..world import Portal, World
from .anhui import AnhuiPortal
from .base import FamilyPortal, Request, Response
from .hanweb import HanwebPortal
from .trs import TrsPortal

FAMILIES: dict[str, type[FamilyPortal]] = {
    "hanweb": HanwebPortal,
    "trs": TrsPortal,
    "anhui": AnhuiPortal,
}


def portal_renderer(world: World, portal: Portal) -> FamilyPortal:
    return FAMILIES[portal.site.family](world, portal)


__all__ = ["FAMILIES", "FamilyPortal", "Request", "Response", "portal_renderer"]
