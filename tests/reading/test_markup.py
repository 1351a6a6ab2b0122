"""Brief bodies: Markdown extensions, sanitising, summaries."""

import pytest

from briefsite.config import DEFAULT_EXTENSIONS
from briefsite.reading.markup import plain_text, render_body, summarize


def html(text: str, allow_raw_html: bool = False) -> str:
    return render_body(text, DEFAULT_EXTENSIONS, allow_raw_html).html


def test_table_with_alignment():
    assert html("| a | b |\n|:-:|---|\n| 1 | 2 |\n") == (
        "<table>\n<thead>\n<tr>\n<th style=\"text-align:center\">a</th>\n<th>b</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td style=\"text-align:center\">1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>")


def test_footnotes():
    assert html("Text[^1].\n\n[^1]: Note.\n") == (
        '<p>Text<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>.</p>\n'
        '<div class="footnote">\n<hr>\n<ol>\n<li id="fn:1">\n'
        '<p>Note.&nbsp;<a class="footnote-backref" href="#fnref:1" title="Jump back to footnote 1 in the text"'
        '>↩</a></p>\n</li>\n</ol>\n</div>')


def test_attr_list():
    assert html("Lead.\n{: .lead #intro }\n") == '<p class="lead" id="intro">Lead.</p>'
    assert html("[x](https://x.org){: .ext }\n") == '<p><a class="ext" href="https://x.org">x</a></p>'


def test_smart_quotes():
    assert html("\"Quoted\" -- it's ... done\n") == "<p>“Quoted” – it’s … done</p>"


def test_headings_get_ids_and_h1_becomes_h2():
    assert html("# Top\n\n## Sub\n\n### Third\n") == (
        '<h2 id="top">Top</h2>\n<h2 id="sub">Sub</h2>\n<h3 id="third">Third</h3>')
    assert html("# Title {: #custom }\n") == '<h2 id="custom">Title</h2>'


def test_each_render_is_independent():
    html("# Same\n")
    assert html("# Same\n\nText[^1].\n\n[^1]: N.\n").startswith('<h2 id="same">Same</h2>')
    assert html("Plain.\n") == "<p>Plain.</p>"


@pytest.mark.parametrize(("text", "expected"), [
    ("<script>alert(1)</script>\n\nok\n", "\n\n<p>ok</p>"),
    ('<p onclick="x()">hi</p>\n', "<p>hi</p>"),
    ("<img src=x onerror=alert(1)>\n", '<p><img alt="" src="x"></p>'),  # and every image has an alt
    ('<iframe src="https://evil.example"></iframe>\n', ""),
    ('<form action="https://x"><input name=a></form>\n', ""),
    ('<style>body{}</style>\n<div style="color:red">x</div>\n', "\n<div>x</div>"),
    ('<svg onload="alert(1)"><script>alert(1)</script></svg>\n', "<p></p>"),
    ("[a](javascript:alert(1))\n", "<p><a>a</a></p>"),
    ("[a](JaVaScRiPt:alert(1))\n", "<p><a>a</a></p>"),
    ("[a](vbscript:msgbox)\n", "<p><a>a</a></p>"),
    ("[a](javascript&#58;alert(1))\n", "<p><a>a</a></p>"),
    ('<a href="javascript&#58;alert(1)">a</a>\n', "<p><a>a</a></p>"),
    ('<a href="jav&#x09;ascript:alert(1)">a</a>\n', "<p><a>a</a></p>"),
    ("[a](data:text/html;base64,PHNjcmlwdD4=)\n", "<p><a>a</a></p>"),
    ("![s](data:image/svg+xml;base64,PHN2Zz4=)\n", "<p></p>"),  # an image left without a source is dropped
    ('<a href="data:image/png;base64,iVBORw0KGgo=">a</a>\n', "<p><a>a</a></p>"),
])
def test_sanitising_removes_active_content(text, expected):
    assert html(text) == expected


def test_data_png_image_kept():
    assert html("![p](data:image/png;base64,iVBORw0KGgo=)\n") == (
        '<p><img alt="p" src="data:image/png;base64,iVBORw0KGgo="></p>')


def test_safe_links_kept():
    assert html("[ok](https://example.org) <mailto:a@b.org>\n") == (
        '<p><a href="https://example.org">ok</a> <a href="mailto:a@b.org">a@b.org</a></p>')


def test_allow_raw_html_keeps_raw_html():
    text = '<script>alert(1)</script>\n\n<iframe src="x"></iframe>\n\n<p onclick="x()">hi</p>\n'
    assert html(text, allow_raw_html=True) == text.rstrip("\n")


def test_plain_text():
    fragment = '<p>A <em>b</em> &amp; &lt;c&gt;<sup id="fnref:1"><a href="#fn:1">1</a></sup>\n   d</p>'
    assert plain_text(fragment) == "A b & <c> d"


@pytest.mark.parametrize(("body", "summary"), [
    ("<h2>x</h2><p>First.</p><p>Second.</p>", "First."),
    ("<h2>x</h2>", ""),
    ("<p>" + "word " * 60 + "</p>", "word " * 39 + "word…"),
    ("<p>" + "aaaa bbbb. " * 30 + "</p>", "aaaa bbbb. " * 17 + "aaaa bbbb…"),
    ("<p>" + "a" * 199 + " bbbbbb</p>", "a" * 199 + "…"),
    ("<p>" + "x" * 250 + "</p>", "x" * 200 + "…"),
    ("<p>" + "电" * 300 + "</p>", "电" * 200 + "…"),
    ("<p>" + "a" * 200 + "</p>", "a" * 200),
])
def test_summarize(body, summary):
    assert summarize(body) == summary


def test_summarize_limit():
    assert summarize("<p>one two three four</p>", limit=9) == "one two…"


def test_summary_of_a_first_paragraph_with_attributes():
    assert summarize(html("Lead para.\n{: .lead }\n\nSecond para.\n")) == "Lead para."


@pytest.mark.parametrize(("text", "expected"), [
    ("## Content\n", '<h2 id="body-content">Content</h2>'),
    ("## Sources heading\n\n## Related heading\n",
     '<h2 id="body-sources-heading">Sources heading</h2>\n<h2 id="body-related-heading">Related heading</h2>'),
    ("## Terms tags\n", '<h2 id="body-terms-tags">Terms tags</h2>'),
    ("## Chart title\n", '<h2 id="body-chart-title">Chart title</h2>'),
    ("## Site search query\n", '<h2 id="body-site-search-query">Site search query</h2>'),
    ("## Search results\n", '<h2 id="body-search-results">Search results</h2>'),
    ("Para.\n{: #content }\n", '<p id="body-content">Para.</p>'),
    ('<p id="content">Raw.</p>\n', '<p id="body-content">Raw.</p>'),
    ("## Contents\n\n## Searching\n", '<h2 id="contents">Contents</h2>\n<h2 id="searching">Searching</h2>'),
])
def test_body_ids_never_take_the_themes(text, expected):
    assert html(text) == expected


def test_a_renamed_id_stays_unique_and_links_to_it_follow():
    assert html("[TOC]\n\n## Content\n\n## Body content\n\nSee [above](#content).\n") == (
        '<div class="toc">\n<ul>\n<li><a href="#body-content-2">Content</a></li>\n'
        '<li><a href="#body-content">Body content</a></li>\n</ul>\n</div>\n'
        '<h2 id="body-content-2">Content</h2>\n<h2 id="body-content">Body content</h2>\n'
        '<p>See <a href="#body-content-2">above</a>.</p>')


def test_theme_ids_in_text_and_code_are_left_alone():
    assert html('`<p id="content">` and id="content"\n') == (
        '<p><code>&lt;p id="content"&gt;</code> and id=”content”</p>')


def test_raw_html_ids_are_renamed_too():
    assert html("<div id=content title='a>b'>x</div>\n\n[top](#content)\n", allow_raw_html=True) == (
        '<div id="body-content" title=\'a>b\'>x</div>\n\n<p><a href="#body-content">top</a></p>')
