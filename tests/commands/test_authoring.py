"""Authoring commands: `new`, and what `check` (and every build) verifies beyond one brief."""

from __future__ import annotations

import yaml

from conftest import brief_text


def header_of(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_new_writes_a_brief_that_builds(make_site, cli):
    src = make_site({})
    result = cli("new", "China repatriates 40 nationals", "--source", src, "--date", "2025-02-27",
                 "--location", "Beijing", "--tag", "repatriation", "--tag", "telecom fraud",
                 "--country", "China", "--organization", "Ministry of Public Security",
                 "--cite", "Xinhua", "--cite", "MPS=https://example.org/statement")
    path = src / "briefings" / "2025-02-27-china-repatriates-40-nationals.md"
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}\n"
    assert header_of(path) == {
        "title": "China repatriates 40 nationals", "date": "2025-02-27", "location": "Beijing",
        "tags": ["repatriation", "telecom fraud"], "countries": ["China"],
        "organizations": ["Ministry of Public Security"],
        "sources": [{"name": "Xinhua"}, {"name": "MPS", "url": "https://example.org/statement"}]}
    assert cli("build", "--source", src, "--quiet").exit_code == 0
    assert (src / "site" / "briefs" / "2025-02-27-china-repatriates-40-nationals" / "index.html").is_file()


def test_new_names_files_in_any_script_and_never_overwrites(make_site, cli):
    src = make_site({})
    first = cli("new", "公安部通报跨境电信诈骗案件", "--source", src, "--date", "2024-11-20")
    path = src / "briefings" / "2024-11-20-公安部通报跨境电信诈骗案件.md"
    assert first.exit_code == 0 and path.is_file()
    path.write_text(path.read_text(encoding="utf-8") + "Written by hand.\n", encoding="utf-8")
    again = cli("new", "公安部通报跨境电信诈骗案件", "--source", src, "--date", "2024-11-20")
    assert again.exit_code == 1
    assert again.stderr == f"{path}: already exists; edit it, or choose another title\n"
    assert path.read_text(encoding="utf-8").endswith("Written by hand.\n")


def test_new_refuses_bad_dates_and_unknown_taxonomies(make_site, cli):
    src = make_site({}, config="taxonomies:\n  tags:\n")
    bad_date = cli("new", "X", "--source", src, "--date", "2025-02-30")
    assert (bad_date.exit_code, bad_date.stderr) == (
        1, "--date: '2025-02-30' is not a real date or time (day is out of range for month)\n")
    country = cli("new", "X", "--source", src, "--country", "China")
    assert (country.exit_code, country.stderr) == (1, "site.yml: 'countries' is not a taxonomy of this site; it has tags\n")
    assert list((src / "briefings").iterdir()) == []


def test_links_between_brief_files_become_page_links(make_site, cli):
    src = make_site({
        "2025-01-16-x.md": brief_text(title="X"),
        "sub/y.md": brief_text(title="Y", body="See [x](../2025-01-16-x.md#top) and [z][ref].\n\n[ref]: z.md\n"),
        "sub/z.md": brief_text(title="Z"),
    }, config="base_url: https://example.org/desk/\nsearch: false\n")
    assert cli("build", "--source", src, "--quiet").exit_code == 0
    page = (src / "site" / "briefs" / "y" / "index.html").read_text()
    assert '<p>See <a href="/desk/briefs/2025-01-16-x/#top">x</a> and <a href="/desk/briefs/z/">z</a>.</p>' in page


def test_check_reports_links_to_missing_or_unpublished_briefs(make_site, cli):
    src = make_site({
        "a.md": brief_text(body="Intro.\n\nSee [gone](2024-01-01-gone.md) and\n[draft](d.md).\n"),
        "d.md": brief_text(title="Draft", draft="true"),
    })
    result = cli("check", "--source", src)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{src}/briefings/a.md:7:12: link to '2024-01-01-gone.md' matches no brief file",
        f"{src}/briefings/a.md:8:9: link to 'd.md': it is a draft, so this build leaves it out; give the link "
        'the title "optional" to show it as plain text then: [text](d.md "optional")',
        "Build failed with 2 errors; nothing was written.",
    ]
    assert cli("check", "--source", src, "--drafts").stderr.splitlines()[0] == (
        f"{src}/briefings/a.md:7:12: link to '2024-01-01-gone.md' matches no brief file")
    assert sorted(p.name for p in src.iterdir()) == ["briefings", "site.yml"]  # check writes nothing, not a cache


def test_vocabulary_refuses_other_terms_with_a_suggestion(make_site, cli):
    src = make_site({"a.md": brief_text(countries="[china, Thialand]", tags="[anything]")},
                    config="vocabulary:\n  countries: [China, Thailand]\n")
    result = cli("check", "--source", src)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{src}/briefings/a.md:4:20: countries: 'Thialand' is not in the vocabulary of site.yml; did you mean 'Thailand'?")
    (src / "briefings" / "a.md").write_text(brief_text(countries="[china, THAILAND]", tags="[anything]"))
    assert cli("check", "--source", src).exit_code == 0


def test_vocabulary_must_name_taxonomies(make_site, cli):
    src = make_site({"a.md": brief_text()}, config="vocabulary:\n  contries: [China]\n")
    result = cli("check", "--source", src)
    assert result.stderr.splitlines()[0] == (
        f"{src}/site.yml:2:13: vocabulary: 'contries' is not a taxonomy; did you mean 'countries'?")


def test_new_refuses_a_dangling_symlink_and_writes_nothing_through_it(make_site, cli, tmp_path):
    src = make_site({})
    nowhere = tmp_path / "elsewhere" / "planted.md"
    link = src / "briefings" / "2025-02-27-x.md"
    link.symlink_to(nowhere)
    result = cli("new", "X", "--source", src, "--date", "2025-02-27")
    assert (result.exit_code, result.stderr) == (
        1, f"{link}: is a symbolic link to nowhere; nothing is written through it\n")
    assert link.is_symlink() and not nowhere.exists() and not nowhere.parent.exists()
    (src / "briefings").rename(src / "old")
    (src / "briefings").symlink_to(tmp_path / "gone", target_is_directory=True)
    folder = cli("new", "X", "--source", src, "--date", "2025-02-27")
    assert (folder.exit_code, folder.stderr) == (
        1, f"{src / 'briefings'}: is a symbolic link to nowhere; nothing is written through it\n")
    assert not (tmp_path / "gone").exists()
