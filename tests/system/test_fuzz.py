"""The whole build fuzzed: random bytes, random YAML and broken briefs in, a message or a valid site out.

Whatever the input, `build` exits 0 or 1 and never with a traceback; on 1 the
previous site is left exactly as it was; on 0 every file of the new site parses
with a real parser (HTML with html5lib in strict mode, XML with expat, JSON
without NaN or Infinity).
"""

from __future__ import annotations

import collections
import json
import shutil
import string
from pathlib import Path
from xml.dom import minidom

import html5lib
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefsite.commands.cli import main

from conftest import brief_text, tree, write_site

pytestmark = pytest.mark.slow  # some hundred builds: `make test` runs it, `make check` does not

KEYS = ("title", "date", "updated", "location", "summary", "sources", "slug", "draft", "extra",
        "tags", "countries", "organizations")
SITE = "title: Fuzz\nbase_url: https://example.org/fuzz/\nsearch: false\n"

scalars = (st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats() | st.text(max_size=30)
           | st.sampled_from(["2025-02-27", "2025-02-30", "2025-02-27T16:30:00+07:00", "0001-01-01T00:00+05:00",
                              "9999-12-31T23:59:59-12:00", "../../etc", "javascript:alert(1)", "<script>x</script>",
                              "{{ config }}", "\x1b[31mred", "\f\v\x01\ufffe", ".nan", "C++", "电信诈骗"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
headers = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=10), values, max_size=8)
bodies = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(list("#*_`[]()<>|-:!&\n ")), max_size=300)


def _yaml(header: dict) -> str:
    try:
        return yaml.safe_dump(header, allow_unicode=True)
    except (yaml.YAMLError, ValueError):
        return "title: x\n"


@st.composite
def brief_files(draw) -> bytes:
    """One brief file: YAML from random values, a valid brief broken at a random place, or random bytes."""
    kind = draw(st.sampled_from(["valid", "valid", "yaml", "mutated", "bytes"]))
    if kind == "valid":  # well-formed, every text field hostile: these must build, and the site must parse
        text = st.text(min_size=1, max_size=40).filter(str.strip)
        header = {"title": draw(text), "date": "2025-02-27", "location": draw(text), "summary": draw(text),
                  "tags": draw(st.lists(text, max_size=3)), "sources": [{"name": draw(text)}],
                  "extra": draw(st.dictionaries(st.text(max_size=8), values, max_size=3))}
        return f"---\n{_yaml(header)}---\n{draw(bodies)}\n".encode()
    if kind == "yaml":
        header = {"title": "T", "date": "2025-02-27", **draw(headers)}
        return f"---\n{_yaml(header)}---\n{draw(bodies)}\n".encode()
    if kind == "mutated":
        data = brief_text(title="Fuzzed", tags="[a, b]", sources="[Xinhua]", body=draw(bodies)).encode()
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(max_size=12)) + data[at + draw(st.integers(0, 12)):]
    return draw(st.binary(max_size=200))


names = st.text(alphabet=string.ascii_lowercase + string.digits + "-_.", min_size=1, max_size=20)


@pytest.fixture(scope="module")
def old_site(tmp_path_factory) -> Path:
    """A good site's output, built once: each example starts from a copy of it."""
    src = write_site(tmp_path_factory.mktemp("good"), {"a.md": brief_text(title="A good brief", tags="[x]")},
                     SITE + "share_images: true\n")
    result = CliRunner().invoke(main, ["build", "--source", str(src), "--output", str(src / "site"), "--quiet",
                                       "--no-cache", "--jobs", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return src / "site"


def parses(path: Path) -> None:
    """Fail unless `path` parses as what its name says it is."""
    data = path.read_bytes()
    if path.suffix == ".html":
        html5lib.HTMLParser(strict=True).parse(data)
    elif path.suffix in (".xml", ".svg"):
        minidom.parseString(data)
    elif path.suffix == ".json":
        json.loads(data, parse_constant=lambda name: pytest.fail(f"{path.name}: {name} is not JSON"))


EXAMPLES = 150


def test_any_input_gives_exit_0_with_a_valid_site_or_exit_1_with_the_old_site(tmp_path_factory, old_site, cli,
                                                                             undrawn_share_images):
    """Hypothesis runs `one_build` EXAMPLES times within this one test (so within one xdist worker), and the
    count of how the builds ended is then checked here: a fuzzer whose inputs all failed, or all built,
    would prove only half of the promise. Share images are not drawn: no parser reads a PNG's pixels."""
    outcomes: collections.Counter = collections.Counter()

    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(files=st.dictionaries(names, brief_files(), min_size=1, max_size=4), config=st.none() | headers)
    def one_build(files, config):
        root = tmp_path_factory.mktemp("fuzz")
        src, out = root / "src", root / "src" / "site"
        (src / "briefings").mkdir(parents=True)
        for name, data in files.items():
            (src / "briefings" / f"{name}.md").write_bytes(data)
        site_yml = SITE if config is None else _yaml({k: v for k, v in config.items() if k != "search"}) + "search: false\n"
        (src / "site.yml").write_text(site_yml, encoding="utf-8")
        shutil.copytree(old_site, out)
        before = tree(out)

        result = cli("build", "--source", src, "--output", out, "--quiet", "--no-cache", "--jobs", "1")

        outcomes[result.exit_code] += 1
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            assert tree(out) == before, "a failed build changed the output"
            assert result.stderr.rstrip().endswith("was left unchanged."), result.stderr
        else:
            for path in out.rglob("*"):
                if path.is_file():
                    parses(path)
        shutil.rmtree(root)

    one_build()
    print(f"\nfuzzed builds by exit status: {dict(outcomes)}")
    # Every example ran, and both ends were reached many times: a site builds only when its settings and all
    # of its one to four files do (two kinds in five are well-formed briefs), and about a quarter do.
    assert sum(outcomes.values()) >= EXAMPLES, outcomes
    assert outcomes[0] >= EXAMPLES // 10 and outcomes[1] >= EXAMPLES // 10, outcomes
