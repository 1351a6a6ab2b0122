"""Commands about audiences: every named output built, a build proved to leak nothing, the next change."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from ..build import Options, Result, build_site, check_output_folder, read_briefs
from ..config.load import load_site_config
from ..errors import BuildError, BuildFailed, fail_on_errors, shown
from ..output.folder import WORK_FOLDERS, beside, owned
from ..output.leaks import find_leaks
from ..site.audience import next_change, rfc3339
from ..values.tlp import label


def outputs_of(options: Options) -> list[tuple[str, Options]]:
    """Each output site.yml declares, as (name, the options to build it); raises BuildFailed if none, or if
    any output folder is refused (a source folder, a file), before anything is built."""
    config, _ = load_site_config(options.source, options.base_url)
    if not config.outputs:
        raise BuildFailed([BuildError("site.yml", 0, 0, "declares no outputs for --all; add "
                                      "outputs: {public: {audience: clear, output: site}, ...}")])
    outputs = [(out.name, replace(options, output=options.source / out.output, audience=out.audience,
                                  base_url=out.base_url)) for out in config.outputs]
    refused = []
    for _, one in outputs:
        try:
            check_output_folder(one)
        except BuildFailed as failure:
            refused += failure.problems
    fail_on_errors(refused)  # each output folder resolves (no loop of links) before they are compared
    fail_on_errors(_in_work_folders(outputs))
    return outputs


def _in_work_folders(outputs: list[tuple[str, Options]]) -> list[BuildError]:
    """An error for each output that is where another keeps its work (`.site.old` beside `site`): that build
    would clear it, or stage the other audience's site in it."""
    work = {}
    for name, one in outputs:
        for pattern in WORK_FOLDERS:
            work[beside(one.output.resolve(), pattern)] = name
    return [BuildError(shown(one.output), 0, 0, f"the output of '{name}' is where the build of '{work[where]}' "
                                                "keeps its work; choose another folder")
            for name, one in outputs if (where := one.output.resolve()) in work]


def prove(options: Options, its_output: bool = False) -> tuple[Result, list[BuildError]]:
    """Build into a temporary folder and search every file of it (the search index decompressed) for
    each left-out brief's title, URL, slug, summary and distinctive sentences: an error per trace. With
    `its_output`, the output folder's own files are searched too, when a build made it."""
    folder = Path(tempfile.mkdtemp(prefix="briefsite-check-"))
    try:
        result = build_site(replace(options, output=folder / "site", cache=False, force=False))
        chosen = result.selection
        leaks = _traces(folder / "site", chosen, "")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    links = []
    if its_output and owned(options.output):
        leaks += _traces(options.output, chosen, shown(options.output) + "/")
        links = [BuildError(shown(link), 0, 0, "is a symbolic link, which no build makes: a host would publish what "
                                               "it leads to, which no check has searched; remove it")
                 for link in _links(options.output)]
    build = label(chosen.audience)
    errors = [BuildError(brief, 0, 0, f"left out of the {build} build ({chosen.left_out[brief]}), yet {found} "
                                      f"is in {file}") for brief, found, file in leaks]
    return result, links + errors


def _links(folder: Path) -> list[Path]:
    """Every symbolic link under `folder`, none followed."""
    found = []
    for root, folders, files in os.walk(folder):
        found += [Path(root, name) for name in sorted(folders + files) if os.path.islink(os.path.join(root, name))]
    return found


def _traces(site: Path, chosen, prefix: str) -> list[tuple[str, str, str]]:
    """Each trace of a left-out brief in `site` as (brief, what was found, file shown with `prefix`)."""
    try:
        leaks = find_leaks(site, chosen.left_out_briefs, chosen.briefs)
    except ValueError as exc:  # a file the scan cannot read whole proves nothing
        raise BuildFailed([BuildError("check", 0, 0, f"cannot search {prefix or 'the built site'}: {exc}")]) from None
    return [(leak.brief, leak.found, prefix + leak.file) for leak in leaks]


def upcoming(options: Options, now: datetime | None) -> datetime | None:
    """The next moment after `now` at which the site for the options' audience changes by itself."""
    config, briefs = read_briefs(options)
    moment = replace(options, now=now).moment(config)
    return next_change(briefs, config.audience, moment, options.drafts)


def soonest(moments) -> str:
    """The earliest of `moments` (None ignored) as RFC 3339, or ''."""
    known = [moment for moment in moments if moment is not None]
    return rfc3339(min(known)) if known else ""
