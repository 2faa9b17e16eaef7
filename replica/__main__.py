"""``python -m replica --port 8765 [--generation N]``: run the replica in the foreground."""

from __future__ import annotations

import argparse

from .server import ReplicaServer
from .sites import SITES
from .world import World


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m replica", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--generation", type=int, default=0)
    args = parser.parse_args(argv)
    server = ReplicaServer(World(generation=args.generation), host=args.host, port=args.port)
    server.start()
    print(f"replica listening on http://{server.address} (generation {args.generation})")
    print("use it as an HTTP proxy, or send origin-form requests with a Host: header")
    for site in SITES:
        print(f"  {site.base_url}/  [{site.key}, {site.family}, {site.encoding}]")
        for col in site.columns:
            print(f"      {col.url}  {col.name}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
