"""The site configuration: defaults, validation and exact error texts."""

import pytest

from briefsite.config import DEFAULT_EXTENSIONS, Config, TaxonomyConfig
from briefsite.config.load import load_config

RESERVED = "briefs, page, timeline, static, search, pagefind, feed, 404, authors, corrections, threads, sources, media, map, places, maps, editions"
DEFAULT_TAXONOMIES = (
    TaxonomyConfig("tags", "Tags", "Tag", "tags"),
    TaxonomyConfig("countries", "Countries", "Country", "countries"),
    TaxonomyConfig("organizations", "Organizations", "Organization", "organizations"),
)


def load(tmp_path, text: str, base_url=None):
    (tmp_path / "site.yml").write_text(text, encoding="utf-8")
    return load_config(tmp_path, "", base_url)


def messages(tmp_path, text: str, base_url=None) -> list[str]:
    return [str(e) for e in load(tmp_path, text, base_url)[1]]


def test_defaults_without_site_yml(tmp_path):
    config, errors = load_config(tmp_path, "site")
    assert errors == []
    assert config == Config()
    assert config.title == "Briefings"
    assert config.base_url == "http://127.0.0.1:8000/"
    assert config.base_path == "/"
    assert config.timezone == "UTC"
    assert config.taxonomies == DEFAULT_TAXONOMIES
    assert config.taxonomy_names == ("tags", "countries", "organizations")
    assert (config.page_size, config.list_page_size, config.allow_raw_html) == (10, 30, False)
    assert config.markdown_extensions == DEFAULT_EXTENSIONS


def test_empty_site_yml_gives_defaults(tmp_path):
    assert load(tmp_path, "") == (Config(), [])


def test_settings_are_read(tmp_path):
    config, errors = load(tmp_path, "title: Desk\nlanguage: th\ntimezone: Asia/Bangkok\npage_size: 5\n"
                                    "allow_raw_html: true\nmarkdown_extensions: [tables]\n")
    assert errors == []
    assert (config.title, config.language, config.timezone, config.page_size) == ("Desk", "th", "Asia/Bangkok", 5)
    assert config.allow_raw_html is True
    assert config.markdown_extensions == ("tables",)
    assert config.tz.key == "Asia/Bangkok"


def test_bom_and_crlf_accepted(tmp_path):
    (tmp_path / "site.yml").write_bytes(b"\xef\xbb\xbftitle: T\r\nbase_url: https://e.org/b\r\n")
    config, errors = load_config(tmp_path, "")
    assert errors == []
    assert (config.title, config.base_url) == ("T", "https://e.org/b/")


@pytest.mark.parametrize(("url", "base_url", "base_path"), [
    ("https://user.github.io/briefs", "https://user.github.io/briefs/", "/briefs/"),
    ("https://user.github.io/briefs/", "https://user.github.io/briefs/", "/briefs/"),
    ("https://example.org", "https://example.org/", "/"),
    ("http://example.org/a/b", "http://example.org/a/b/", "/a/b/"),
])
def test_base_url_gains_slash_and_gives_base_path(tmp_path, url, base_url, base_path):
    config, errors = load(tmp_path, f"base_url: {url}\n")
    assert errors == []
    assert (config.base_url, config.base_path) == (base_url, base_path)


def test_base_url_with_empty_query_is_refused(tmp_path):
    config, errors = load(tmp_path, "base_url: 'https://example.org/briefs?'\n")
    assert [str(e) for e in errors] == [
        "site.yml:1:11: base_url: expected an absolute http(s) URL such as https://example.org/briefs/, "
        "got 'https://example.org/briefs?'"]


def test_base_url_override(tmp_path):
    config, errors = load(tmp_path, "base_url: https://a.org/\n", base_url="https://b.org/sub")
    assert errors == []
    assert (config.base_url, config.base_path) == ("https://b.org/sub/", "/sub/")


def test_base_url_override_without_site_yml(tmp_path):
    config, errors = load_config(tmp_path, "", "https://b.org/x/")
    assert (config.base_url, errors) == ("https://b.org/x/", [])


def test_bad_base_url_override_names_the_option(tmp_path):
    _, errors = load_config(tmp_path, "site", "ftp://x")
    assert [str(e) for e in errors] == [
        "--base-url: base_url: expected an absolute http(s) URL such as https://example.org/briefs/, got 'ftp://x'"]


URL_HELP = "base_url: expected an absolute http(s) URL such as https://example.org/briefs/, got"
ZONE_HELP = "expected an IANA name such as 'Asia/Shanghai'"
ALLOWED = ("allowed: abbr, admonition, attr_list, codehilite, def_list, extra, fenced_code, footnotes, legacy_attrs, "
           "legacy_em, md_in_html, meta, nl2br, sane_lists, smarty, tables, toc, wikilinks; "
           "Python-Markdown's own also as markdown.extensions.NAME")


@pytest.mark.parametrize(("text", "message"), [
    ("titel: X\n", "site.yml:1:8: unknown setting 'titel'; did you mean 'title'?"),
    ("colour: red\n", "site.yml:1:9: unknown setting 'colour'"),
    ("title: 5\n", "site.yml:1:8: title: expected a string, got 5"),
    ("title:\n", "site.yml:1:7: title: expected a string, got None"),
    ("page_size: 0\n", "site.yml:1:12: page_size: expected a whole number of at least 1, got 0"),
    ("page_size: true\n", "site.yml:1:12: page_size: expected a whole number of at least 1, got True"),
    ("list_page_size: '3'\n", "site.yml:1:17: list_page_size: expected a whole number of at least 1, got '3'"),
    ("allow_raw_html: 'yes'\n", "site.yml:1:17: allow_raw_html: expected true or false, got 'yes'"),
    ("base_url: ftp://x.org/\n", f"site.yml:1:11: {URL_HELP} 'ftp://x.org/'"),
    ("base_url: /briefs/\n", f"site.yml:1:11: {URL_HELP} '/briefs/'"),
    ("base_url: https://x.org/b?x=1\n", f"site.yml:1:11: {URL_HELP} 'https://x.org/b?x=1'"),
    ("base_url: https://x.org/b#top\n", f"site.yml:1:11: {URL_HELP} 'https://x.org/b#top'"),
    ("timezone: Mars/Olympus\n", f"site.yml:1:11: timezone: unknown timezone 'Mars/Olympus'; {ZONE_HELP}"),
    ("timezone: ../../etc/passwd\n", f"site.yml:1:11: timezone: unknown timezone '../../etc/passwd'; {ZONE_HELP}"),
    ("markdown_extensions: tables\n",
     "site.yml:1:22: markdown_extensions: expected a list of strings, got 'tables'"),
    ("markdown_extensions: [nosuchext]\n",  # refused before anything is imported (issue 11)
     f"site.yml:1:22: markdown_extensions: 'nosuchext' is not an allowed Markdown extension ({ALLOWED})"),
    ("title: a\ntitle: b\n", "site.yml:2:1: duplicate key 'title' (first given on line 1)"),
    ("title: [unclosed\n", "site.yml:2:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"),
    ("- a\n- b\n", "site.yml:1:1: expected a mapping of settings (key: value)"),
    ("just text\n", "site.yml:1:1: expected a mapping of settings (key: value)"),
    ("x: !!python/object/apply:os.system ['true']\n",
     "site.yml:1:4: invalid YAML: could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/object/apply:os.system'"),
])
def test_bad_setting_gives_exact_error(tmp_path, text, message):
    config, errors = load(tmp_path, text)
    assert [str(e) for e in errors] == [message]
    assert config == Config()


def test_all_bad_settings_reported_together(tmp_path):
    assert messages(tmp_path, "titel: X\npage_size: 0\n") == [
        "site.yml:1:8: unknown setting 'titel'; did you mean 'title'?",
        "site.yml:2:12: page_size: expected a whole number of at least 1, got 0",
    ]


def test_error_path_includes_the_site_folder(tmp_path):
    (tmp_path / "site.yml").write_text("titel: X\n", encoding="utf-8")
    _, errors = load_config(tmp_path, "mysite")
    assert [str(e) for e in errors] == ["mysite/site.yml:1:8: unknown setting 'titel'; did you mean 'title'?"]


def test_invalid_utf8(tmp_path):
    (tmp_path / "site.yml").write_bytes(b"title: caf\xe9\n")
    config, errors = load_config(tmp_path, "site")
    assert [str(e) for e in errors] == ["site/site.yml: not valid UTF-8 (byte 10)"]
    assert config == Config()


def test_taxonomies_with_defaults(tmp_path):
    config, errors = load(tmp_path, "taxonomies:\n  regions:\n  people: {title: People, singular: Person}\n"
                                    "  key_cities: {segment: cities}\n  agencies: {}\n")
    assert errors == []
    assert config.taxonomies == (
        TaxonomyConfig("regions", "Regions", "Region", "regions"),
        TaxonomyConfig("people", "People", "Person", "people"),
        TaxonomyConfig("key_cities", "Key cities", "Key city", "cities"),
        TaxonomyConfig("agencies", "Agencies", "Agency", "agencies"),
    )
    assert config.taxonomy_names == ("regions", "people", "key_cities", "agencies")


def test_taxonomy_name_with_underscore_gets_hyphenated_segment(tmp_path):
    config, errors = load(tmp_path, "taxonomies:\n  key_people: {}\n")
    assert errors == []
    assert config.taxonomies == (TaxonomyConfig("key_people", "Key people", "Key people", "key-people"),)


@pytest.mark.parametrize(("text", "message"), [
    ("taxonomies: []\n", "site.yml:1:13: taxonomies: expected a mapping of taxonomy names to {title, singular, segment}"),
    ("taxonomies: {}\n", "site.yml:1:13: taxonomies: expected a mapping of taxonomy names to {title, singular, segment}"),
    ("taxonomies:\n  title: {}\n", "site.yml:2:10: taxonomies.title: 'title' is a brief key and cannot name a taxonomy"),
    ("taxonomies:\n  sources: {}\n",
     "site.yml:2:12: taxonomies.sources: 'sources' is a brief key and cannot name a taxonomy"),
    ("taxonomies:\n  briefs: {}\n",
     f"site.yml:2:11: taxonomies.briefs: segment 'briefs' must be a lowercase URL segment not in {RESERVED}"),
    ("taxonomies:\n  tags: {segment: timeline}\n",
     f"site.yml:2:9: taxonomies.tags: segment 'timeline' must be a lowercase URL segment not in {RESERVED}"),
    ("taxonomies:\n  tags: {segment: Tags}\n",
     f"site.yml:2:9: taxonomies.tags: segment 'Tags' must be a lowercase URL segment not in {RESERVED}"),
    ("taxonomies:\n  tags: {segment: ../x}\n",
     f"site.yml:2:9: taxonomies.tags: segment '../x' must be a lowercase URL segment not in {RESERVED}"),
    ("taxonomies:\n  tags: {titel: X}\n", "site.yml:2:9: taxonomies.tags: unknown key 'titel'; did you mean 'title'?"),
    ("taxonomies:\n  tags: [a]\n", "site.yml:2:9: taxonomies.tags: expected a mapping with title, singular and segment"),
    ("taxonomies:\n  tags: {title: ''}\n", "site.yml:2:9: taxonomies.tags: title: expected a non-empty string, got ''"),
    ("taxonomies:\n  tags: {singular: 5}\n", "site.yml:2:9: taxonomies.tags: singular: expected a non-empty string, got 5"),
    ("taxonomies:\n  my-tags: {}\n", "site.yml:2:12: taxonomies.my-tags: expected a name of letters, digits and underscores"),
])
def test_bad_taxonomy_gives_exact_error(tmp_path, text, message):
    assert messages(tmp_path, text) == [message]


def test_duplicate_taxonomy_segments_refused(tmp_path):
    assert messages(tmp_path, "taxonomies:\n  tags: {}\n  labels: {segment: tags}\n") == [
        "site.yml:2:9: taxonomies.tags: segment 'tags' is used twice",
        "site.yml:3:11: taxonomies.labels: segment 'tags' is used twice",
    ]
