"""Share images: their size, determinism, what is drawn (Latin, CJK, Thai), line wrapping, fonts and the cache."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFont, features

from briefsite.media import share
from briefsite.media.images import MediaError
from briefsite.media.share import find_fonts, missing_glyphs, share_image, share_image_cached, share_key, wrap

BRIEF = ("China repatriates 40 nationals stranded in Thailand", "Beijing", "27 February 2025", "Regional Brief",
         ("TLP:AMBER", "#FFC000"))
CJK = "公安部破获特大跨境电信诈骗案件，抓获犯罪嫌疑人一百余名"
THAI = "ตำรวจไทยจับกุมผู้ต้องสงสัยแก๊งคอลเซ็นเตอร์ข้ามชาติ"


def test_a_share_image_is_a_1200_by_630_png_and_the_same_brief_draws_the_same_bytes():
    data = share_image(*BRIEF)
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size, image.mode) == ("PNG", (1200, 630), "RGB")
    assert share_image(*BRIEF) == data


def test_the_marking_is_drawn_in_its_colour_on_black():
    marked, unmarked = share_image(*BRIEF), share_image(*BRIEF[:4], None)
    assert marked != unmarked
    colours = {colour for _, colour in Image.open(io.BytesIO(marked)).getcolors(1 << 16)}
    assert (255, 192, 0) in colours and (0, 0, 0) in colours
    assert (255, 192, 0) not in {c for _, c in Image.open(io.BytesIO(unmarked)).getcolors(1 << 16)}
    assert share_image(*BRIEF[:4], ("TLP:RED", "#FF2B2B")) != marked


@pytest.mark.parametrize("text", [CJK, THAI, "Hello, “quoted” — 40% é ß", "北京 · 2025年2月27日 · กรุงเทพฯ"])
def test_latin_cjk_and_thai_have_a_glyph_for_every_character(text):
    assert missing_glyphs(text) == "" and missing_glyphs(text, "regular") == ""


def test_a_character_no_font_has_is_named():
    assert missing_glyphs("police \U0001F6A8 raid \U0001F6A8") == "\U0001F6A8"


def test_thai_and_cjk_titles_draw_ink_in_the_title_area():
    for title in (CJK, THAI):
        image = Image.open(io.BytesIO(share_image(title, "", "", "Brief"))).convert("L")
        dark = sum(image.crop((80, 160, 1120, 440)).histogram()[:80])
        assert dark > 20_000  # glyphs, not a few boxes


def test_thai_is_shaped_when_pillow_has_raqm():
    assert (share.LAYOUT == ImageFont.Layout.RAQM) == features.check("raqm")


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
    assert all(not share._is_mark(line[0]) for line in lines)


def test_without_the_fonts_the_error_names_the_packages_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(share, "FONT_FOLDERS", (tmp_path,))
    find_fonts.cache_clear()
    try:
        with pytest.raises(MediaError) as raised:
            find_fonts()
    finally:
        monkeypatch.undo()
        find_fonts.cache_clear()
    assert str(raised.value) == ("no font to draw share images with: install the Debian packages fonts-noto-cjk "
                                 "and fonts-thai-tlwg (as .ci/run does), or set share_images: false")


def test_a_share_image_is_drawn_once_and_a_damaged_one_again(tmp_path, monkeypatch):
    first = share_image_cached(tmp_path, *BRIEF)
    path = tmp_path / f"{share_key(*BRIEF)}.png"
    assert path.read_bytes() == first
    monkeypatch.setattr(share, "share_image", lambda *args: pytest.fail("drawn again"))
    assert share_image_cached(tmp_path, *BRIEF) == first
    monkeypatch.undo()
    path.write_bytes(first[:1000])
    assert share_image_cached(tmp_path, *BRIEF) == first
    assert share_key(*BRIEF) != share_key(*BRIEF[:4], None) != share_key("Other", *BRIEF[1:])
