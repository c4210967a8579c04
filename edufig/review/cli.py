"""`edufig serve` and `edufig review-link`: run the review site, sign a link by hand."""

from __future__ import annotations

import argparse
import sys

from edufig.core.config import Settings


def serve(settings: Settings, host: str, port: int) -> int:
    import uvicorn

    from edufig.alerts.secrets import SecretError
    from edufig.review.app import create_app
    from edufig.review.links import Signer, review_secret

    try:
        signer = Signer(review_secret())
    except SecretError as exc:
        print(f"edufig serve: {exc}", file=sys.stderr)
        return 2
    # no access log: a link's path is its bearer token
    uvicorn.run(create_app(settings, signer), host=host, port=port, access_log=False)
    return 0


def review_link(args: argparse.Namespace) -> int:
    """A signed link for one recipient (province name/code, or * for all provinces)."""
    from edufig.alerts.subscriptions import find_province
    from edufig.review.links import ALL_PROVINCES, flag_link

    code = ALL_PROVINCES
    if args.province != ALL_PROVINCES:
        province = find_province(args.province)
        if province is None:
            print(f"edufig review-link: unknown province {args.province!r}", file=sys.stderr)
            return 2
        code = province.code
    link = flag_link(args.recipient, code, args.flag)
    if link is None:
        print("edufig review-link: set EDUFIG_REVIEW_SECRET (16+ characters)", file=sys.stderr)
        return 2
    print(link)
    return 0
