"""A local replica of five real county-government portals, served over real HTTP.

>>> from replica import ReplicaServer, World
>>> with ReplicaServer(World(generation=0)) as srv:
...     srv.address  # "127.0.0.1:PORT"; send proxy-style or Host-header requests here
"""

from .server import ReplicaServer
from .sites import SITES, ColumnSpec, SiteSpec
from .world import ServedDoc, World

__all__ = ["ReplicaServer", "World", "ServedDoc", "SITES", "SiteSpec", "ColumnSpec"]
