"""The golden sample site, built and compared file by file with the committed tree.

After an intended change to the output, regenerate the expected tree with
`make golden` and review the diff before committing it.
"""

from __future__ import annotations

import difflib

from PIL import Image

from conftest import GOLDEN, tree


def drawn(name: str) -> bool:
    """Images the build draws or encodes (share images, renditions): Pillow's encoders and the fonts it
    finds make their bytes, so they are checked by what they are, not byte by byte."""
    return name.endswith("/share.png") or name.startswith("media/")


def test_golden_site_matches_expected_tree(golden_site):
    """The session's build of the golden site (conftest), which every other reader shares."""
    built, expected = tree(golden_site), tree(GOLDEN / "expected")
    cards = sorted(name for name in built if name.endswith("/share.png"))
    assert cards == sorted(name.replace("index.html", "share.png") for name in built
                           if name.startswith("briefs/") and name.endswith("/index.html")
                           and name.count("/") == 2)  # a share image beside every brief page
    for name in (*cards, *(n for n in built if n.startswith("media/") and n.endswith(".webp"))):
        with Image.open(golden_site / name) as image:
            assert image.size[0] > 0, name
    built = {name: data for name, data in built.items() if not drawn(name)}
    media = sorted(name for name in expected if drawn(name))
    assert media == [name for name in sorted(tree(golden_site)) if name.startswith("media/")]
    expected = {name: data for name, data in expected.items() if not drawn(name)}

    assert sorted(built) == sorted(expected), "the set of files changed; run `make golden` if intended"
    for name in sorted(expected):
        if built[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode().splitlines(), built[name].decode().splitlines(),
                f"expected/{name}", f"built/{name}", lineterm="", n=2)
            raise AssertionError(f"{name} differs (run `make golden` if intended):\n" + "\n".join(list(diff)[:60]))
