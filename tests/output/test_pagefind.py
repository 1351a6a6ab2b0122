"""Pagefind run over a part of a site: exactly the pages named, however many."""

from __future__ import annotations

import gzip
import json

from briefsite.output.search import SIGNATURE, run_pagefind


def test_a_part_of_more_pages_than_an_argument_can_name_indexes_exactly_those(tmp_path):
    site = tmp_path / "site"
    for slug in ("kept", "other"):
        (site / "briefs" / slug).mkdir(parents=True)
        (site / "briefs" / slug / "index.html").write_text(
            f'<!doctype html><html lang="en"><body data-pagefind-body><h1>{slug} words</h1></body></html>')
    # 3,000 more pages, as a 10,000-brief year has: their glob alone is over the 128 KB one argument may hold.
    pages = ["briefs/kept/index.html"] + [f"briefs/a-long-slug-of-a-brief-in-a-large-year-{n:05}/index.html"
                                          for n in range(3000)]
    assert len(",".join(pages)) > 128 * 1024
    bundle = tmp_path / "bundle"
    run_pagefind({"2024": (site, pages)}, bundle, tmp_path / "out")
    fragments = list((bundle / "2024" / "fragment").glob("*.pf_fragment"))
    urls = [json.loads(gzip.decompress(f.read_bytes()).removeprefix(SIGNATURE))["url"] for f in fragments]
    assert urls == ["/briefs/kept/"]
    assert sorted(p.name for p in bundle.iterdir()) == ["2024"]  # its configuration folder is gone
