"""The site registry: declarative portal entries (`sites.toml`), looked up by key."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Column:
    name: str
    url: str


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    family: str
    home: str
    admin_code: str | None = None
    province: str | None = None
    prefecture: str | None = None
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def hosts(self) -> frozenset[str]:
        urls = [self.home, *(c.url for c in self.columns)]
        return frozenset(urlsplit(u).hostname or "" for u in urls)


class UnknownSiteError(KeyError):
    def __str__(self) -> str:
        return f"unknown site {self.args[0]!r}; known sites: {', '.join(sorted(load_sites()))}"


@cache
def load_sites() -> dict[str, Site]:
    data = tomllib.loads(resources.files(__package__).joinpath("sites.toml").read_text("utf-8"))
    sites = {}
    for key, entry in data.items():
        columns = tuple(Column(**c) for c in entry.pop("columns", ()))
        sites[key] = Site(key=key, columns=columns, **entry)
    return sites


def get_site(key: str) -> Site:
    try:
        return load_sites()[key]
    except KeyError:
        raise UnknownSiteError(key) from None


def site_for_url(url: str) -> Site | None:
    host = urlsplit(url).hostname or ""
    for site in load_sites().values():
        if host in site.hosts:
            return site
    return None
