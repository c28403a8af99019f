"""`python -m hrlab.devserver --host --port --api-key --api-secret`."""

from __future__ import annotations

import argparse

from hrlab.config import DEV_API_KEY, DEV_API_SECRET
from hrlab.devserver.server import serve


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve."""
    parser = argparse.ArgumentParser(prog="hrlab devserver", description="LiveKit-protocol dev server")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7880, help="port to listen on (default 7880)")
    parser.add_argument("--api-key", default=DEV_API_KEY, help="API key tokens must be issued by")
    parser.add_argument("--api-secret", default=DEV_API_SECRET, help="API secret tokens must be signed with")
    args = parser.parse_args(argv)
    serve(host=args.host, port=args.port, api_key=args.api_key, api_secret=args.api_secret)


if __name__ == "__main__":
    main()
