"""The golden sample site, built and compared file by file with the committed tree.

After an intended change to the output, regenerate the expected tree with
`make golden` and review the diff before committing it.
"""

from __future__ import annotations

import difflib

from conftest import GOLDEN, tree


def test_golden_site_matches_expected_tree(golden_site):
    """The session's build of the golden site (conftest), which every other reader shares."""
    built, expected = tree(golden_site), tree(GOLDEN / "expected")

    assert sorted(built) == sorted(expected), "the set of files changed; run `make golden` if intended"
    for name in sorted(expected):
        if built[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode().splitlines(), built[name].decode().splitlines(),
                f"expected/{name}", f"built/{name}", lineterm="", n=2)
            raise AssertionError(f"{name} differs (run `make golden` if intended):\n" + "\n".join(list(diff)[:60]))
