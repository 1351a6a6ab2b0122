"""`migrate`: Jekyll, Hugo and Pelican content into briefs — headers, old URLs, links, files, never overwriting."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from PIL import Image

from conftest import tree


def image(kind: str, colour: str) -> bytes:
    """A real image: the build publishes images, so a migrated one must be one."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, kind)
    return out.getvalue()


LOGO, PHOTO, DIAGRAM = image("PNG", "red"), image("JPEG", "green"), image("PNG", "blue")


pytestmark = pytest.mark.usefixtures("in_tmp")  # in tmp_path: messages show paths relative to it


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def summary(output: str) -> list[str]:
    """The summary's lines: from its first line to the end."""
    lines = output.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(("Migrated from", "Dry run")))
    return lines[first:]


def empty_site(root: Path) -> Path:
    """A briefsite site with the default taxonomies and no briefings/ yet: migrate makes it (conftest's
    make_site writes briefs into one)."""
    return write(root, {"site.yml": "title: Migrated\nsearch: false\n"})


def make_jekyll_site(root: Path) -> Path:
    """A small Jekyll site as `jekyll new` makes one, with posts that use what migrate converts."""
    return write(root, {
        "_config.yml": """
            title: Old blog
            baseurl: ""
            markdown: kramdown
        """,
        "_posts/2016-03-10-welcome-to-jekyll.md": """
            ---
            layout: post
            title: "Welcome to Jekyll!"
            date: 2016-03-10 10:20:00 +0100
            categories: [news]
            tags: "jekyll release"
            author: Ann Writer
            redirect_from:
              - /welcome/
            ---
            You'll find this post in your `_posts` directory.

            ![The logo](logo.png)
        """,
        "_posts/logo.png": LOGO,
        "_posts/2016-03-12-some-title.md": """
            ---
            layout: post
            tags: [notes]
            ---
            See [the welcome post]({{ site.baseurl }}{% post_url 2016-03-10-welcome-to-jekyll %}) first.

            {% include note.html text="hello" %}
        """,
        "_posts/2016-04-01-unpublished.markdown": """
            ---
            title: Not yet
            published: false
            last_modified_at: 2016-04-02
            ---
            Draft text, see {% link _posts/2016-03-12-some-title.md %}.
        """,
        "_posts/2015-01-01-old.textile": "---\ntitle: Old\n---\nh1. Old\n",
    })


def make_hugo_site(root: Path) -> Path:
    """A small Hugo site: TOML and YAML front matter, a page bundle, shortcodes, a section page."""
    return write(root, {
        "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "Old Hugo site"\n',
        "content/_index.md": "+++\ntitle = 'Home'\n+++\nWelcome.\n",
        "content/posts/_index.md": "---\ntitle: Posts\n---\n",
        "content/posts/first-post.md": """
            +++
            title = 'First post'
            date = 2019-03-10T10:20:00+07:00
            lastmod = 2019-03-11
            draft = true
            tags = ['hugo', 'start']
            categories = ['meta']
            authors = ['Ann Writer', 'Bo Editor']
            aliases = ['/old/first/']
            +++
            The trip is [described here]({{< ref "trip" >}}).

            {{< youtube w7Ft2ymGmfc >}}
        """,
        "content/posts/trip/index.md": """
            ---
            title: "A trip"
            date: 2019-04-01
            slug: The Trip
            description: Where we went.
            tags: [travel]
            ---
            ![Photo](photo.jpg)

            Back to [the first post]({{% relref "/posts/first-post.md#top" %}}).
        """,
        "content/posts/trip/photo.jpg": PHOTO,
    })


def make_pelican_content(root: Path) -> Path:
    """A small Pelican content/ folder: Markdown articles with metadata, an .rst article, a static image."""
    return write(root, {
        "content/first.md": """
            Title: My super title
            Date: 2010-12-03 10:20
            Modified: 2010-12-05 19:30
            Category: Python
            Tags: pelican, publishing
            Slug: my-super-post
            Authors: Alexis Metaireau, Conan Doyle
            Summary: Short version for index and feeds

            This is the content of my super blog post, with [a link]({filename}/second.md).

            ![Diagram]({static}/images/diagram.png)
        """,
        "content/second.md": """
            Title: Second thoughts: café
            Date: 2010-12-04
            Author: Alexis Metaireau
            Status: draft

            More text.
        """,
        "content/images/diagram.png": DIAGRAM,
        "content/third.rst": "Third\n#####\n\n:date: 2010-12-05\n\nText.\n",
    })


def test_jekyll_posts_become_briefs(tmp_path, cli):
    make_jekyll_site(tmp_path / "blog")
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "jekyll", "blog", "--source", "site")
    assert result.exit_code == 1, result.output  # the .textile post is not converted
    briefs = tmp_path / "site" / "briefings"
    assert (briefs / "2016-03-10-welcome-to-jekyll.md").read_text(encoding="utf-8") == textwrap.dedent("""\
        ---
        title: Welcome to Jekyll!
        date: 2016-03-10T10:20:00+01:00
        author: Ann Writer
        tags: [news, jekyll, release]
        aliases: [/news/2016/03/10/welcome-to-jekyll.html, /welcome/]
        ---

        You'll find this post in your `_posts` directory.

        ![The logo](2016-03-10-welcome-to-jekyll/logo.png)
        """)
    assert (briefs / "2016-03-12-some-title.md").read_text(encoding="utf-8") == textwrap.dedent("""\
        ---
        title: Some title
        date: 2016-03-12
        tags: [notes]
        aliases: [/2016/03/12/some-title.html]
        ---

        See [the welcome post](2016-03-10-welcome-to-jekyll.md) first.

        {% include note.html text="hello" %}
        """)
    unpublished = (briefs / "2016-04-01-unpublished.md").read_text(encoding="utf-8")
    assert "updated: 2016-04-02\n" in unpublished and "draft: true\n" in unpublished
    assert "Draft text, see 2016-03-12-some-title.md.\n" in unpublished
    assert (briefs / "2016-03-10-welcome-to-jekyll" / "logo.png").read_bytes() == LOGO
    assert summary(result.output) == [
        "Migrated from Jekyll: 3 converted, 0 skipped, 1 not converted, 0 errors.",
        "Headers converted: 3",
        "Links rewritten: 3",
        "  blog/_posts/2016-03-10-welcome-to-jekyll.md:13: logo.png -> 2016-03-10-welcome-to-jekyll/logo.png",
        "  blog/_posts/2016-03-12-some-title.md:5: {{ site.baseurl }}{% post_url 2016-03-10-welcome-to-jekyll %}"
        " -> 2016-03-10-welcome-to-jekyll.md",
        "  blog/_posts/2016-04-01-unpublished.markdown:6: {% link _posts/2016-03-12-some-title.md %}"
        " -> 2016-03-12-some-title.md",
        "Files copied: 1",
        "  blog/_posts/logo.png -> site/briefings/2016-03-10-welcome-to-jekyll/logo.png",
        "Not converted:",
        "  blog/_posts/2015-01-01-old.textile: not converted (.textile is not Markdown)",
        "Unknown shortcodes/tags, left as they are:",
        "  blog/_posts/2016-03-12-some-title.md:7: {% include note.html text=\"hello\" %}",
    ]


def test_jekyll_posts_folder_and_categories_to(tmp_path, cli):
    make_jekyll_site(tmp_path / "blog")
    empty_site(tmp_path / "site")
    (tmp_path / "site" / "site.yml").write_text("search: false\ntaxonomies:\n  tags:\n  sections:\n")
    result = cli("migrate", "--from", "jekyll", "blog/_posts", "--source", "site", "--categories-to", "sections")
    assert result.exit_code == 1, result.output  # the .textile post
    text = (tmp_path / "site/briefings/2016-03-10-welcome-to-jekyll.md").read_text(encoding="utf-8")
    assert "tags: [jekyll, release]\nsections: [news]\n" in text


def test_unknown_taxonomy_is_a_usage_error(tmp_path, cli):
    make_jekyll_site(tmp_path / "blog")
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "jekyll", "blog", "--source", "site", "--tags-to", "topics")
    assert result.exit_code == 2
    assert "--tags-to: 'topics' is not a taxonomy of this site; it has tags, countries, organizations" in result.stderr
    assert not (tmp_path / "site" / "briefings").exists()


def test_hugo_site(tmp_path, cli):
    make_hugo_site(tmp_path / "hugo")
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "hugo", "hugo", "--source", "site")
    assert result.exit_code == 0, result.output
    briefs = tmp_path / "site" / "briefings"
    assert (briefs / "2019-03-10-first-post.md").read_text(encoding="utf-8") == textwrap.dedent("""\
        ---
        title: First post
        date: 2019-03-10T10:20:00+07:00
        updated: 2019-03-11
        draft: true
        authors: [Ann Writer, Bo Editor]
        tags: [meta, hugo, start]
        aliases: [/posts/first-post/, /old/first/]
        ---

        The trip is [described here](2019-04-01-the-trip.md).

        [Video on YouTube](https://www.youtube.com/watch?v=w7Ft2ymGmfc)
        """)
    assert (briefs / "2019-04-01-the-trip.md").read_text(encoding="utf-8") == textwrap.dedent("""\
        ---
        title: A trip
        date: 2019-04-01
        summary: Where we went.
        slug: the-trip
        tags: [travel]
        aliases: [/posts/the-trip/]
        ---

        ![Photo](2019-04-01-the-trip/photo.jpg)

        Back to [the first post](2019-03-10-first-post.md#top).
        """)
    assert (briefs / "2019-04-01-the-trip" / "photo.jpg").read_bytes() == PHOTO
    assert summary(result.output) == [
        "Migrated from Hugo: 2 converted, 2 skipped, 0 not converted, 0 errors.",
        "Headers converted: 2",
        "Links rewritten: 4",
        '  hugo/content/posts/first-post.md:11: {{< ref "trip" >}} -> 2019-04-01-the-trip.md',
        "  hugo/content/posts/first-post.md:13: {{< youtube w7Ft2ymGmfc >}}"
        " -> [Video on YouTube](https://www.youtube.com/watch?v=w7Ft2ymGmfc)",
        "  hugo/content/posts/trip/index.md:8: photo.jpg -> 2019-04-01-the-trip/photo.jpg",
        '  hugo/content/posts/trip/index.md:10: {{% relref "/posts/first-post.md#top" %}}'
        " -> 2019-03-10-first-post.md#top",
        "Files copied: 1",
        "  hugo/content/posts/trip/photo.jpg -> site/briefings/2019-04-01-the-trip/photo.jpg",
        "Authors added to data/authors.yml:",
        "  Ann Writer",
        "  Bo Editor",
        "Skipped:",
        "  hugo/content/_index.md: skipped (a section page, _index.md)",
        "  hugo/content/posts/_index.md: skipped (a section page, _index.md)",
    ]


def test_pelican_content(tmp_path, cli):
    make_pelican_content(tmp_path / "pelican")
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "pelican", "pelican/content", "--source", "site")
    assert result.exit_code == 1, result.output  # the .rst article is not converted
    briefs = tmp_path / "site" / "briefings"
    assert (briefs / "2010-12-03-my-super-post.md").read_text(encoding="utf-8") == textwrap.dedent("""\
        ---
        title: My super title
        date: 2010-12-03T10:20:00
        updated: 2010-12-05T19:30:00
        summary: Short version for index and feeds
        slug: my-super-post
        authors: [Alexis Metaireau, Conan Doyle]
        tags: [Python, pelican, publishing]
        aliases: [/my-super-post.html]
        ---

        This is the content of my super blog post, with [a link](2010-12-04-second-thoughts-café.md).

        ![Diagram](2010-12-03-my-super-post/images/diagram.png)
        """)
    second = (briefs / "2010-12-04-second-thoughts-café.md").read_text(encoding="utf-8")
    assert second.startswith("---\ntitle: 'Second thoughts: café'\ndate: 2010-12-04\ndraft: true\n"
                             "author: Alexis Metaireau\naliases: [/second-thoughts-cafe.html]\n---\n")
    assert (briefs / "2010-12-03-my-super-post" / "images" / "diagram.png").read_bytes() == DIAGRAM
    assert "Not converted:\n  pelican/content/third.rst: not converted (.rst is not Markdown)\n" in result.output
    assert summary(result.output)[0] == "Migrated from Pelican: 2 converted, 0 skipped, 1 not converted, 0 errors."


def test_never_overwrites_and_dry_run_writes_nothing(tmp_path, cli):
    make_jekyll_site(tmp_path / "blog")
    site = empty_site(tmp_path / "site")
    write(site, {"briefings/2016-03-12-some-title.md": "mine\n"})
    before = tree(site)
    result = cli("migrate", "--from", "jekyll", "blog", "--source", "site", "--dry-run")
    assert result.exit_code == 1, result.output  # the .textile post
    assert tree(site) == before
    assert "==> site/briefings/2016-03-10-welcome-to-jekyll.md <==\n---\ntitle: Welcome to Jekyll!\n" in result.output
    assert "Dry run, nothing was written; would migrate from Jekyll: 3 converted, 0 skipped, " \
           "1 not converted, 0 errors." in result.output
    assert "  blog/_posts/logo.png -> site/briefings/2016-03-10-welcome-to-jekyll/logo.png\n" in result.output
    result = cli("migrate", "--from", "jekyll", "blog", "--source", "site")
    assert (site / "briefings/2016-03-12-some-title.md").read_text() == "mine\n"
    assert "Renamed, their name or slug being taken (their old URLs lead to them):\n" \
           "  blog/_posts/2016-03-12-some-title.md -> site/briefings/2016-03-12-some-title-2.md: " \
           "site/briefings/2016-03-12-some-title.md already exists\n" in result.output
    assert "Draft text, see 2016-03-12-some-title-2.md.\n" in \
        (site / "briefings/2016-04-01-unpublished.md").read_text(encoding="utf-8")
    again = cli("migrate", "--from", "jekyll", "blog", "--source", "site")
    assert again.exit_code == 1  # the .textile post, still
    assert summary(again.output)[0] == "Migrated from Jekyll: 0 converted, 3 skipped, 1 not converted, 0 errors."
    assert "  blog/_posts/2016-03-12-some-title.md: already migrated, site/briefings/2016-03-12-some-title-2.md " \
           "answers its old URL /2016/03/12/some-title.html\n" in again.output


def test_bad_input_is_a_clear_message(tmp_path, cli):
    empty_site(tmp_path / "site")
    write(tmp_path, {"plain/notes.txt": "x\n"})
    result = cli("migrate", "--from", "jekyll", "plain", "--source", "site")
    assert result.exit_code == 2
    assert "plain is not a Jekyll site: it has no _posts/ folder" in result.stderr
    result = cli("migrate", "--from", "hugo", "plain", "--source", "site")
    assert result.exit_code == 2 and "plain is not a Hugo site: it has no content/ folder" in result.stderr
    result = cli("migrate", "--from", "pelican", "plain", "--source", "site")
    assert result.exit_code == 2 and "plain is not a Pelican content folder" in result.stderr
    write(tmp_path, {
        "bad/_posts/2020-01-01-broken.md": "---\ntitle: Broken\ntags: [a, b\n---\nText\n",
        "bad/_posts/2020-01-02-date.md": "---\ntitle: Dated\ndate: next tuesday\n---\nText\n",
        "hugo/content/posts/x.md": "+++\ntitle = 'X'\ndate = = 1\n+++\n",
    })
    result = cli("migrate", "--from", "jekyll", "bad", "--source", "site")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "bad/_posts/2020-01-01-broken.md:4: header is not valid YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence)",
    ]
    assert "  bad/_posts/2020-01-02-date.md:3: date: 'next tuesday' is no date; the file name's date is taken\n" \
        in result.output  # a post is never lost for its date
    result = cli("migrate", "--from", "hugo", "hugo", "--source", "site")
    assert result.exit_code == 1
    assert result.stderr.startswith("hugo/content/posts/x.md:3: header is not valid TOML: ")


@pytest.mark.parametrize("peer, make, folder", [
    ("jekyll", make_jekyll_site, "jekyll"), ("hugo", make_hugo_site, "hugo"),
    ("pelican", make_pelican_content, "pelican/content"),
])
def test_a_migrated_site_builds_and_every_old_url_redirects(tmp_path, cli, peer, make, folder):
    make(tmp_path / peer)
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", peer, folder, "--source", "site")
    assert result.exit_code == (0 if peer == "hugo" else 1)  # Jekyll's .textile, Pelican's .rst not converted
    assert "0 errors." in result.output
    # Drafts too: a published post may link to a draft one, as on the peer.
    result = cli("build", "--source", "site", "--drafts", "--quiet")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # no warning either: every key the peers write is converted
    old_urls = 0
    for path in sorted((tmp_path / "site/briefings").rglob("*.md")):
        header = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        slug = header.get("slug", path.stem)
        assert (tmp_path / "site/site/briefs" / slug / "index.html").is_file(), path
        for alias in header.get("aliases", []):
            file = alias.strip("/") + ("" if alias.endswith((".html", ".htm")) else "/index.html")
            redirect = (tmp_path / "site/site" / file).read_text(encoding="utf-8")
            assert f'<link rel="canonical" href="http://127.0.0.1:8000/briefs/{quote(slug)}/">' in redirect
            old_urls += 1
    assert old_urls >= 2


def test_hugo_publish_and_expiry_dates_become_an_embargo_and_an_expiry(tmp_path, cli):
    write(tmp_path / "hugo", {"content/posts/embargoed.md": "---\ntitle: Embargoed\ndate: 2025-02-27\n"
                              "publishDate: 2025-03-01T06:00:00+07:00\nexpiryDate: 2025-06-01\n---\nText.\n",
                              "content/posts/plain.md": "---\ntitle: Plain\npublishDate: 2025-02-20\n---\nText.\n"})
    empty_site(tmp_path / "site")
    assert cli("migrate", "--from", "hugo", "hugo", "--source", "site").exit_code == 0
    briefs = tmp_path / "site" / "briefings"
    assert (briefs / "2025-02-27-embargoed.md").read_text(encoding="utf-8").split("---")[1] == (
        "\ntitle: Embargoed\ndate: 2025-02-27\npublish_at: 2025-03-01T06:00:00+07:00\nexpires: 2025-06-01\n"
        "aliases: [/posts/embargoed/]\n")
    assert "publish_at" not in (briefs / "2025-02-20-plain.md").read_text(encoding="utf-8")  # its date
    assert cli("check", "--source", "site", "--now", "2025-03-02").exit_code == 0
