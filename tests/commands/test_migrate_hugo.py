"""`migrate --from hugo` (issue 25): old URLs by `permalinks`, shortcodes, authors, lead images, a real blog."""

from __future__ import annotations

import re
import shutil
import signal
import textwrap
from pathlib import Path

import pytest
from test_migrate import PHOTO, empty_site, summary, write

from briefsite.commands.migrate import shortcodes

from conftest import nu_errors

REAL = Path(__file__).parent.parent / "fixtures" / "real" / "opentelemetry-blog"


pytestmark = pytest.mark.usefixtures("in_tmp")  # in tmp_path: messages show paths relative to it


def header(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n")[1]


@pytest.mark.parametrize("config", [
    {"hugo.toml": "baseURL = 'https://example.org/'\n[permalinks]\nposts = '/:year/:month/:slug/'\n"
                  "notes = '/:section/:yearday/:filename/'\n"},
    {"config/_default/hugo.yaml": "baseURL: https://example.org/\n",
     "config/_default/permalinks.yaml": "page:\n  posts: /:year/:month/:slug/\n  notes: /:section/:yearday/:filename/\n"},
])
def test_old_urls_follow_the_sites_permalinks(tmp_path, cli, config):
    write(tmp_path / "hugo", {
        **config,
        "content/posts/first/index.md": "---\ntitle: \"Hugo 0.120: What's new?\"\ndate: 2022-12-01T00:00:00Z\n---\n"
                                        "See [the note](../../notes/a-note/).\n",
        "content/posts/second.md": "---\ntitle: Second\ndate: 2023-02-03T10:00:00+01:00\nslug: Own Slug\n---\n"
                                   "Back to [the first](first).\n",
        "content/notes/a-note.md": "---\ntitle: A note\ndate: 2023-02-10\n---\nText.\n",
    })
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "hugo", "hugo", "--source", "site")
    assert result.exit_code == 0, result.output
    briefs = tmp_path / "site/briefings"
    # :slug falls back to the title, urlized as Hugo does; a midnight date-time is a day.
    assert header(briefs / "2022-12-01-first.md") == (
        "title: 'Hugo 0.120: What''s new?'\ndate: 2022-12-01\naliases: [/2022/12/hugo-0.120-whats-new/]\n")
    assert "aliases: [/2023/02/own-slug/]\n" in header(briefs / "2023-02-03-own-slug.md")
    assert "aliases: [/notes/41/a-note/]\n" in header(briefs / "2023-02-10-a-note.md")
    assert "See [the note](2023-02-10-a-note.md).\n" in (briefs / "2022-12-01-first.md").read_text()
    assert "Back to [the first](2022-12-01-first.md).\n" in (briefs / "2023-02-03-own-slug.md").read_text()
    assert cli("build", "--source", "site", "--quiet").exit_code == 0


def test_shortcodes_become_markdown_and_the_rest_is_listed(tmp_path, cli):
    write(tmp_path / "hugo", {
        "content/posts/embeds/index.md": """
            ---
            title: Embeds
            date: 2024-05-01
            ---
            {{< vimeo id="55073825" title="A film" >}}

            {{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}

            {{< gist spf13 7896402 "img.html" >}}

            {{< instagram CxOWiQNP2MO >}}

            {{< highlight go "linenos=table" >}}
            fmt.Println("hi")
            {{< /highlight >}}

            {{< figure src="photo.jpg" alt="A photo" caption="Taken **there**" >}}

            {{< comment >}}Hidden on Hugo too.{{< /comment >}}

            {{< mine "x" >}}
        """,
        "content/posts/embeds/photo.jpg": PHOTO,
    })
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "hugo", "hugo", "--source", "site")
    assert result.exit_code == 0, result.output
    body = (tmp_path / "site/briefings/2024-05-01-embeds.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body == textwrap.dedent("""
        [A film](https://vimeo.com/55073825)

        [Post by @SanDiegoZoo on X](https://x.com/SanDiegoZoo/status/1453110110599868418)

        [Gist by spf13: img.html](https://gist.github.com/spf13/7896402#file-img-html)

        [Post on Instagram](https://www.instagram.com/p/CxOWiQNP2MO/)

        ```go
        fmt.Println("hi")
        ```

        ![A photo](2024-05-01-embeds/photo.jpg)

        *Taken **there***



        {{< mine "x" >}}
        """)
    assert summary(result.output)[-2:] == ["Unknown shortcodes/tags, left as they are:",
                                           '  hugo/content/posts/embeds/index.md:21: {{< mine "x" >}}']


def test_authors_images_and_keywords_come_along(tmp_path, cli):
    write(tmp_path / "hugo", {
        "hugo.toml": "baseURL = 'https://example.org/'\n",
        "data/authors/ann.yaml": "name: Ann Writer\nbio: Covers the port.\ngithub: annw\n",
        "content/authors/bo/_index.md": "---\ntitle: Bo Editor\n---\n",
        "content/posts/trip/index.md": "---\ntitle: Trip\ndate: 2024-05-02\nauthors: [ann, bo]\n"
                                       "keywords: [port, ships]\ncover: {image: photo.jpg, alt: The quay}\n---\n"
                                       "Text with ![a map](/images/map.png).\n",
        "content/posts/trip/photo.jpg": PHOTO,
        "static/images/map.png": PHOTO,
    })
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "hugo", "hugo", "--source", "site")
    assert result.exit_code == 0, result.output
    brief = tmp_path / "site/briefings/2024-05-02-trip.md"
    assert header(brief) == ("title: Trip\ndate: 2024-05-02\nauthors: [Ann Writer, Bo Editor]\n"
                             "tags: [port, ships]\nimage:\n  file: 2024-05-02-trip/photo.jpg\n  alt: The quay\n"
                             "aliases: [/posts/trip/]\n")
    assert "Text with ![a map](2024-05-02-trip/images/map.png).\n" in brief.read_text(encoding="utf-8")
    assert (tmp_path / "site/data/authors.yml").read_text(encoding="utf-8") == (
        "Ann Writer:\n  bio: Covers the port.\n  url: https://github.com/annw\nBo Editor:\n")


def migrated_otel(tmp_path, cli):
    """The OpenTelemetry blog's slice migrated into tmp_path/site; the migrate command's result."""
    shutil.copytree(REAL, tmp_path / "otel")
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "hugo", "otel", "--source", "site")
    assert result.exit_code == 0, result.output
    return result


def test_a_real_hugo_blog_migrates(tmp_path, cli):
    """A slice of the OpenTelemetry blog (CC BY 4.0): bundles, a language folder, params, figures, authors."""
    result = migrated_otel(tmp_path, cli)
    lines = summary(result.output)
    assert lines[:3] == ["Migrated from Hugo: 12 converted, 2 skipped, 0 not converted, 0 errors.",
                         "Headers converted: 12", "Links rewritten: 12"]
    assert "  otel/content/en/blog/2023/exponential-histograms.md:200: ../histograms-vs-summaries/ -> " \
           "2023-05-15-histograms-vs-summaries.md" in lines
    assert "  otel/content/en/blog/2022/gc-elections.md:46: /blog/2019/opentelemetry-governance-committee-explained/" \
           " -> 2019-11-06-opentelemetry-governance-committee-explained.md" in lines
    assert "  otel/content/en/blog/2023/integrations.md:13: /ecosystem/integrations/ -> " \
           "https://opentelemetry.io/ecosystem/integrations/" in lines
    assert lines[-7:] == [
        "Unknown shortcodes/tags, left as they are:",
        "  otel/content/en/blog/2023/integrations.md:7: {{< blog/integration-badge >}}",
        "Links not resolved, left as they are:",
        '  otel/content/en/blog/2025/declarative-config-rc3/index.md:62: {{% figure src="schema.gif" '
        'caption="Screen capture of using the schema from an editor demonstratin… (no such file)',
        "Skipped:",
        "  otel/content/en/blog/2023/_index.md: skipped (a section page, _index.md)",
        "  otel/content/en/blog/_index.md: skipped (a section page, _index.md)",
    ]
    briefs = tmp_path / "site/briefings"
    assert header(briefs / "2026-01-07-slack-community-insights.md") == (
        "title: What 10,000 Slack Messages Reveal About OpenTelemetry Adoption Challenges\ndate: 2026-01-07\n"
        "author: Juraci Paixão Kröhling\nimage: 2026-01-07-slack-community-insights/cover.png\n"
        "aliases: [/blog/2026/slack-community-insights/]\n")
    assert "[original post]: <https://medium.com/opentelemetry/announcing-opentelemetry-python-1-0-4e097562b8e0>" \
        in (briefs / "2021-03-26-python.md").read_text(encoding="utf-8")
    assert "Daniel Dyla:\n  url: https://github.com/dyladan\n" in \
        (tmp_path / "site/data/authors.yml").read_text(encoding="utf-8")


@pytest.mark.slow  # its images made into renditions take seconds: `make test` runs it, `make check` does not
def test_the_migrated_real_hugo_blog_builds_into_valid_html(tmp_path, cli):
    migrated_otel(tmp_path, cli)
    built = cli("build", "--source", "site", "--quiet")
    assert built.exit_code == 0, built.stderr
    assert (tmp_path / "site/site/blog/2023/histograms-vs-summaries/index.html").is_file()
    assert nu_errors(tmp_path / "site" / "site") == ""  # whatever the old posts' HTML held


def finishes_in_ten_seconds(work):
    """`work()`, failed if it runs longer than ten seconds (a regex that backtracks on hostile text)."""

    def too_slow(signum, frame):
        raise TimeoutError("took longer than 10 s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(10)
    try:
        return work()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_shortcode_left_open_with_spaces_is_read_in_linear_time():
    regex = re.compile(shortcodes.PATTERN, re.DOTALL | re.MULTILINE)
    body = "{{< x" + " " * 200_000
    assert finishes_in_ten_seconds(lambda: list(regex.finditer(body))) == []
    body = ("{{< x" + " " * 100) * 2_000
    assert finishes_in_ten_seconds(lambda: list(regex.finditer(body))) == []


def test_shortcodes_without_closing_tags_are_paired_in_linear_time():
    regex = re.compile(shortcodes.PATTERN, re.DOTALL | re.MULTILINE)
    body = "{{< x >}}" * 22_000 + "{{< /x >}}"
    tokens = finishes_in_ten_seconds(lambda: list(regex.finditer(body)))
    assert len(tokens) == 22_001
    assert shortcodes.pairs(tokens) == {21_999: 22_000}


def test_a_footnote_is_no_link_and_the_text_inside_a_shortcode_is_rewritten(tmp_path, cli):
    write(tmp_path / "hugo", {
        "hugo.toml": "baseURL = 'https://old.example/blog/'\n",
        "content/posts/x/index.md": """
            ---
            title: X
            date: 2024-05-01
            ---
            A claim.[^1]

            {{< notice >}}
            ![A photo](photo.jpg) and [the other]({{< ref "other" >}}) and [again](other.md).
            {{< /notice >}}

            {{< details summary="More" >}}
            See [the other](../other/).
            {{< /details >}}

            {{< highlight go >}}
            [a](other.md)
            {{< /highlight >}}

            [^1]: See the docs.
        """,
        "content/posts/x/photo.jpg": PHOTO,
        "content/posts/other.md": "---\ntitle: Other\ndate: 2024-04-01\n---\nText.\n",
    })
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "hugo", "hugo", "--source", "site")
    assert result.exit_code == 0, result.output
    body = (tmp_path / "site/briefings/2024-05-01-x.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body == textwrap.dedent("""
        A claim.[^1]

        {{< notice >}}
        ![A photo](2024-05-01-x/photo.jpg) and [the other](2024-04-01-other.md) and [again](2024-04-01-other.md).
        {{< /notice >}}

        **More**

        See [the other](2024-04-01-other.md).

        ```go
        [a](other.md)
        ```

        [^1]: See the docs.
        """)
    assert (tmp_path / "site/briefings/2024-05-01-x/photo.jpg").is_file()
    lines = summary(result.output)
    assert "Unknown shortcodes/tags, left as they are:" in lines
    assert "  hugo/content/posts/x/index.md:7: {{< notice >}}" in lines


def test_a_comment_hides_all_that_follows_when_left_open(tmp_path, cli):
    write(tmp_path / "hugo", {
        "content/posts/x.md": """
            ---
            title: X
            date: 2024-05-01
            ---
            Shown. {{< comment >}}Hidden.{{< /comment >}} Shown too.

            {{% comment %}} Never
            published.
        """,
    })
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "hugo", "hugo", "--source", "site")
    assert result.exit_code == 0, result.output
    body = (tmp_path / "site/briefings/2024-05-01-x.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body == "\nShown.  Shown too.\n"
    lines = summary(result.output)
    assert lines[lines.index("Removed, hidden on the old site:") + 1:][:2] == [
        "  hugo/content/posts/x.md:5: {{< comment >}}Hidden.{{< /comment >}}",
        "  hugo/content/posts/x.md:7: {{% comment %}} Never published.",
    ]
    assert lines[:3] == ["Migrated from Hugo: 1 converted, 0 skipped, 0 not converted, 0 errors.",
                         "Headers converted: 1", "Links rewritten: 0"]


def test_pages_hugo_never_published_stay_unpublished(tmp_path, cli):
    write(tmp_path / "hugo", {
        "content/posts/a.md": "+++\ntitle = 'A'\ndate = 2024-05-01\ndraft = \"true\"\n+++\nText.\n",
        "content/posts/b/index.md": "---\ntitle: B\ndate: 2024-05-02\nheadless: true\n---\nText.\n",
        "content/posts/c.md": "---\ntitle: C\ndate: 2024-05-03\nbuild: {render: never}\n---\nText.\n",
        "content/posts/d.md": "---\ntitle: D\ndate: 2024-05-04\n_build: {render: false}\n---\nText.\n",
    })
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "hugo", "hugo", "--source", "site")
    assert result.exit_code == 0, result.output
    assert header(tmp_path / "site/briefings/2024-05-01-a.md") == (
        "title: A\ndate: 2024-05-01\ndraft: true\naliases: [/posts/a/]\n")
    assert sorted(p.name for p in (tmp_path / "site/briefings").iterdir()) == ["2024-05-01-a.md"]
    assert summary(result.output)[-4:] == [
        "Skipped:",
        "  hugo/content/posts/b/index.md: skipped (headless: true: Hugo never published it)",
        "  hugo/content/posts/c.md: skipped (build: {render: never}: Hugo never published it)",
        "  hugo/content/posts/d.md: skipped (_build: {render: false}: Hugo never published it)",
    ]


def test_sections_by_index_and_tokens_migrate_cannot_read(tmp_path, cli):
    write(tmp_path / "hugo", {
        "hugo.toml": "[permalinks]\ndocs = '/:sections[last]/:sections[:last]/:sections[1]/:filename/'\n"
                     "old = '/:2006/:01/:02/:filename/'\nbad = '/:sections[-]/:filename/'\n",
        "content/docs/guides/intro/x.md": "---\ntitle: X\ndate: 2024-05-01\n---\nText.\n",
        "content/old/y.md": "---\ntitle: Y\ndate: 2024-05-02\naliases: [/y.html]\n---\nText.\n",
        "content/bad/z.md": "---\ntitle: Z\ndate: 2024-05-03\n---\nText.\n",
    })
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "hugo", "hugo", "--source", "site")
    assert result.exit_code == 0, result.output
    briefs = tmp_path / "site/briefings"
    assert header(briefs / "2024-05-01-x.md") == "title: X\ndate: 2024-05-01\naliases: [/intro/docs/guides/guides/x/]\n"
    assert header(briefs / "2024-05-02-y.md") == "title: Y\ndate: 2024-05-02\naliases: [/y.html]\n"
    assert header(briefs / "2024-05-03-z.md") == "title: Z\ndate: 2024-05-03\n"
    lines = summary(result.output)
    assert lines[lines.index("Old URLs left out:") + 1:][:2] == [
        "  hugo/content/bad/z.md: /:sections[-]/z/ (:sections[-] in the site's permalinks is not read by migrate)",
        "  hugo/content/old/y.md: /:2006/:01/:02/y/ (:2006 in the site's permalinks is not read by migrate)",
    ]


def test_settings_that_are_not_valid_or_outside_the_site_are_not_read(tmp_path, cli):
    write(tmp_path / "elsewhere", {"permalinks.toml": "posts = '/secret/:slug/'\n", "ann.yaml": "name: Not Ann\n"})
    write(tmp_path / "hugo", {
        "hugo.toml": "baseURL = \n",
        "content/posts/x.md": "---\ntitle: X\ndate: 2024-05-01\nauthor: ann\n---\n"
                              "[a]({{< ref \"a\u0000b\" >}}) [b](" + "b" * 300 + ".md)\n",
    })
    (tmp_path / "hugo/config").mkdir()
    (tmp_path / "hugo/config/_default").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "hugo/data").mkdir()
    (tmp_path / "hugo/data/authors").symlink_to(tmp_path / "elsewhere")
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "hugo", "hugo", "--source", "site")
    assert header(tmp_path / "site/briefings/2024-05-01-x.md") == (
        "title: X\ndate: 2024-05-01\nauthor: ann\naliases: [/posts/x/]\n")
    lines = summary(result.output)
    assert lines[0] == "Migrated from Hugo: 1 converted, 0 skipped, 0 not converted, 1 error."
    assert lines[lines.index("Errors:") + 1:] == [
        "  hugo/hugo.toml: not read (Invalid value (at line 1, column 11)); Hugo's defaults were used in its place"]
    assert lines[lines.index("Links not resolved, left as they are:") + 1] == (
        '  hugo/content/posts/x.md:6: {{< ref "a\\x00b" >}} (no such page)')
