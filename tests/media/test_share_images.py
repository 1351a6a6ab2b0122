"""Share images: their size, determinism, what is drawn (Latin, CJK, Thai), line wrapping, fonts and the cache,
and builds on machines with fewer fonts (the font search faked): what is drawn, and the one warning."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, features
from test_incremental import clean_tree

from briefsite.build import Options, build_site
from briefsite.media import fonts, share
from briefsite.media.fonts import missing_glyphs, not_drawn
from briefsite.media.share import card_missing, share_image, share_key, wrap

from conftest import brief_text, build, require_client, tree

BRIEF = ("China repatriates 40 nationals stranded in Thailand", "Beijing", "27 February 2025", "Regional Brief",
         ("TLP:AMBER", "#FFC000"))
CJK = "公安部破获特大跨境电信诈骗案件，抓获犯罪嫌疑人一百余名"
THAI = "ตำรวจไทยจับกุมผู้ต้องสงสัยแก๊งคอลเซ็นเตอร์ข้ามชาติ"


def test_a_share_image_is_a_1200_by_630_png_and_the_same_brief_draws_the_same_bytes():
    data = share_image(*BRIEF)
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size, image.mode) == ("PNG", (1200, 630), "P")  # a palette: one byte a pixel
    assert share_image(*BRIEF) == data


def test_the_png_writer_gives_the_image_pillow_reads_back_with_valid_checksums(monkeypatch):
    card = Image.new("P", (7, 3), 1)
    card.putpalette([246, 244, 239, 17, 20, 24, 255, 192, 0])
    card.putpixel((6, 2), 2)
    card.putpixel((0, 0), 0)
    data = share.png(card)
    Image.open(io.BytesIO(data)).verify()  # every chunk's CRC
    read = Image.open(io.BytesIO(data))
    assert (read.format, read.mode, read.size) == ("PNG", "P", (7, 3))
    assert read.tobytes() == card.tobytes() == bytes([0, *[1] * 19, 2])
    assert read.getpalette("RGB")[:9] == [246, 244, 239, 17, 20, 24, 255, 192, 0]
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")
    # A drawn card: what Pillow reads back is the image drawn, pixel for pixel and colour for colour.
    drawn, original = [], share.png
    monkeypatch.setattr(share, "png", lambda image: drawn.append(image) or original(image))
    read = Image.open(io.BytesIO(share_image(*BRIEF)))
    assert read.tobytes() == drawn[0].tobytes() and len(set(read.tobytes())) > 10
    assert read.convert("RGB").tobytes() == drawn[0].convert("RGB").tobytes()


def test_the_widths_kept_are_bounded_and_the_same_once_measured_again(monkeypatch):
    monkeypatch.setattr(share, "WIDTHS", 3)
    words = ["Beijing", "Bangkok", "Mae", "Sot", "Myawaddy"]
    first = [share._width(word, "bold", 50) for word in words]
    assert 0 < len(share._drawn("width")) <= 3  # emptied when full: the fourth and the fifth are kept
    assert [share._width(word, "bold", 50) for word in words] == first
    assert first[0] != first[1] and all(width > 0 for width in first)


@pytest.mark.parametrize("title", [BRIEF[0], CJK, THAI, "Ça « marche » : l’écart, 40 % — AVATAR Wave"])
def test_a_title_drawn_word_by_word_lands_where_the_whole_line_would(title):
    # Each piece is drawn once a process and pasted: the card must look like the line drawn in one go.
    size, lines = share._title_size(title)
    whole = Image.new("L", share.SIZE, 0)
    draw = ImageDraw.Draw(whole)
    for number, line in enumerate(lines):
        share._draw(draw, (share.MARGIN, 230 + number * size * 1.25), line, "bold", size)
    card = Image.open(io.BytesIO(share_image(title, "", "", "Brief"))).convert("RGB")
    ink = ImageChops.difference(card, Image.new("RGB", share.SIZE, share.PAPER)).convert("L")
    box = share.TITLE_BOX
    drawn, expected = ink.crop(box).point(lambda a: 255 * (a > 96)), whole.crop(box).point(lambda a: 255 * (a > 96))
    # Pieces start on whole pixels: within a pixel of the line's ink, each way (a few edge pixels aside, which
    # the shades round across the threshold).
    inked = expected.histogram()[255]
    stray = ImageChops.subtract(drawn, expected.filter(ImageFilter.MaxFilter(3))).histogram()[255]
    lost = ImageChops.subtract(expected, drawn.filter(ImageFilter.MaxFilter(3))).histogram()[255]
    assert inked > 5_000 and stray + lost <= inked // 2000, (stray, lost, inked)


def test_a_card_has_a_few_colours_each_text_in_its_own_shades():
    card = Image.open(io.BytesIO(share_image(*BRIEF)))
    palette = card.convert("RGB").getcolors(1 << 16)
    assert len(palette) <= 256 and len(card.getpalette()) // 3 == 3 + 4 * (share.LEVELS - 1)
    assert (share.SIZE[0] * share.SIZE[1] // 2 < max(palette)[0])  # the paper, most of the card
    assert {colour for _, colour in palette} >= {(0xf6, 0xf4, 0xef), (0x11, 0x14, 0x18), (0xb3, 0x14, 0x1b),
                                                  (0x5b, 0x61, 0x69), (0xd5, 0xd1, 0xc8), (0, 0, 0)}


def test_the_marking_is_drawn_in_its_colour_on_black():
    marked, unmarked = share_image(*BRIEF), share_image(*BRIEF[:4], None)
    assert marked != unmarked
    colours = {colour for _, colour in Image.open(io.BytesIO(marked)).convert("RGB").getcolors(1 << 16)}
    assert (255, 192, 0) in colours and (0, 0, 0) in colours
    assert (255, 192, 0) not in {c for _, c in Image.open(io.BytesIO(unmarked)).convert("RGB").getcolors(1 << 16)}
    assert share_image(*BRIEF[:4], ("TLP:RED", "#FF2B2B")) != marked


@pytest.mark.parametrize("text", [CJK, THAI, "Hello, “quoted” — 40% é ß", "北京 · 2025年2月27日 · กรุงเทพฯ"])
def test_latin_cjk_and_thai_have_a_glyph_for_every_character(text):
    assert missing_glyphs(text) == "" and missing_glyphs(text, "regular") == ""


@pytest.mark.parametrize("text", [CJK, THAI, BRIEF[0], "\u0e31 a mark first", " space first 北京", "", "a\u0301"])
def test_the_faces_a_text_is_drawn_with_are_those_of_its_runs(text):
    for weight in ("bold", "regular"):
        assert fonts.faces_in(text, weight) == {face for _, face in fonts.face_runs(text, weight) if face}


def test_a_character_no_font_has_is_named():
    assert missing_glyphs("police \U0001F6A8 raid \U0001F6A8") == "\U0001F6A8"


def test_thai_and_cjk_titles_draw_ink_in_the_title_area():
    for title in (CJK, THAI):
        image = Image.open(io.BytesIO(share_image(title, "", "", "Brief"))).convert("L")
        dark = sum(image.crop((80, 160, 1120, 440)).histogram()[:80])
        assert dark > 20_000  # glyphs, not a few boxes


def test_thai_is_shaped_when_pillow_has_raqm():
    assert (fonts.LAYOUT == ImageFont.Layout.RAQM) == features.check("raqm")


def test_a_long_title_is_wrapped_at_words_and_cut_with_an_ellipsis():
    lines = wrap("An extremely long headline " * 10, "bold", 50, 1040, 4)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert lines[-1][:-1].split()[-1] in {"An", "extremely", "long", "headline"}  # cut after a whole word
    assert all(line == line.strip() for line in lines)
    assert all(share._width(line, "bold", 50) <= 1040 for line in lines)
    assert wrap("Short title", "bold", 68, 1040, 3) == ["Short title"]


def test_cjk_wraps_between_characters_and_never_starts_a_line_with_a_comma():
    lines = wrap(CJK * 3, "bold", 68, 1040, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(not line.startswith("，") for line in lines)
    assert all(share._width(line, "bold", 68) <= 1040 for line in lines)


def test_a_thai_phrase_wider_than_a_line_is_cut_between_letters_never_before_a_mark():
    lines = wrap(THAI * 3, "bold", 68, 1040, 3)
    assert len(lines) == 3
    assert all(not fonts.is_mark(line[0]) for line in lines)


def test_a_share_image_is_drawn_once_and_a_damaged_one_again(make_site, tmp_path, monkeypatch):
    import briefsite.media.previews as previews

    src = make_site({"a.md": brief_text(title=BRIEF[0], location=BRIEF[1])}, config=SHARE_ON)
    build_site(Options(src, tmp_path / "one", jobs=1))
    [path] = (src / ".briefsite-cache" / "media" / "share").glob("*.png")
    first = (tmp_path / "one" / "briefs" / "a" / "share.png").read_bytes()
    assert path.read_bytes() == first
    monkeypatch.setattr(previews, "share_image", lambda *args: pytest.fail("drawn again"))
    build_site(Options(src, tmp_path / "two", jobs=1))  # another output: a whole build, its card from the cache
    assert (tmp_path / "two" / "briefs" / "a" / "share.png").read_bytes() == first
    monkeypatch.undo()
    path.write_bytes(first[:1000])
    build_site(Options(src, tmp_path / "three", jobs=1))
    assert (tmp_path / "three" / "briefs" / "a" / "share.png").read_bytes() == first == path.read_bytes()
    assert share_key(*BRIEF) != share_key(*BRIEF[:4], None) != share_key("Other", *BRIEF[1:])


def test_an_edit_reads_no_kept_card_but_the_one_it_writes_and_a_card_damaged_meanwhile_is_drawn_again(
        make_site, tmp_path, monkeypatch):
    import briefsite.media.previews as previews

    src = make_site({f"{name}.md": brief_text(title=f"Brief {name}") for name in "abc"}, config=SHARE_ON)
    out = tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    cards = {name: (out / "briefs" / name / "share.png").read_bytes() for name in "abc"}
    read, original = [], previews.KeptCard.data
    monkeypatch.setattr(previews.KeptCard, "data", property(lambda card: read.append(Path(card.name).name) or original.fget(card)))
    (src / "briefings" / "a.md").write_text(brief_text(title="Brief a") + "\nA new sentence.\n", encoding="utf-8")
    assert build_site(Options(src, out, jobs=1)).rendered > 0
    assert read == []  # the cards are unchanged: none is read, none written
    (src / "briefings" / "b.md").write_text(brief_text(title="Brief b, retitled"), encoding="utf-8")
    build_site(Options(src, out, jobs=1))
    assert read == ["b.md"]
    assert [(out / "briefs" / name / "share.png").read_bytes() == cards[name] for name in "abc"] == [True, False, True]
    # A kept card damaged after the media stage found it whole: its bytes are drawn again, the same.
    files, _ = previews.share_images(*_chosen(src))
    [card] = [file for file in files if Path(file.name).name == "c.md"]
    assert isinstance(card, previews.KeptCard) and card.data == cards["c"]
    card.file.write_bytes(b"not a PNG")
    assert card.data == cards["c"]


def _chosen(src):
    """The arguments share_images takes for the site in `src`, as a build gives them."""
    from briefsite.build import read_briefs
    from briefsite.media.cache import MediaCache

    config, briefs = read_briefs(Options(src, src / "site"))
    return briefs, config, MediaCache(src / ".briefsite-cache" / "media"), 1


# The system's fonts (.ci/run installs fonts-noto-cjk and fonts-thai-tlwg; fontconfig brings DejaVu).
FONTS = Path("/usr/share/fonts")
NOTO_CJK = [FONTS / f"opentype/noto/NotoSansCJK-{weight}.ttc" for weight in ("Bold", "Regular")]
LOMA = [FONTS / f"truetype/tlwg/Loma{weight}.ttf" for weight in ("-Bold", "")]
DEJAVU = [FONTS / f"truetype/dejavu/DejaVuSans{weight}.ttf" for weight in ("-Bold", "")]
SHARE_ON = "share_images: true\nsearch: false\n"
LACKS = "site.yml: warning: share_images: {} no share image, needing fonts this machine lacks (Debian packages named): "


def require(*files: Path) -> None:
    require_client(all(f.exists() for f in files), " and ".join(f.name for f in files),
                   "install the Debian packages fonts-noto-cjk, fonts-thai-tlwg and fonts-dejavu-core")


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """`machine(*files, fontconfig=False)`: the font search finds only these font files (linked into a
    folder of their own), and fontconfig only when asked; the real search again after the test."""

    def have(*files: Path, fontconfig: bool = False) -> None:
        require(*files)
        folder = tmp_path / "fonts"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for file in files:
            (folder / file.name).symlink_to(file)
        monkeypatch.setattr(fonts, "FONT_FOLDERS", (folder,))
        monkeypatch.setattr(fonts, "FONTCONFIG", "fc-match" if fontconfig else None)
        fonts.find_fonts.cache_clear()

    yield have
    monkeypatch.undo()
    fonts.find_fonts.cache_clear()


def site(make_site):
    return make_site({"a.md": brief_text(title="Raid on a compound in Mae Sot"),
                      "b.md": brief_text(title=THAI, location="Bangkok"),
                      "c.md": brief_text(title=CJK, location="Beijing")}, config=SHARE_ON)


def has_share_image(out: Path, slug: str) -> bool:
    page = (out / "briefs" / slug / "index.html").read_text()
    pointed = f'<meta property="og:image" content="http://127.0.0.1:8000/briefs/{slug}/share.png">' in page
    large = '<meta name="twitter:card" content="summary_large_image">' in page
    assert pointed == large == (out / "briefs" / slug / "share.png").exists(), slug  # the page and the file agree
    return pointed


def test_what_is_kept_drawn_is_kept_with_the_faces_it_was_drawn_with(machine, monkeypatch):
    # Words and backgrounds are drawn once a process: never reused with faces other than those they were drawn with.
    card = ("Raid on a compound in Mae Sot", "Mae Sot", "27 February 2025", "Regional Brief", ("TLP:AMBER", "#FFC000"))
    machine()  # Pillow's font only
    plain = share_image(*card)
    monkeypatch.undo()  # the machine's own fonts again
    fonts.find_fonts.cache_clear()
    noto = share_image(*card)
    machine()
    assert share_image(*card) == plain != noto


def test_without_any_font_latin_is_drawn_in_pillows_font_and_the_others_named_in_one_warning(make_site, tmp_path,
                                                                                           machine):
    machine()
    assert set(fonts.find_fonts().faces.values()) == {(fonts.BUILT_IN,), ()}
    src, out = site(make_site), tmp_path / "out"
    result = build(src, out)
    assert [str(w) for w in result.warnings] == [
        LACKS.format("2 briefs have") + f"{src}/briefings/b.md (Thai: install fonts-thai-tlwg), "
                                        f"{src}/briefings/c.md (Chinese: install fonts-noto-cjk)"]
    assert [has_share_image(out, slug) for slug in "abc"] == [True, False, False]
    with Image.open(out / "briefs/a/share.png") as card:
        assert (card.format, card.size) == ("PNG", (1200, 630))
        dark = sum(card.convert("L").crop((80, 160, 1120, 440)).histogram()[:80])
        assert dark > 10_000  # the title in letters, not boxes
    card = ("Raid on a compound in Mae Sot", "", "27 February 2025", "Regional Brief", ("TLP:AMBER", "#FFC000"))
    assert share_image(*card) == share_image(*card)
    assert [stroke > 0 for _, _, stroke in share._runs("Raid", "bold", 68) + share._runs("Raid", "regular", 30)] == [
        True, False]  # Pillow's font has one weight: a stroke makes it bold


def test_with_only_a_cjk_font_chinese_is_drawn_and_thai_named(make_site, tmp_path, machine):
    machine(*NOTO_CJK)
    src, out = site(make_site), tmp_path / "out"
    result = build(src, out)
    assert [str(w) for w in result.warnings] == [
        LACKS.format("1 brief has") + f"{src}/briefings/b.md (Thai: install fonts-thai-tlwg)"]
    assert [has_share_image(out, slug) for slug in "abc"] == [True, False, True]


def test_with_the_systems_fonts_every_script_is_drawn_and_nothing_warned(make_site, tmp_path):
    require(*NOTO_CJK, *LOMA)
    src = make_site({"a.md": brief_text(title="Raid on a compound in Mae Sot"),
                     "b.md": brief_text(title=THAI, location="กรุงเทพฯ"), "c.md": brief_text(title=CJK),
                     "d.md": brief_text(title="警察庁、特殊詐欺グループの拠点を摘発"),
                     "e.md": brief_text(title="경찰, 보이스피싱 조직 총책 검거"),
                     "f.md": brief_text(title="Zażółć gęślą jaźń — Čeština, Ελληνικά, Русский")}, config=SHARE_ON)
    result = build(src, tmp_path / "out")
    assert result.warnings == []
    assert all(has_share_image(tmp_path / "out", slug) for slug in "abcdef")


def test_fontconfig_alone_finds_fonts_for_every_script(machine):
    require_client(shutil.which("fc-match") is not None, "fontconfig", "install the Debian package fontconfig")
    machine(fontconfig=True)
    faces = fonts.find_fonts().faces
    assert faces["bold", "thai"] and faces["bold", "cjk"] and faces["bold", "main"][-1] == fonts.BUILT_IN
    assert card_missing(THAI, "กรุงเทพฯ", "27 February 2025", "Brief") == ""
    assert card_missing(CJK + "警察庁、特殊詐欺グループ 경찰", "北京", "", "Brief", ("TLP:AMBER", "#FFC000")) == ""
    assert fonts.find_fonts().face("ก", "bold").path.name in {"Loma-Bold.ttf", "Garuda-Bold.ttf", "NotoSansThai-Bold.ttf"}


def test_the_warning_names_each_briefs_scripts_and_packages_sorted_and_cut_after_twenty(machine):
    machine()
    missing = {"briefings/z.md": card_missing("Café — ตำรวจ 中国 🚨 한국 です", "", "", "X"),
               "briefings/y.md": card_missing(CJK, "", "", "X"), "briefings/x.md": card_missing(THAI, "", "", "X")}
    assert missing["briefings/z.md"] == "é—ตำรวจ中国🚨한국です"
    assert not_drawn(missing) == (
        "3 briefs have no share image, needing fonts this machine lacks (Debian packages named): "
        "briefings/x.md (Thai: install fonts-thai-tlwg), briefings/y.md (Chinese: install fonts-noto-cjk), "
        "briefings/z.md (Latin and punctuation: install fonts-dejavu-core; Japanese and Korean: install "
        "fonts-noto-cjk; Thai: install fonts-thai-tlwg; U+1F6A8: no font on this machine has it)")
    many = {f"briefings/{n:02}.md": "ก" for n in range(25)}
    assert not_drawn(many).endswith("briefings/19.md (Thai: install fonts-thai-tlwg) and 5 more")
    assert not_drawn(many).count("briefings/") == 20
    assert card_missing("Raid", "Mae Sot", "27 February 2025", "Ελληνικά") == "ΕΛΗΝΙΚΆ"  # the site's name, in capitals
    assert card_missing("Cafe\u0301", "", "", "X") == "\u0301"  # a mark its letter's face lacks
    assert not_drawn({"a.md": "\u0301"}).endswith("a.md (accents: install fonts-dejavu-core)")


def test_a_mark_is_drawn_by_its_letters_face_so_that_face_must_have_it(machine):
    machine(*LOMA)
    assert card_missing("Raid \u0e01\u0e31", "", "", "X") == ""
    assert card_missing("Raid\u0e31", "", "", "X") == "\u0e31"  # Loma has the mark, Pillow's font (the d's) not
    assert [face for _, face in fonts.face_runs("Raid \u0e01\u0e31", "bold")] == [fonts.BUILT_IN, fonts.Face(
        fonts.FONT_FOLDERS[0] / "Loma-Bold.ttf")]


def test_can_draw_is_what_the_fonts_character_maps_have(tmp_path):
    """A face has a glyph where its character map has the character, as fontconfig reads it."""
    require(*NOTO_CJK, *LOMA, *DEJAVU)
    require_client(shutil.which("fc-query") is not None, "fontconfig", "install the Debian package fontconfig")
    (tmp_path / "builtin.ttf").write_bytes(fonts._builtin())
    faces = {fonts.Face(NOTO_CJK[0], 2): NOTO_CJK[0], fonts.Face(LOMA[0]): LOMA[0], fonts.Face(DEJAVU[1]): DEJAVU[1],
             fonts.BUILT_IN: tmp_path / "builtin.ttf"}
    codes = [*range(0x20, 0x250), *range(0x370, 0x460), *range(0xE00, 0xE80), *range(0x2000, 0x2070),
             *range(0x3000, 0x3100), *range(0x4E00, 0x4F00), *range(0xAC00, 0xAC80), *range(0x1F600, 0x1F620)]
    for face, file in faces.items():
        has = charset(file, face.index)
        wrong = [f"U+{c:04X}" for c in codes if not fonts._needs_no_glyph(chr(c)) and fonts._has(face, chr(c)) != (c in has)]
        assert wrong == [], face
    assert fonts._has(fonts.BUILT_IN, "A") and not fonts._has(fonts.BUILT_IN, "é")


def test_each_package_named_brings_fonts_the_search_finds_with_every_character_it_is_named_for():
    require(*NOTO_CJK, *LOMA, *DEJAVU)
    require_client(shutil.which("fc-query") is not None, "fontconfig", "install the Debian package fontconfig")
    files = {"fonts-dejavu-core": [(f, 0) for f in DEJAVU], "fonts-noto-cjk": [(f, 2) for f in NOTO_CJK],
             "fonts-thai-tlwg": [(f, 0) for f in LOMA]}
    assert sorted(files) == sorted(fonts.PACKAGES)
    preferred = {(name.lower(), index) for script in fonts.PREFERRED.values() for weight in script.values()
                 for name, index in weight}
    for package, ranges in fonts.PACKAGES.items():
        named = [c for lo, hi in ranges for c in range(lo, hi + 1) if unicodedata.category(chr(c)) not in ("Cn", "Cc")]
        for file, index in files[package]:
            assert (file.name.lower(), index) in preferred  # found without fontconfig once installed
            has = charset(file, index)
            assert [f"U+{c:04X}" for c in named if c not in has] == [], file


def charset(file: Path, index: int) -> set[int]:
    """The characters fontconfig reads from a face's character map."""
    found = subprocess.run(["fc-query", f"--index={index}", "--format=%{charset}", str(file)], capture_output=True,
                           text=True, check=True).stdout
    return {code for part in found.split() for lo, _, hi in [part.partition("-")]
            for code in range(int(lo, 16), int(hi or lo, 16) + 1)}


def test_the_cache_key_names_the_faces_drawn_with(machine):
    latin, thai = ("Raid", "", "", "Brief", None), (THAI, "", "", "Brief", None)
    machine(*LOMA)
    keys = share_key(*latin), share_key(*thai)
    machine()
    assert share_key(*latin) == keys[0]  # the Thai font draws none of it
    assert share_key(*thai) != keys[1]
    machine(*NOTO_CJK, *LOMA)
    assert share_key(*latin) != keys[0]


def test_a_font_installed_later_draws_the_share_image_and_its_page_points_to_it(make_site, tmp_path, machine):
    machine()
    src, out = site(make_site), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    assert not has_share_image(out, "b")
    machine(*NOTO_CJK, *LOMA)  # as if installed: the next build draws the card and renders the page again
    # Another brief too: a build with no input changed returns the last one's result (Memory.unchanged).
    (src / "briefings" / "d.md").write_text(brief_text(title="Another raid"), encoding="utf-8")
    assert build_site(Options(src, out, jobs=1)).warnings == []
    assert [has_share_image(out, slug) for slug in "abcd"] == [True, True, True, True]
    assert tree(out) == clean_tree(src, tmp_path)
