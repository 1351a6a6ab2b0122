"""Commands about audiences: every named output built, a build proved to leak nothing, the next change."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from ..build import Options, Result, build_site, read_briefs
from ..config import load_site_config
from ..errors import BuildError, BuildFailed
from ..output.leaks import find_leaks
from ..site.audience import label, next_change, rfc3339


def outputs_of(options: Options) -> list[tuple[str, Options]]:
    """Each output site.yml declares, as (name, the options to build it); raises BuildFailed if none."""
    config, _ = load_site_config(options.source, options.base_url)
    if not config.outputs:
        raise BuildFailed([BuildError("site.yml", 0, 0, "declares no outputs for --all; add "
                                      "outputs: {public: {audience: clear, output: site}, ...}")])
    return [(out.name, replace(options, output=options.source / out.output, audience=out.audience,
                               base_url=out.base_url)) for out in config.outputs]


def prove(options: Options) -> tuple[Result, list[BuildError]]:
    """Build into a temporary folder and search every file of it (the search index decompressed) for
    each left-out brief's title, URL, slug, summary and distinctive sentences: an error per trace."""
    folder = Path(tempfile.mkdtemp(prefix="briefsite-check-"))
    try:
        result = build_site(replace(options, output=folder / "site", cache=False, force=False))
        chosen = result.selection
        try:
            leaks = find_leaks(folder / "site", chosen.left_out_briefs, chosen.briefs)
        except ValueError as exc:  # a file the scan cannot read whole proves nothing
            raise BuildFailed([BuildError("check", 0, 0, f"cannot search the built site: {exc}")]) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    build = label(chosen.audience)
    errors = [BuildError(leak.brief, 0, 0, f"left out of the {build} build ({chosen.left_out[leak.brief]}), "
                                           f"yet {leak.found} is in {leak.file}") for leak in leaks]
    return result, errors


def upcoming(options: Options, now: datetime | None) -> datetime | None:
    """The next moment after `now` at which the site for the options' audience changes by itself."""
    config, briefs = read_briefs(options)
    moment = replace(options, now=now).moment(config)
    return next_change(briefs, config.audience, moment, options.drafts)


def soonest(moments) -> str:
    """The earliest of `moments` (None ignored) as RFC 3339, or ''."""
    known = [moment for moment in moments if moment is not None]
    return rfc3339(min(known)) if known else ""
