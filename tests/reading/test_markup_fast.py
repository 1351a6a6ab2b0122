"""The Markdown fast path gives Python-Markdown's own HTML: a differential test.

`markup.convert` renders a body with an instance that leaves out the inline patterns and
extensions whose syntax the body cannot contain. Here it is compared with the full instance on
the bench corpus, the repository's briefs, Python-Markdown's own test documents (from the
source release of the installed version, which `make test` downloads) and generated text.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
import unittest
import zlib

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown.test_tools import TestCase as MarkdownTestCase

from briefsite.config import DEFAULT_EXTENSIONS
from briefsite.reading import markup
from briefsite.reading.references import MARK

from conftest import ROOT, require_client

MARKDOWN_TESTS = ROOT / ".venv" / "markdown-tests" / "tests"
SUBSETS = [DEFAULT_EXTENSIONS, ("smarty", "toc"), ("tables", "footnotes", "attr_list", "abbr", "def_list"),
           ("fenced_code", "sane_lists"), ()]


def full(text: str, extensions: tuple[str, ...]) -> str:
    md = markup._markdown(extensions)  # every pattern of every extension
    try:
        return md.convert(text)
    finally:
        md.reset()


def differences(texts, extensions=DEFAULT_EXTENSIONS) -> list[str]:
    return [text[:80] for text in texts if markup.convert(text, extensions) != full(text, extensions)]


def test_the_fast_path_leaves_out_what_a_body_cannot_use():
    kept, unused = markup._variant("Plain words, and an apostrophe's.", DEFAULT_EXTENSIONS)
    assert kept == ("smarty", "toc", "sane_lists")
    assert "link" in unused and "em_strong" in unused and "smarty-quotes-8" not in unused
    assert "smarty-quotes-1" in unused  # no double quote
    # An extension it does not know may add syntax of its own: nothing is left out then.
    assert markup._variant("Plain.", ("wikilinks",)) == (("wikilinks",), frozenset())


def test_the_fast_path_marks_the_same_references():
    # The marks are in the HTML each path gives, so the tests below compare them too; here, that they are.
    text = '[a](x.md) and ![i](p.png) and [b][r], not `[c](y.md)`.\n\n[r]: d/f.pdf#p\n'
    expected = (f'<p><a href="x.md{MARK}">a</a> and <img alt="i" src="p.png{MARK}"> and '
                f'<a href="d/f.pdf#p{MARK}">b</a>, not <code>[c](y.md)</code>.</p>')
    assert markup.convert(text, DEFAULT_EXTENSIONS) == full(text, DEFAULT_EXTENSIONS) == expected


@pytest.mark.slow  # 600 bodies under five extension sets: `make test` runs it; `make check` has the briefs below
def test_the_same_html_on_the_bench_corpus():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import make_corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))
    bodies = [brief["body"] for brief in make_corpus.generate(600, 7)]
    assert len(bodies) == 600 and all(bodies)
    for extensions in SUBSETS:
        assert differences(bodies, extensions) == []


def test_the_same_html_on_the_repositorys_briefs():
    files = [path for folder in ("briefings", "tests") for path in (ROOT / folder).rglob("*.md")]
    assert len(files) > 10
    texts = [path.read_text("utf-8", errors="replace") for path in files]
    for extensions in SUBSETS:
        assert differences(texts, extensions) == []


@functools.cache
def python_markdown_documents() -> list[str]:
    require_client(MARKDOWN_TESTS.is_dir(), "Python-Markdown's test documents",
                   "run `make test` (it downloads Markdown's source release into .venv/markdown-tests)")
    documents = [path.read_text("utf-8") for path in sorted(MARKDOWN_TESTS.rglob("*.txt"))]
    documents = list(dict.fromkeys(documents + syntax_test_sources()))  # each text once: 859 of 1,031 in 3.11
    return [repeated_cut(document) for document in documents]


def repeated_cut(document: str, size: int = 20_000) -> str:
    """A document of one construct repeated thousands of times (Python-Markdown's tests of its own speed,
    such as '<!--' 50,000 times: they compress to under a twentieth) cut to its first `size` characters:
    the same construct, fewer repetitions. Both paths take time quadratic in some of them (a minute in all,
    for nothing the first 20,000 characters do not show); every other document is compared whole."""
    if len(document) > size and len(zlib.compress(document.encode())) < len(document) / 20:
        return document[:size]
    return document


def syntax_test_sources() -> list[str]:
    """Every source text Python-Markdown's test_syntax suite renders, collected by running it."""
    sources: list[str] = []
    record = lambda self, source, *args, **kwargs: sources.append(source)  # noqa: E731
    original = MarkdownTestCase.assertMarkdownRenders
    MarkdownTestCase.assertMarkdownRenders = record
    try:
        # Its tests import each other relatively: their folder is loaded as a package of another name.
        spec = importlib.util.spec_from_file_location("markdown_suite", MARKDOWN_TESTS / "__init__.py",
                                                      submodule_search_locations=[str(MARKDOWN_TESTS)])
        sys.modules["markdown_suite"] = package = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(package)
        for path in sorted((MARKDOWN_TESTS / "test_syntax").rglob("test_*.py")):
            name = ".".join(("markdown_suite", *path.relative_to(MARKDOWN_TESTS).with_suffix("").parts))
            module = importlib.import_module(name)
            unittest.TestLoader().loadTestsFromModule(module).run(unittest.TestResult())
    finally:
        MarkdownTestCase.assertMarkdownRenders = original
    return sources


@pytest.mark.slow  # 15 s in all: `make test` runs it, `make check` does not
@pytest.mark.parametrize("extensions", SUBSETS, ids=lambda names: "-".join(names) or "none")  # xdist shares them out
def test_the_same_html_on_python_markdowns_own_test_documents(extensions):
    documents = python_markdown_documents()
    assert sum(len(document) == 20_000 for document in documents) == 11  # the eleven cut by repeated_cut
    assert len(documents) > 800  # 100 documents and some thousand syntax cases in 3.11, some the same text
    assert differences(documents, extensions) == []


SYNTAX = st.sampled_from([
    "a", "word", " ", "  ", "\n", "\n\n", "\t", "\r\n", "*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")",
    "![", "[^1]", "[^1]: ", "<", ">", "&", "&amp;", "&#8212;", "<b>", "</b>", "<http://x.org>", "<a@b.org>",
    "|", "|-|", "{", "}", "{: .c }", "{#i}", ":", ": ", "\n: ", "```", "~~~", "*[HTML]: Hyper", "HTML",
    "'", '"', "--", "---", "...", "# ", "## ", "=\n", "-\n", "- ", "1. ", "> ", "    ", "[TOC]", "[a]: /u",
    "zz1337820767766393qq", "'70s", "\u0002", "\u0003", "\r", "é", "公安部",
    # whole constructs, which tokens alone seldom make
    "[a](/u)", "[a](/u \"t\")", "[a][r]", "[r][]", "\n[r]: /v\n", "![i](/p.png)", "![i][r]", "*em*", "**b**",
    "_em_", "`c`", "\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\n", "\n\nTerm\n: Def\n\n", "x[^n]\n\n[^n]: Note\n",
    "\n\n```\ncode\n```\n\n", "\n\n*[ABC]: A B C\n\nABC ", "\n\n# T {#t}\n\n", "line  \nbreak",
    # references to briefs and files, which the HTML marks (reading/references.py)
    "[a](x.md)", "[a](d/f.pdf#p \"optional\")", "![i](p.png)", "[![i](p.png)](x.md)", "\n[r]: d/f.pdf\n",
])


@settings(max_examples=400, deadline=None)
@example("*\x02[^1]: a", DEFAULT_EXTENSIONS)  # Markdown drops \x02 first: this is an abbreviation
@example("Term\r: definition", DEFAULT_EXTENSIONS)  # and makes \r a line's end
# One footnote referred to twice, first inside a quote: the whole inline pass numbers the references.
@example(">x[^n]\n\n[^n]: Note\n\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\nx[^n]\n\n[^n]: Note\n", DEFAULT_EXTENSIONS)
@given(st.lists(SYNTAX, max_size=40).map("".join), st.sampled_from(SUBSETS))
def test_the_same_html_on_generated_text(text, extensions):
    assert markup.convert(text, extensions) == full(text, extensions)


def test_the_installed_markdown_is_the_one_proved():
    # The substrings each pattern needs were read off these versions' patterns; pyproject.toml pins them.
    assert markdown.__version__.startswith("3.11."), markdown.__version__


@pytest.mark.parametrize("name", sorted(markup._PATTERN_NEEDS))
def test_every_pattern_named_exists_in_python_markdown(name):
    md = markdown.Markdown(extensions=list(DEFAULT_EXTENSIONS))
    assert name in md.inlinePatterns or name in md.treeprocessors["smarty"].inlinePatterns


def test_every_default_pattern_is_named_or_kept_on_purpose():
    md = markdown.Markdown(extensions=list(DEFAULT_EXTENSIONS))
    names = {name for registry in (md.inlinePatterns, md.treeprocessors["smarty"].inlinePatterns)
             for name in (registry[i] and registry._priority[i].name for i in range(len(registry)))}
    assert names - set(markup._PATTERN_NEEDS) == set()
