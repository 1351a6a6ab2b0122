"""`import`: raw wire reports into briefs — datelines, titles, sources, suggested terms, never overwriting."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from briefsite.commands.wire import Skip, find_sources, first_sentence, read_report, suggest_terms
from briefsite.config import Config
from briefsite.reading.brief import parse_brief
from briefsite.site.index import build_index

from conftest import ROOT, brief_text, tree

FIXTURE = Path(__file__).parent.parent / "fixtures" / "raw-report-2025-02-27.txt"
SAMPLE = ROOT / "briefings" / "2025-02-27-china-thailand-repatriation.md"
TITLE = "Forty Chinese nationals involved in illegal immigration were repatriated from Thailand on Thursday…"
TARGET = "src/briefings/2025-02-27-forty-chinese-nationals-involved-in-illegal-immigration-were.md"
DATE_HELP = "pass --date or put YYYY-MM-DD in the file name"


pytestmark = pytest.mark.usefixtures("in_tmp")  # in tmp_path: messages show paths relative to it


@pytest.fixture
def site(make_site):
    """A site that knows the sample brief's terms, under another name so it is no import target."""
    return make_site({"known.md": SAMPLE.read_text(encoding="utf-8")}, "search: false\n")


def reports(tmp_path, files: dict[str, bytes | str]) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def split(text: str) -> tuple[dict, str]:
    _, header, body = text.split("---\n", 2)
    return yaml.safe_load(header), body


def test_sample_reproduces_the_sample_briefs_header(site, cli):
    result = cli("import", FIXTURE, "--source", "src")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Created {TARGET}\nImported 1 brief, skipped 0.\n"
    assert result.stderr == ""
    text = Path(TARGET).read_text(encoding="utf-8")
    header, body = split(text)
    expected, sample_body = split(SAMPLE.read_text(encoding="utf-8"))
    assert expected["tags"] == ["illegal immigration", "repatriation", "transnational crime", "telecom fraud",
                                "law enforcement cooperation"]
    # The title is the report's first sentence; of the tags, only those the text names.
    expected.update(title=TITLE, tags=["illegal immigration", "law enforcement cooperation", "repatriation"])
    assert header == expected
    assert header["date"] == date(2025, 2, 27)
    assert header["sources"] == [{"name": "Xinhua"}, {"name": "Ministry of Public Security"}]
    assert list(header) == ["title", "date", "location", "tags", "countries", "organizations", "sources"]
    assert body == sample_body
    brief, problems = parse_brief(TARGET, text.encode("utf-8"), Config())
    assert problems == [] and brief.location == "Beijing"


WIRE = [
    ("BEIJING, Feb. 27 (Xinhua) -- Officials met.", date(2025, 3, 1), date(2025, 2, 27), "Beijing", ("Xinhua",)),
    ("Bangkok, 27 February 2025 (Reuters) - Officials met.", None, date(2025, 2, 27), "Bangkok", ("Reuters",)),
    ("PARIS (AP) — Officials met.", date(2025, 2, 27), date(2025, 2, 27), "Paris", ("AP",)),
    ("  date 2025-02-27 Beijing: Officials met.", None, date(2025, 2, 27), "Beijing", ()),
    ("HANOI, Sept. 3, 2024 (VNA) – Officials met.", None, date(2024, 9, 3), "Hanoi", ("VNA",)),
    ("NEW YORK, March 4 2025 -- Officials met.", None, date(2025, 3, 4), "New York", ()),
    ("Yangon, 4 Mar. 2025 (AFP)—Officials met.", None, date(2025, 3, 4), "Yangon", ("AFP",)),
    ("XI'AN, Jun 5 (Xinhua) -- Officials met.", date(2025, 1, 1), date(2025, 6, 5), "Xi'an", ("Xinhua",)),
    ("BEIJING, Dec. 31 (Xinhua) -- Officials met.", date(2026, 1, 1), date(2025, 12, 31), "Beijing", ("Xinhua",)),
    ("PHNOM PENH, 2025-01-16 (Xinhua) -- Officials met.", None, date(2025, 1, 16), "Phnom Penh", ("Xinhua",)),
]


@pytest.mark.parametrize(("text", "hint", "day", "location", "sources"), WIRE)
def test_wire_datelines(text, hint, day, location, sources):
    report = read_report(text.encode("utf-8"), hint)
    assert (report.day, report.location, report.sources) == (day, location, sources)
    assert report.body == "Officials met."
    assert report.title == "Officials met"


@pytest.mark.parametrize(("text", "hint", "reason"), [
    ("PARIS (AP) — Officials met.", None, f"the dateline 'PARIS (AP) —' has no date; {DATE_HELP}"),
    ("BEIJING, Feb. 27 (Xinhua) -- x", None, f"the dateline 'BEIJING, Feb. 27 (Xinhua) --' has no year; {DATE_HELP}"),
    ("BEIJING, Feb. 30 (Xinhua) -- x", date(2025, 1, 1), "'Feb. 30' in the dateline is not a real date"),
    ("BEIJING, Febuary 27 (Xinhua) -- x", None,
     "no dateline such as 'BEIJING, Feb. 27 (Xinhua) --' or 'date 2025-02-27 Beijing:' at the start"),
    ("date 2025-02-27 Beijing:   \n\n  \n", None, "no text after the dateline"),
])
def test_datelines_that_cannot_be_dated(text, hint, reason):
    with pytest.raises(Skip) as caught:
        read_report(text.encode("utf-8"), hint)
    assert str(caught.value) == reason


def test_date_from_option_else_file_name_else_skipped(tmp_path, site, cli):
    folder = reports(tmp_path, {"paris.txt": "PARIS (AP) — Police met.", "wire-2025-01-05.txt": "ROME (AP) — Judges met."})
    result = cli("import", folder, "--source", "src", "--date", "2025-01-04")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("Created src/briefings/2025-01-04-police-met.md\n"  # --date wins over the file name
                             "Created src/briefings/2025-01-04-judges-met.md\nImported 2 briefs, skipped 0.\n")

    (folder / "paris.txt").write_text("PARIS (AP) — Doctors met.", encoding="utf-8")
    result = cli("import", folder, "--source", "src")
    assert result.exit_code == 1
    assert result.stderr == f"reports/paris.txt: the dateline 'PARIS (AP) —' has no date; {DATE_HELP}\n"
    assert result.stdout == "Created src/briefings/2025-01-05-judges-met.md\nImported 1 brief, skipped 1.\n"

    result = cli("import", folder / "paris.txt", "--source", "src", "--date", "2025-02-30")
    assert result.exit_code == 2
    assert "Invalid value for '--date': expected a date as YYYY-MM-DD, got '2025-02-30'" in result.stderr


def test_title_from_option_headline_or_first_sentence(tmp_path, site, cli):
    headline = read_report(b"China and Thailand sign pact\n\nBANGKOK, Feb. 27 (Reuters) - Both sides signed.\n", date(2025, 2, 27))
    assert (headline.title, headline.body) == ("China and Thailand sign pact", "Both sides signed.")
    given = read_report(b"China and Thailand sign pact\n\nBANGKOK, Feb. 27 (Reuters) - Both sides signed.\n",
                        date(2025, 2, 27), "Pact signed")
    assert (given.title, given.body) == ("Pact signed", "Both sides signed.")
    with pytest.raises(Skip, match="^no dateline "):  # a first line ending in a period is no headline
        read_report(b"Both sides signed a pact.\n\nBANGKOK, Feb. 27 (Reuters) - Text.\n", None)
    with pytest.raises(Skip, match="^no dateline "):  # nor one that is not followed by a blank line
        read_report(b"China and Thailand sign pact\nBANGKOK, Feb. 27 (Reuters) - Text.\n", None)

    assert first_sentence("Thai police raided a scam centre on Thursday. Ten were held.") == \
        "Thai police raided a scam centre on Thursday"
    assert first_sentence("U.S. and Thai police met on Feb. 27 in Bangkok. Ten were held.") == \
        "U.S. and Thai police met on Feb. 27 in Bangkok"
    assert first_sentence("Mr. Lee said, \"We agree.\" Then he left.") == 'Mr. Lee said, "We agree."'
    assert first_sentence(FIXTURE.read_text(encoding="utf-8").split(": ", 1)[1]) == TITLE
    long = "Police in the northern province of Chiang Rai arrested forty-one people on Thursday in a raid of the "
    assert len(long) == 101
    assert first_sentence(long + "compounds.") == long.removesuffix(" of the ") + "…"  # no small words at the end
    whole = long.replace("in a raid of the ", "in big raids Sun ")  # its last word ends at character 100
    assert first_sentence(whole + "Tzu.") == whole.rstrip() + "…"

    folder = reports(tmp_path, {"a.txt": "PARIS (AP) — A.", "b.txt": "PARIS (AP) — B."})
    result = cli("import", folder, "--source", "src", "--date", "2025-01-04", "--title", "One title")
    assert result.exit_code == 2
    assert "--title names one brief, but 2 reports were given" in result.stderr
    result = cli("import", folder / "a.txt", "--source", "src", "--date", "2025-01-04", "--title", "Une réunion à Paris")
    assert result.exit_code == 0, result.output
    header, _ = split((site / "briefings" / "2025-01-04-une-réunion-à-paris.md").read_text(encoding="utf-8"))
    assert header == {"title": "Une réunion à Paris", "date": date(2025, 1, 4), "location": "Paris",
                      "sources": [{"name": "AP"}]}


def test_sources_from_attributions():
    body = ("Police acted, according to China's Ministry of Public Security (MPS). A senior MPS official spoke, "
            "reports Xinhua news agency. Both met, according to the official. The Xinhua News Agency added detail, "
            "citing the Royal Thai Police. Rain fell, according to Ministry of Public Security officials.")
    assert find_sources(None, body) == ("Xinhua", "Ministry of Public Security", "Royal Thai Police")
    assert find_sources("Reuters", "Ten were held, according to Reuters. Others fled, reported the Bangkok Post.") == (
        "Reuters", "Bangkok Post")
    assert find_sources(None, "Nobody is cited here, according to the official.") == ()


def known_site(**terms):
    """An indexed site of one brief with the given taxonomy lists (YAML flow text)."""
    config = Config()
    brief, problems = parse_brief("k.md", brief_text(**terms).encode("utf-8"), config)
    assert problems == []
    return build_index([brief], config)


def test_terms_by_whole_word_any_case_and_separator():
    site = known_site(tags="[telecom fraud, Scam]", countries="[Thailand, Laos]")
    text = "Telecom-Fraud gangs in THAILAND ran scams from Laos-based Thailandia."
    assert suggest_terms(text, site) == {"tags": ["telecom fraud"], "countries": ["Laos", "Thailand"],
                                         "organizations": []}
    assert suggest_terms("Nothing known here.", site) == {"tags": [], "countries": [], "organizations": []}


def test_terms_by_acronym():
    site = known_site(organizations="[Ministry of Public Security, National Immigration Administration]",
                      tags="[Law Enforcement Cooperation]")
    assert suggest_terms("The MPS and LEC said so; the nia did not.", site)["organizations"] == [
        "Ministry of Public Security"]
    assert suggest_terms("The MPS and LEC said so.", site)["tags"] == []  # tags are not found by acronym
    # Two terms with the same initials are ambiguous, unless the text defines the acronym.
    site = known_site(organizations="[National Immigration Administration, National Intelligence Agency]")
    assert suggest_terms("The NIA said so.", site)["organizations"] == []
    text = "The NIA said so, said the National Intelligence Agency (NIA)."
    assert suggest_terms(text, site)["organizations"] == ["National Intelligence Agency"]


def test_terms_by_acronym_defined_in_the_sites_briefs():
    config = Config()
    brief, _ = parse_brief("k.md", brief_text(organizations="[Association of Southeast Asian Nations]",
                                              body="Leaders of the Association of Southeast Asian Nations (ASEAN) met.")
                           .encode("utf-8"), config)
    site = build_index([brief], config)
    assert suggest_terms("ASEAN ministers met in Vientiane.", site)["organizations"] == [
        "Association of Southeast Asian Nations"]
    assert suggest_terms("Asean ministers met in Vientiane.", site)["organizations"] == []


def test_terms_by_country_adjective():
    site = known_site(countries="[China, Thailand, Cambodia]")
    assert suggest_terms("Chinese and Thai officials met.", site)["countries"] == ["China", "Thailand"]
    assert suggest_terms("Laotian and thai officials met.", site)["countries"] == []  # Laos is not a term


def test_markdown_syntax_at_paragraph_start_stays_text():
    raw = ("BEIJING, Feb. 27, 2025 (Xinhua) -- # 1 priority   \nis safety.\n\n> quoted\n\n- not a list\n\n"
           "1. not a list\n\n: not a definition\n\n---\n\n[1]: http://example.org\n\n"
           "-30 degrees, 2025. A *real* emphasis stays.\n")
    report = read_report(raw.encode("utf-8"), None)
    assert report.body == ("\\# 1 priority is safety.\n\n\\> quoted\n\n\\- not a list\n\n1\\. not a list\n\n"
                           "&#58; not a definition\n\n\\-\\-\\-\n\n\\[1]: http://example.org\n\n"
                           "-30 degrees, 2025. A *real* emphasis stays.")
    brief, problems = parse_brief("x.md", f"---\ntitle: x\ndate: 2025-02-27\n---\n{report.body}\n".encode(), Config())
    assert problems == []
    assert brief.body == ("<p># 1 priority is safety.</p>\n<p>&gt; quoted</p>\n<p>- not a list</p>\n"
                          "<p>1. not a list</p>\n<p>: not a definition</p>\n<p>---</p>\n"
                          "<p>[1]: http://example.org</p>\n<p>-30 degrees, 2025. A <em>real</em> emphasis stays.</p>")


def test_never_overwrites(site, cli):
    assert cli("import", FIXTURE, "--source", "src").exit_code == 0
    before = tree(site)
    result = cli("import", FIXTURE, "--source", "src")
    assert result.exit_code == 1
    assert result.stderr == f"{FIXTURE}: {TARGET} already exists; not overwritten\n"
    assert result.stdout == "Imported 0 briefs, skipped 1.\n"
    assert tree(site) == before


def test_slug_already_used_is_skipped(tmp_path, site, cli):
    (site / "briefings" / "other.md").write_text(brief_text(slug="2025-01-04-police-met"), encoding="utf-8")
    folder = reports(tmp_path, {"a.txt": "PARIS (AP) — Police met."})
    result = cli("import", folder, "--source", "src", "--date", "2025-01-04")
    assert result.exit_code == 1
    assert result.stderr == "reports/a.txt: slug '2025-01-04-police-met' is already used by src/briefings/other.md\n"


def test_files_it_cannot_understand_are_skipped_with_the_reason(tmp_path, site, cli):
    folder = reports(tmp_path, {
        "empty.txt": b" \n\n", "latin1.txt": "PARIS (AP) - Café.".encode("latin-1"),
        "no-dateline.txt": "Officials met on Thursday.", "paris.txt": "PARIS (AP) — Officials met.",
        "report-2025-02-27.txt": "BEIJING, Feb. 27 (Xinhua) -- Officials met.", "notes.md": "# not a report",
    })
    (tmp_path / "empty-folder").mkdir()
    before = tree(site)
    result = cli("import", folder, "empty-folder", "--source", "src")
    assert result.exit_code == 1
    assert result.stderr == (
        "empty-folder: no .txt files in this folder\n"  # found while the arguments are read
        "reports/empty.txt: empty file\n"
        "reports/latin1.txt: not valid UTF-8 (byte 16); save the file as UTF-8\n"
        "reports/no-dateline.txt: no dateline such as 'BEIJING, Feb. 27 (Xinhua) --' or 'date 2025-02-27 Beijing:' at the start\n"
        f"reports/paris.txt: the dateline 'PARIS (AP) —' has no date; {DATE_HELP}\n"
    )
    assert result.stdout == "Created src/briefings/2025-02-27-officials-met.md\nImported 1 brief, skipped 5.\n"
    assert set(tree(site)) - set(before) == {"briefings/2025-02-27-officials-met.md"}


def test_dry_run_prints_the_brief_and_writes_nothing(site, cli):
    before = tree(site)
    result = cli("import", FIXTURE, "--source", "src", "--dry-run")
    assert result.exit_code == 0, result.output
    assert tree(site) == before
    assert cli("import", FIXTURE, "--source", "src").exit_code == 0
    written = Path(TARGET).read_text(encoding="utf-8")
    assert result.stdout == (f"==> {TARGET} <==\n{written}"
                             "Dry run: would import 1 brief, skipped 0; nothing was written.\n")
    assert written.startswith(f"---\ntitle: {TITLE}\ndate: 2025-02-27\nlocation: Beijing\n"
                              "tags: [illegal immigration, law enforcement cooperation, repatriation]\n"
                              "countries: [China, Thailand]\n"
                              "organizations: [Ministry of Public Security, National Immigration Administration, Xinhua]\n"
                              "sources:\n- name: Xinhua\n- name: Ministry of Public Security\n---\n\n"
                              "Forty Chinese nationals involved in illegal immigration were repatriated")


def test_round_trip_import_then_build(tmp_path, site, cli):
    folder = reports(tmp_path, {"a.txt": "Thai police raid scam centre\n\nBANGKOK, Feb. 28 (Reuters) - Thai "
                                         "police raided a compound, according to the Royal Thai Police.\n"})
    shutil.copy(FIXTURE, folder / FIXTURE.name)
    result = cli("import", folder, "--source", "src", "--date", "2025-02-28")
    assert result.exit_code == 0, result.output
    result = cli("build", "--source", "src", "--quiet")
    assert result.exit_code == 0, result.output
    page = site / "site" / "briefs" / "2025-02-28-thai-police-raid-scam-centre" / "index.html"
    assert '<h1 data-pagefind-meta="title">Thai police raid scam centre</h1>' in page.read_text(encoding="utf-8")
    assert (Path(TARGET.replace("briefings", "site/briefs").removesuffix(".md")) / "index.html").is_file()
    thailand = (site / "site" / "countries" / "thailand" / "index.html").read_text(encoding="utf-8")
    for slug in ("known", "2025-02-28-thai-police-raid-scam-centre", Path(TARGET).stem):
        assert f'href="/briefs/{slug}/"' in thailand  # "Thai" made the first import join Thailand


# Issue 11: never a traceback, never written through a link, nothing raw to the terminal.

def test_dangling_symlink_at_the_target_is_refused_and_not_written_through(tmp_path, site, cli):
    nowhere = tmp_path / "elsewhere" / "planted.md"
    link = Path(TARGET)
    link.symlink_to(nowhere)
    result = cli("import", FIXTURE, "--source", "src")
    assert result.exit_code == 1
    assert result.stderr == f"{FIXTURE}: {TARGET} is a symbolic link to nowhere; nothing is written through it\n"
    assert result.stdout == "Imported 0 briefs, skipped 1.\n"
    assert link.is_symlink() and not nowhere.exists() and not nowhere.parent.exists()
    dry = cli("import", FIXTURE, "--source", "src", "--dry-run")  # a dry run says so too
    assert dry.stderr == result.stderr and "==>" not in dry.stdout


def test_dangling_briefings_folder_is_refused(tmp_path, make_site, cli):
    src = make_site({}, "search: false\n")
    (src / "briefings").rmdir()
    (src / "briefings").symlink_to(tmp_path / "gone")
    result = cli("import", FIXTURE, "--source", "src")
    assert result.exit_code == 1
    assert result.stderr == f"{FIXTURE}: src/briefings is a symbolic link to nowhere; nothing is written through it\n"
    assert not (tmp_path / "gone").exists()


def test_reports_with_control_characters_are_skipped_and_names_shown_escaped(tmp_path, site, cli):
    folder = reports(tmp_path, {"esc.txt": "PARIS, Feb. 3, 2025 (AP) — Police \x1b[2Jmet.\n",
                                "\x1b[31mred.txt": "PARIS, Feb. 3, 2025 (AP) — Police met.\n\n\x07Bell."})
    before = tree(site)
    result = cli("import", folder, "--source", "src")
    assert result.exit_code == 1
    assert result.stderr == (
        "reports/\\x1b[31mred.txt: control character '\\x07' on line 3; a report must be plain text\n"
        "reports/esc.txt: control character '\\x1b' on line 1; a report must be plain text\n")
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert tree(site) == before
