"""`migrate --from jekyll` on what real Jekyll sites hold (issue 25): Ruby's lenient dates, header tab slips,
Liquid, authors with their names, lead images, files from the site's root, links to pages that are no post,
old URLs the build refuses; and a slice of 18F's blog, migrated and built."""

from __future__ import annotations

import io
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from PIL import Image
from test_migrate import write

from conftest import nu_errors, png

FIXTURE = Path(__file__).parent.parent / "fixtures" / "real" / "18f"


pytestmark = pytest.mark.usefixtures("in_tmp")  # in tmp_path: messages show paths relative to it


def summary(output: str) -> list[str]:
    lines = output.splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith("Migrated from")):]


def header(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def old_blog(root: Path) -> Path:
    """A Jekyll blog with what issue 25 found on real ones."""
    return write(root, {
        "_config.yml": """
            title: Old
            url: "https://old.example.org"
            baseurl: /blog
            repository: acme/blog
            permalink: /:year/:month/:day/:title/
        """,
        "_authors/ron-bronson.md": "---\nname: ron-bronson\nfull_name: Ron Bronson\nrole: Designer\n---\n"
                                   "Ron designs services.\n",
        "_data/authors.yml": "ann:\n  name: Ann Writer\n  bio: Writes.\n  url: https://ann.example.org\n",
        "assets/img/map.png": png(40, 30, "red"),
        "_posts/2016-03-21-dates.md": (
            "---\ntitle: Dates\ndate: 2016-03-21 12:00 EDT\nauthors:\n-\tron-bronson\ntags:\n\t- one\n\t- two\n"
            "image:\n  path: /assets/img/map.png\n  alt: A map\n---\n"
            'Repo {{ site.repository }}, title {{ page.title | append: "!" }}, {{ "/about/" | relative_url }}.\n'
            "\n{% comment %}\nInternal: do not publish.\n{% endcomment %}\n"
            "![Map]({{ site.baseurl }}/assets/img/map.png) and [docs](/blog/docs/history/) and "
            "[cfg](../../page/configuration/) and [gone]({{ site.baseurl }}/assets/missing.pdf).\n"
            "\n{% raw %}{{ not.liquid }}{% endraw %}\n\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n"
            '\n{% include youtube.html id="abc123" %}\n\n{{ "x" | custom_filter }}\n'),
        "_posts/2016-05-10-offset.md": """
            ---
            title: Offset
            date: 2016-05-10 12:00-400
            author: ann
            image: /assets/img/map.png
            permalink: /feed.xml
            redirect_from: [/tags/, /old/offset/]
            ---
            See [dates]({{ site.baseurl }}/2016/03/21/dates/).
        """,
        "_posts/2014-09-08-long.md": "---\ntitle: Long\ndate: September 8, 2014\n---\nText.\n",
        "_posts/2016-07-19-optional.md": "---\ntitle: Optional\ndate: 2016-07-19 (optional)\n---\nText.\n",
        "_posts/2023-01-29-twice.md": "---\ntitle: Twice\ndate: 2023-01-29 18:30:22 2023 -0800\n---\nText.\n",
        "_posts/2020-02-02-never.md": "---\ntitle: Never\ndate: someday soon\n---\nText.\n",
    })


def test_what_real_jekyll_blogs_hold_is_converted_or_listed(tmp_path, cli):
    old_blog(tmp_path / "old")
    result = cli("migrate", "--from", "jekyll", "old", "--source", "new")  # new/ does not exist yet
    assert result.exit_code == 0, result.output
    assert summary(result.output) == [
        "Migrated from Jekyll: 6 converted, 0 skipped, 0 not converted, 0 errors.",
        "Headers converted: 6",
        "Template expressions converted: 8",
        "Links rewritten: 3",
        "  old/_posts/2016-03-21-dates.md:18: {{ site.baseurl }}/assets/img/map.png -> "
        "2016-03-21-dates/assets/img/map.png",
        '  old/_posts/2016-03-21-dates.md:26: {% include youtube.html id="abc123" %} -> '
        "<https://www.youtube.com/watch?v=abc123>",
        "  old/_posts/2016-05-10-offset.md:9: {{ site.baseurl }}/2016/03/21/dates/ -> 2016-03-21-dates.md",
        "Files copied: 2",
        "  old/assets/img/map.png -> new/briefings/2016-03-21-dates/assets/img/map.png",
        "  old/assets/img/map.png -> new/briefings/2016-05-10-offset/assets/img/map.png",
        "Authors added to data/authors.yml:",
        "  Ron Bronson",
        "  Ann Writer",
        "Read as the old site read them:",
        "  old/_posts/2016-03-21-dates.md:5: a tab read as a space, as Jekyll reads it: '-\\tron-bronson'",
        "  old/_posts/2016-03-21-dates.md:7: a tab read as a space, as Jekyll reads it: '\\t- one'",
        "  old/_posts/2016-03-21-dates.md:8: a tab read as a space, as Jekyll reads it: '\\t- two'",
        "  old/_posts/2020-02-02-never.md:3: date: 'someday soon' is no date; the file name's date is taken",
        "Removed, hidden on the old site:",
        "  old/_posts/2016-03-21-dates.md:15: {% comment %} Internal: do not publish. {% endcomment %}",
        "Links to pages of the old site, now absolute:",
        "  old/_posts/2016-03-21-dates.md:18: /blog/docs/history/ -> https://old.example.org/blog/docs/history/",
        "  old/_posts/2016-03-21-dates.md:18: ../../page/configuration/ -> "
        "https://old.example.org/blog/2016/03/page/configuration/",
        "Files missing from the old site:",
        "  old/_posts/2016-03-21-dates.md:18: {{ site.baseurl }}/assets/missing.pdf (no such file in the old site; "
        "linked to https://old.example.org/blog/assets/missing.pdf)",
        "Old URLs left out:",
        "  old/_posts/2016-05-10-offset.md: /feed.xml is left out: the site's own pages are at /feed.xml",
        "  old/_posts/2016-05-10-offset.md: /tags/ is left out: the site's own pages are at /tags/",
        "Unknown shortcodes/tags, left as they are:",
        '  old/_posts/2016-03-21-dates.md:28: {{ "x" | custom_filter }}',
    ]
    briefs = tmp_path / "new" / "briefings"
    assert (briefs / "2016-03-21-dates.md").read_text(encoding="utf-8") == textwrap.dedent("""\
        ---
        title: Dates
        date: 2016-03-21T12:00:00-04:00
        author: Ron Bronson
        tags: [one, two]
        image:
          file: 2016-03-21-dates/assets/img/map.png
          alt: A map
        aliases: [/2016/03/21/dates/]
        ---

        Repo acme/blog, title Dates!, /blog/about/.




        ![Map](2016-03-21-dates/assets/img/map.png) and [docs](https://old.example.org/blog/docs/history/) \
and [cfg](https://old.example.org/blog/2016/03/page/configuration/) and \
[gone](https://old.example.org/blog/assets/missing.pdf).

        {{ not.liquid }}

        ```ruby
        puts 1
        ```

        <https://www.youtube.com/watch?v=abc123>

        {{ "x" | custom_filter }}
        """)
    assert (briefs / "2016-05-10-offset.md").read_text(encoding="utf-8").split("---\n")[1] == (
        "title: Offset\ndate: 2016-05-10T12:00:00-04:00\nauthor: Ann Writer\n"
        "image: 2016-05-10-offset/assets/img/map.png\naliases: [/old/offset/]\n")
    dates = {path.stem: str(header(path)["date"]) for path in briefs.glob("*.md")}
    assert dates == {"2014-09-08-long": "2014-09-08", "2016-03-21-dates": "2016-03-21 12:00:00-04:00",
                     "2016-05-10-offset": "2016-05-10 12:00:00-04:00", "2016-07-19-optional": "2016-07-19",
                     "2020-02-02-never": "2020-02-02", "2023-01-29-twice": "2023-01-29 18:30:22-08:00"}
    assert (tmp_path / "new/data/authors.yml").read_text(encoding="utf-8") == (
        "Ron Bronson:\n  bio: Ron designs services.\n  role: Designer\n"
        "Ann Writer:\n  bio: Writes.\n  url: https://ann.example.org\n")
    built = cli("build", "--source", "new")
    assert built.exit_code == 0, built.stderr
    assert "error" not in built.stderr
    assert "Ron Bronson" in (tmp_path / "new/site/briefs/2016-03-21-dates/index.html").read_text(encoding="utf-8")


def test_old_url_option_and_authors_merged_into_the_sites_file(tmp_path, cli):
    old_blog(tmp_path / "old")
    write(tmp_path / "new", {"site.yml": "title: New\n", "briefings/.keep": "",
                             "data/authors.yml": "# ours\nAnn Writer:\n  bio: Our own words.\nLi Wei: {}"})
    result = cli("migrate", "--from", "jekyll", "old", "--source", "new", "--old-url", "https://archive.example.org/blog/")
    assert result.exit_code == 0, result.output
    assert "  old/_posts/2016-03-21-dates.md:18: /blog/docs/history/ -> https://archive.example.org/blog/docs/history/" \
        in result.output.splitlines()
    assert "Authors added to data/authors.yml:\n  Ron Bronson\nRead as" in result.output
    assert (tmp_path / "new/data/authors.yml").read_text(encoding="utf-8") == (
        "# ours\nAnn Writer:\n  bio: Our own words.\nLi Wei: {}\n"
        "Ron Bronson:\n  bio: Ron designs services.\n  role: Designer\n")
    bad = cli("migrate", "--from", "jekyll", "old", "--source", "new", "--old-url", "archive.example.org")
    assert bad.exit_code == 2
    assert "--old-url: expected the old site's address, such as https://example.org/blog, got 'archive.example.org'" \
        in bad.stderr


def migrated_18f(tmp_path, cli):
    """18F's slice migrated into tmp_path/site; the migrate command's result."""
    shutil.copytree(FIXTURE, tmp_path / "18f")
    result = cli("migrate", "--from", "jekyll", "18f", "--source", "site")
    assert result.exit_code == 0, result.output
    return result


def test_a_slice_of_18fs_blog_migrates_without_an_error(tmp_path, cli):
    result = migrated_18f(tmp_path, cli)
    lines = summary(result.output)
    assert lines[:4] == ["Migrated from Jekyll: 12 converted, 0 skipped, 0 not converted, 0 errors.",
                         "Headers converted: 12", "Template expressions converted: 12", "Links rewritten: 13"]
    for expected in [
        "  18f/_posts/2014-12-11-large-scale-development-culture-change.md:30: "
        '{{ "https://www.youtube-nocookie.com/embed/CWSLSHljQLM" | embed: "Large Scale Development Culture Change: '
        'Google and the US Government" }} -> [Large Scale Development Culture Change: Google and the US Government]'
        "(https://www.youtube.com/watch?v=CWSLSHljQLM)",
        "  18f/_posts/2022-08-02-senior-executives-pt2.md:15: {{site.baseurl}}/2022/07/20/senior-executives-pt1/ -> "
        "2022-07-20-senior-executives-pt1.md",
        "  18f/_posts/2022-07-20-senior-executives-pt1.md:24: https://18f.gsa.gov/2022/08/02/senior-executives-pt2/ -> "
        "2022-08-02-senior-executives-pt2.md",
        "Removed, hidden on the old site:",
        "  18f/_posts/2016-07-18-cloud-gov-full-steam-ahead-fedramp-assessment-process.md:43: {% comment %}"
        '{{ "https://www.youtube-nocookie.com/embed/UwOG3BrdODo" | embed: "Running Cloud Foundr…',
        "  18f/_posts/2016-07-18-cloud-gov-full-steam-ahead-fedramp-assessment-process.md: image "
        "/assets/blog/cloud-gov/ship-going-fast.jpg (no such file in the old site; the brief has no lead image)",
        "  18f/_posts/2016-09-19-vendors-government-strengthen-partnership-technology-industry-day.md:34: "
        "{{site.baseurl}}/assets/blog/industry-day/deck-2016.pdf (no such file in the old site; "
        "linked to https://18f.gsa.gov/assets/blog/industry-day/deck-2016.pdf)",
    ]:
        assert expected in lines
    assert "Unknown shortcodes/tags, left as they are:" not in lines
    briefs = tmp_path / "site" / "briefings"
    assert len(list(briefs.glob("*.md"))) == 12
    edt, = briefs.glob("2016-03-23-how-to-integrate-*.md")
    assert str(header(edt)["date"]) == "2016-03-23 09:00:00-04:00"
    assert str(header(briefs / "2020-06-23-building-trust-in-a-public-health-crisis.md")["date"]) == "2020-06-23"
    tock = header(briefs / "2015-05-21-tockingtime.md")
    assert tock["aliases"] == ["/2015/05/21/tockingtime/", "/2015/05/21/TockingTime/"]
    industry = header(briefs / "2016-09-19-vendors-government-strengthen-partnership-technology-industry-day.md")
    assert industry["author"] == "Andre Francisco"
    assert industry["image"] == ("2016-09-19-vendors-government-strengthen-partnership-technology-industry-day/"
                                 "assets/blog/industry-day/slide1.jpg")


@pytest.mark.slow  # its photos made into renditions take seconds: `make test` runs it, `make check` does not
def test_the_migrated_slice_of_18fs_blog_builds_into_valid_html(tmp_path, cli):
    migrated_18f(tmp_path, cli)
    built = cli("build", "--source", "site")
    assert built.exit_code == 0, built.stderr
    assert "error" not in built.stderr
    redirect = (tmp_path / "site/site/2015/05/21/TockingTime/index.html").read_text(encoding="utf-8")
    assert 'href="http://127.0.0.1:8000/briefs/2015-05-21-tockingtime/"' in redirect
    assert nu_errors(tmp_path / "site" / "site") == ""  # whatever the old posts' HTML held


def test_an_image_the_build_refuses_is_linked_where_the_old_site_has_it(tmp_path, cli):
    out = io.BytesIO()
    frames = [Image.new("P", (1000, 1000), index) for index in range(101)]  # 101 million pixels
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    write(tmp_path / "old", {
        "_config.yml": "url: https://old.example.org\n",
        "assets/demo.gif": out.getvalue(),
        "_posts/2015-05-12-calc.md": "---\ntitle: Calc\n---\n![Demo]({{ site.baseurl }}/assets/demo.gif)\n",
    })
    result = cli("migrate", "--from", "jekyll", "old", "--source", "new")
    assert result.exit_code == 0, result.output
    assert summary(result.output)[-2:] == [
        "Left out, this build cannot take them:",
        "  old/_posts/2015-05-12-calc.md:4: {{ site.baseurl }}/assets/demo.gif: the animation has 101 frames of "
        "1000×1000 pixels, more than the 100,000,000 pixels (frames × width × height) allowed: shorten it or make "
        "it smaller; linked to https://old.example.org/assets/demo.gif",
    ]
    assert "![Demo](https://old.example.org/assets/demo.gif)" in \
        (tmp_path / "new/briefings/2015-05-12-calc.md").read_text(encoding="utf-8")
    assert cli("build", "--source", "new").exit_code == 0
