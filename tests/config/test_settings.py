"""Settings are data, not code or paths (issue 11): a language is a BCP 47 tag, a base URL keeps
every link on its host, Markdown extensions come from a list, and no message drives the terminal."""

from __future__ import annotations

import json
import re
import sys
import textwrap

import markdown.util
import pytest

from briefsite.build import Options, build_site
from briefsite.config import Config
from briefsite.config.load import load_config
from briefsite.errors import BuildError, printable
from briefsite.site import urls

from conftest import brief_text, write_site


def messages(tmp_path, text: str) -> list[str]:
    (tmp_path / "site.yml").write_text(text, encoding="utf-8")
    return [str(e) for e in load_config(tmp_path, "")[1]]


def setting(tmp_path, text: str):
    (tmp_path / "site.yml").write_text(text, encoding="utf-8")
    config, errors = load_config(tmp_path, "")
    assert errors == []
    return config


# 1. language: a BCP 47 tag, short enough for Pagefind's file names.

LANGUAGE_HELP = "expected a BCP 47 language tag of at most 20 characters such as 'en', 'zh-Hans' or 'th', got"


@pytest.mark.parametrize("tag", ["en", "th", "zh-Hans", "zh-Hant-TW", "sr-Latn-RS", "es-419", "de-CH-1996",
                                 "sl-rozaj-biske", "zh-min-nan", "en-US-x-desk", "x-private", "i-klingon",
                                 "en-GB-oed", "EN-us", "ar-u-nu-latn", "zh-cmn-Hans-CN-x-abc"])
def test_well_formed_language_tags_are_accepted(tmp_path, tag):
    assert setting(tmp_path, f"language: {tag}\n").language == tag


@pytest.mark.parametrize("tag", ["/../../../../e", "../x", "e", "englishes-us", "en_US", "en--US", "en-", "-en",
                                 "123", "abcdefghi", "en-a", "en-x", "zh-Hans-Hant", "en US", "en-a-bb-x",
                                 "en-abcdefgh-abcdefgh-abcdefgh-abcdefgh-abcdefgh-abcdefgh-xyz", "zh-cmn-Hans-CN-x-abcd"])
def test_other_languages_are_refused(tmp_path, tag):
    assert messages(tmp_path, f"language: '{tag}'\n") == [f"site.yml:1:11: language: {LANGUAGE_HELP} {tag!r}"]


def test_the_longest_language_tag_builds_its_search_index_inside_the_site(make_site):
    src = make_site({"a.md": brief_text()}, "language: zh-cmn-Hans-CN-x-abc\n")
    build_site(Options(src, src / "site", jobs=1, cache=False))
    metas = sorted(p.relative_to(src).as_posix() for p in src.parent.rglob("*.pf_meta"))
    assert len(metas) == 2, metas  # the part of the brief's year, and the words index
    for meta, part in zip(metas, ["2025", "words"], strict=True):
        assert re.fullmatch(rf"site/pagefind/{part}/pagefind\.zh-cmn-hans-cn-x-abc_[0-9a-f]+\.pf_meta", meta), metas


# 2. base_url: nothing that makes a link leave its host.

URL_HELP = "expected an absolute http(s) URL such as https://example.org/briefs/, got"
PATH_HELP = "expected a path of letters, digits, %XX escapes and -._~!$()*+,;=:@, got"
HOST_HELP = "expected a host name of letters, digits, hyphens and dots (an international one in its xn-- form), got"
SPACE_HELP = "expected a URL without spaces or control characters (write a space as %20), got"
EMPTY_HELP = "expected a URL without an empty path segment ('//'), which makes links lead to another host, got"


@pytest.mark.parametrize(("url", "message"), [
    ("https://x//evil.example/", f"{EMPTY_HELP} 'https://x//evil.example/'"),
    ("https://x/a//b/", f"{EMPTY_HELP} 'https://x/a//b/'"),
    ("https://x/a///", f"{EMPTY_HELP} 'https://x/a///'"),
    ("https://user@host/", "expected a URL without a user name (user@), got 'https://user@host/'"),
    ("https://user:pw@host/", "expected a URL without a user name (user@), got 'https://user:pw@host/'"),
    ("https://x/\\\\evil.example/", "expected '/' rather than '\\', which browsers read as '/', "
                                    "got 'https://x/\\\\evil.example/'"),
    ("https://x\\\\@evil.example/", "expected '/' rather than '\\', which browsers read as '/', "
                                    "got 'https://x\\\\@evil.example/'"),
    ("https://x/a b/", f"{SPACE_HELP} 'https://x/a b/'"),
    ("https://x/\\u3000/", f"{SPACE_HELP} 'https://x/\\u3000/'"),
    ("https://x/\\u202e/", f"{SPACE_HELP} 'https://x/\\u202e/'"),
    ("https://x/\\t/evil/", "expected text without control characters, got 'https://x/\\t/evil/'"),
    ("https://x/\\n/", "expected text without control characters, got 'https://x/\\n/'"),
    ("https://x/./", "expected a URL without '.' or '..' path segments, got 'https://x/./'"),
    ("https://x/a/%2E%2e/", "expected a URL without '.' or '..' path segments, got 'https://x/a/%2E%2e/'"),
    ("https://x/a&b/", f"{PATH_HELP} 'https://x/a&b/'"),
    ("https://x/a'b/", f"{PATH_HELP} \"https://x/a'b/\""),
    ("https://x/a<b>/", f"{PATH_HELP} 'https://x/a<b>/'"),
    ("https://x/a%zz/", f"{PATH_HELP} 'https://x/a%zz/'"),
    ("https://x/100%/", f"{PATH_HELP} 'https://x/100%/'"),
    ("https://x_y.org/", f"{HOST_HELP} 'https://x_y.org/'"),
    ("https://-x.org/", f"{HOST_HELP} 'https://-x.org/'"),
    ("https://x..org/", f"{HOST_HELP} 'https://x..org/'"),
    ("https://bücher.example/", f"{HOST_HELP} 'https://bücher.example/'"),
    ("https://:80/", f"{HOST_HELP} 'https://:80/'"),
    ("https://[::1/", f"{URL_HELP} 'https://[::1/'"),
    ("https://[1.2.3.4]/", f"{URL_HELP} 'https://[1.2.3.4]/'"),
    ("https://[v1.x]/", f"{HOST_HELP} 'https://[v1.x]/'"),
    ("https://x:99999/", f"{URL_HELP} 'https://x:99999/'"),
    ("https://x:http/", f"{URL_HELP} 'https://x:http/'"),
    ("//evil.example/", f"{URL_HELP} '//evil.example/'"),
    ("javascript://x/", f"{URL_HELP} 'javascript://x/'"),
])
def test_base_urls_that_could_lead_elsewhere_are_refused(tmp_path, url, message):
    assert messages(tmp_path, f'base_url: "{url}"\n') == [f"site.yml:1:11: base_url: {message}"]


@pytest.mark.parametrize(("url", "base_url", "base_path"), [
    ("https://example.org/a%20b/c", "https://example.org/a%20b/c/", "/a%20b/c/"),
    ("https://example.org", "https://example.org/", "/"),
    ("https://example.org.", "https://example.org./", "/"),
    ("HTTPS://Example.ORG/Briefs/", "HTTPS://Example.ORG/Briefs/", "/Briefs/"),
    ("http://[::1]:8443/x/", "http://[::1]:8443/x/", "/x/"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000/", "/"),
    ("https://xn--bcher-kva.example/(x);y=1,z@~!$*+:/", "https://xn--bcher-kva.example/(x);y=1,z@~!$*+:/",
     "/(x);y=1,z@~!$*+:/"),
    ("https://example.org/简报/", "https://example.org/%E7%AE%80%E6%8A%A5/", "/%E7%AE%80%E6%8A%A5/"),
])
def test_valid_base_urls_are_kept_and_non_ascii_paths_encoded(tmp_path, url, base_url, base_path):
    config = setting(tmp_path, f'base_url: "{url}"\n')
    assert (config.base_url, config.base_path) == (base_url, base_path)


def test_bad_base_url_option_is_refused_like_the_setting(tmp_path):
    _, errors = load_config(tmp_path, "", "https://x//evil.example/")
    assert [str(e) for e in errors] == [f"--base-url: base_url: {EMPTY_HELP} 'https://x//evil.example/'"]


CRAFTED = ["https://example.org/a%20b/c/", "https://example.org/", "http://[::1]:8443/(x);y=1,z@~!$*+:/"]


@pytest.mark.parametrize("base", CRAFTED)
def test_every_links_helper_stays_on_the_host(base):
    config = Config(base_url=base)
    links = urls.Links(config.base_url, config.base_path, {"style.css": "0123456789"})
    for href in (links.path(""), links.path("briefs/x/"), links.path("tags/电信诈骗/#top"), links.home(2),
                 links.timeline(), links.search(), links.feed(kind="json"), links.asset("style.css")):
        assert href.startswith(config.base_path) and not href.startswith("//"), href
    for url in (links.absolute(""), links.absolute("sitemap.xml"), links.absolute("tags/a b/")):
        assert url.startswith(base) and "//" not in url.removeprefix(base.split("://")[0] + "://"), url


def test_links_refuse_what_would_leave_the_host():
    links = urls.Links("https://example.org/", "/", {})
    for make in (links.path, links.absolute):
        with pytest.raises(urls.UnsafePath, match="expected a site-relative URL, got '/evil.example/x'"):
            make("/evil.example/x")
    with pytest.raises(urls.UnsafePath, match="would link off the site"):
        urls.Links("https://x//evil.example/", "//evil.example/", {})


# Every URL a built site holds, whatever made it: attributes in pages, feeds and exports, and
# absolute URLs anywhere (the specifications' own namespaces aside).
ATTRIBUTE = re.compile(r'(?:href|src|action|content|data-base)=\\?"([^"\\]*)')
ABSOLUTE = re.compile(r"""https?://[^\s"'<>\\]+""")
SPECS = {"http://www.w3.org/2005/Atom", "http://www.sitemaps.org/schemas/sitemap/0.9", "https://schema.org",
         "https://jsonfeed.org/version/1.1"}


@pytest.fixture(scope="module", params=CRAFTED)
def crafted_site(request, tmp_path_factory):
    """A site built for a crafted but valid base URL, search on: (base URL, base path, output folder)."""
    src = write_site(tmp_path_factory.mktemp("crafted"), {
        "first.md": brief_text("First", "2025-01-02", tags="[fraud]", countries="[Thailand]"),
        "second.md": brief_text("Second", "2025-02-03", tags="[fraud]", body="See [the earlier one](first.md)."),
    }, f'base_url: "{request.param}"\nshare_images: true\n')  # the cards' addresses are links too
    build_site(Options(src, src / "site", jobs=1, cache=False))
    config = load_config(src, "")[0]
    return config.base_url, config.base_path, src / "site"


def test_every_url_of_a_built_site_stays_on_its_host(crafted_site):
    base_url, base_path, out = crafted_site
    checked = 0
    for path in sorted(out.rglob("*")):
        if path.suffix not in (".html", ".xml", ".json", ".txt") or path.relative_to(out).parts[0] == "pagefind":
            continue
        text = path.read_text(encoding="utf-8")
        for value in ATTRIBUTE.findall(text):
            if value.startswith("/") or "://" in value:
                assert value.startswith((base_path, base_url)), f"{path.name}: {value}"
                checked += 1
        for url in ABSOLUTE.findall(text):
            assert url.startswith(base_url) or url in SPECS, f"{path.name}: {url}"
    assert checked > 200


def quoted(text: str, pattern: str) -> list[str]:
    return re.findall(pattern, text)


def test_each_place_that_makes_a_link_makes_it_on_the_host(crafted_site):
    base_url, base_path, out = crafted_site

    def read(name):
        return (out / name).read_text(encoding="utf-8")

    second = read("briefs/second/index.html")
    places = {  # (what makes it, the values it made, what they must be)
        "Links.path": (quoted(second, r'<a class="wordmark" href="([^"]+)"'), [base_path]),
        "Links.asset": (quoted(second, r'rel="stylesheet" href="([^"?]+)\?v='), [f"{base_path}static/style.css"]),
        "canonical": (quoted(second, r'rel="canonical" href="([^"]+)"'), [f"{base_url}briefs/second/"]),
        "link between briefs": (quoted(second, r'<a href="([^"]+)">the earlier one'), [f"{base_path}briefs/first/"]),
        "permalink (JSON-LD)": (quoted(second, r'"mainEntityOfPage": "([^"]+)"'), [f"{base_url}briefs/second/"]),
        "feed ids": (quoted(read("feed.xml"), r"<id>([^<]+)</id>"),
                     [base_url, f"{base_url}briefs/second/", f"{base_url}briefs/first/"]),
        "feed self link": (quoted(read("feed.xml"), r'rel="self" type="application/atom\+xml" href="([^"]+)"'),
                           [f"{base_url}feed.xml"]),
        "JSON feed": ([json.loads(read("feed.json"))["feed_url"]], [f"{base_url}feed.json"]),
        "briefs.json": ([b["url"] for b in json.loads(read("briefs.json"))["briefs"]],
                        [f"{base_url}briefs/second/", f"{base_url}briefs/first/"]),
        "sitemap": (quoted(read("sitemap.xml"), r"<loc>([^<]+)</loc>")[:2], [base_url, f"{base_url}briefs/second/"]),
        "robots.txt": (quoted(read("robots.txt"), r"Sitemap: (\S+)"), [f"{base_url}sitemap.xml"]),
        "search data-base": (quoted(read("search/index.html"), r'data-base="([^"]+)"'), [base_path]),
    }
    for place, (made, expected) in places.items():
        assert made == expected, place
    assert not base_path.startswith("//") and base_url.startswith(("http://", "https://"))


# 3. markdown_extensions: Python-Markdown's own and installed entry points, nothing else imported.

MARKER = textwrap.dedent("""\
    from pathlib import Path
    from markdown.extensions import Extension
    Path(__file__).with_name("imported").touch()
    class Planted(Extension):
        def extendMarkdown(self, md):
            pass
    def makeExtension(**kwargs):
        return Planted(**kwargs)
""")


def test_an_extension_that_is_not_allowed_is_never_imported(tmp_path, monkeypatch, cli):
    (tmp_path / "planted_ext.py").write_text(MARKER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "briefings").mkdir()
    for names in ("[planted_ext]", "[os]", "[os.path]", "[markdown.extensions.os]", "[tables, planted_ext]",
                  "['planted_ext:makeExtension']"):
        (tmp_path / "site.yml").write_text(f"markdown_extensions: {names}\n", encoding="utf-8")
        result = cli("check", "--source", tmp_path)
        assert result.exit_code == 1 and "is not an allowed Markdown extension" in result.stderr, names
    assert not (tmp_path / "imported").exists() and "planted_ext" not in sys.modules


def test_a_near_miss_is_named(tmp_path):
    assert messages(tmp_path, "markdown_extensions: [table]\n") == [
        "site.yml:1:22: markdown_extensions: 'table' is not an allowed Markdown extension; did you mean 'tables'? "
        "(allowed: abbr, admonition, attr_list, codehilite, def_list, extra, fenced_code, footnotes, legacy_attrs, "
        "legacy_em, md_in_html, meta, nl2br, sane_lists, smarty, tables, toc, wikilinks; "
        "Python-Markdown's own also as markdown.extensions.NAME)"]


def test_own_extensions_by_name_or_module(tmp_path):
    config = setting(tmp_path, "markdown_extensions: [tables, markdown.extensions.admonition, nl2br]\n")
    assert config.markdown_extensions == ("tables", "markdown.extensions.admonition", "nl2br")


def test_an_installed_entry_point_is_allowed_by_name(tmp_path, monkeypatch):
    (tmp_path / "planted_ep.py").write_text(MARKER, encoding="utf-8")
    info = tmp_path / "planted_ep-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: planted-ep\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[markdown.extensions]\nplanted = planted_ep:makeExtension\n",
                                           encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    markdown.util.get_installed_extensions.cache_clear()  # Markdown reads its entry points once
    try:
        assert messages(tmp_path, "markdown_extensions: [planted_ep]\n")[0].startswith(
            "site.yml:1:22: markdown_extensions: 'planted_ep' is not an allowed Markdown extension")
        assert not (tmp_path / "imported").exists()
        assert setting(tmp_path, "markdown_extensions: [planted]\n").markdown_extensions == ("planted",)
        assert (tmp_path / "imported").exists()  # allowed, so loaded to check it works
    finally:
        sys.modules.pop("planted_ep", None)
        markdown.util.get_installed_extensions.cache_clear()


def test_an_own_extension_without_its_entry_point_is_never_a_top_level_module(tmp_path, monkeypatch):
    (tmp_path / "tables.py").write_text(MARKER, encoding="utf-8")  # PyTables' name, say
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("briefsite.config.settings.get_installed_extensions", lambda: ())
    config = setting(tmp_path, "markdown_extensions: [tables]\n")
    assert config.markdown_extensions == ("markdown.extensions.tables",)
    assert not (tmp_path / "imported").exists()


# 4. Other settings: text without control characters, timezones that are zones.

@pytest.mark.parametrize(("text", "message"), [
    ('title: "\\e[31mred"\n', "site.yml:1:8: title: expected text without control characters, got '\\x1b[31mred'"),
    ('author: "a\\0b"\n', "site.yml:1:9: author: expected text without control characters, got 'a\\x00b'"),
    ('description: "x\\x85"\n',
     "site.yml:1:14: description: expected text without control characters, got 'x\\x85'"),
    ('taxonomies:\n  tags: {title: "a\\eb"}\n',
     "site.yml:2:9: taxonomies.tags: title: expected text without control characters, got 'a\\x1bb'"),
    ("timezone: America\n", "site.yml:1:11: timezone: unknown timezone 'America'; expected an IANA name such as "
                            "'Asia/Shanghai'"),
    (f"timezone: {'a' * 300}\n", f"site.yml:1:11: timezone: unknown timezone '{'a' * 300}'; expected an IANA name "
                                 "such as 'Asia/Shanghai'"),
])
def test_settings_with_control_characters_or_odd_zones_are_refused(tmp_path, text, message):
    assert messages(tmp_path, text) == [message]


# 5. Messages show control characters escaped: none can move the cursor or recolour the terminal.

def test_messages_escape_control_characters():
    error = BuildError("briefings/\x1b[2Jx.md", 3, 1, "unknown key '\x1b[31mred' is ignored", warning=True)
    assert str(error) == "briefings/\\x1b[2Jx.md:3:1: warning: unknown key '\\x1b[31mred' is ignored"
    assert printable("a\u202eb\u2028c\x9bd\r\n\ud800") == "a\\u202eb\\u2028c\\x9bd\\x0d\\x0a\\ud800"
    kept = "ประเทศไทย · 电信诈骗 · می‌خواهم · क्‍ष · 👩‍💻 · naïve"  # the joiners are part of the words
    assert printable(kept) == kept


def test_a_key_and_a_file_name_with_escapes_reach_the_terminal_escaped(make_site, cli, monkeypatch):
    src = make_site({"\x1b[2J.md": brief_text(date="2025-02-30")}, '"\\e[31mred": 1\n')
    monkeypatch.chdir(src)
    key = cli("check")
    assert (key.exit_code, key.stderr) == (1, "site.yml:1:14: unknown setting '\\x1b[31mred'\n"
                                              "Build failed with 1 error; nothing was written.\n")
    (src / "site.yml").write_text("search: false\n", encoding="utf-8")
    name = cli("check")
    assert (name.exit_code, name.stderr) == (1, "briefings/\\x1b[2J.md:3:7: date: '2025-02-30' is not a real date "
                                                "or time (day is out of range for month)\n"
                                                "Build failed with 1 error; nothing was written.\n")
