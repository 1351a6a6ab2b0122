"""The share images' fonts: the faces this machine has, what each can draw, and the Debian packages that bring more."""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from PIL import ImageFont, features

WEIGHTS = ("bold", "regular")
SCRIPTS = ("main", "cjk", "thai")  # the order in which a character's other scripts' fonts are tried


def _font_folders() -> tuple[Path, ...]:
    home = Path.home()
    if sys.platform == "darwin":
        return Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"
    if os.name == "nt":
        local = Path(os.environ.get("LOCALAPPDATA") or home / "AppData/Local")
        return Path(os.environ.get("WINDIR") or "C:/Windows") / "Fonts", local / "Microsoft/Windows/Fonts"
    return Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts", home / ".fonts"


FONT_FOLDERS = _font_folders()
FONTCONFIG = "fc-match"  # found on PATH; a machine without fontconfig uses the file names below alone
# Script -> weight -> font files by name (any case) and the face in a collection, None for the face of
# that weight; the first found of each list is tried first. Debian's packages first (fonts-noto-cjk,
# fonts-dejavu-core, fonts-noto-core, fonts-liberation, fonts-thai-tlwg), then macOS's and Windows's fonts.
PREFERRED = {
    "main": {"bold": (("NotoSansCJK-Bold.ttc", 2), ("NotoSansCJKsc-Bold.otf", 0), ("DejaVuSans-Bold.ttf", 0),
                      ("NotoSans-Bold.ttf", 0), ("LiberationSans-Bold.ttf", 0), ("Arial Bold.ttf", 0),
                      ("arialbd.ttf", 0), ("Helvetica.ttc", None)),
             "regular": (("NotoSansCJK-Regular.ttc", 2), ("NotoSansCJKsc-Regular.otf", 0), ("DejaVuSans.ttf", 0),
                         ("NotoSans-Regular.ttf", 0), ("LiberationSans-Regular.ttf", 0), ("Arial.ttf", 0),
                         ("Helvetica.ttc", None))},
    "cjk": {"bold": (("NotoSansCJK-Bold.ttc", 2), ("NotoSansCJKsc-Bold.otf", 0), ("Hiragino Sans GB.ttc", None),
                     ("AppleSDGothicNeo.ttc", None), ("msyhbd.ttc", 0), ("YuGothB.ttc", 0), ("malgunbd.ttf", 0),
                     ("Arial Unicode.ttf", 0)),
            "regular": (("NotoSansCJK-Regular.ttc", 2), ("NotoSansCJKsc-Regular.otf", 0),
                        ("Hiragino Sans GB.ttc", None), ("AppleSDGothicNeo.ttc", None), ("msyh.ttc", 0),
                        ("YuGothM.ttc", 0), ("malgun.ttf", 0), ("Arial Unicode.ttf", 0))},
    "thai": {"bold": (("NotoSansThai-Bold.ttf", 0), ("Loma-Bold.ttf", 0), ("Garuda-Bold.ttf", 0),
                      ("Thonburi.ttc", None), ("LeelaUIb.ttf", 0), ("tahomabd.ttf", 0), ("Arial Unicode.ttf", 0)),
             "regular": (("NotoSansThai-Regular.ttf", 0), ("Loma.ttf", 0), ("Garuda.ttf", 0), ("Thonburi.ttc", None),
                         ("LeelawUI.ttf", 0), ("tahoma.ttf", 0), ("Arial Unicode.ttf", 0))},
}
# What fontconfig is asked for each script, after the files above: its best sans-serif face for a language.
FONTCONFIG_LANGUAGES = {"main": ("en",), "cjk": ("zh-cn", "ja", "ko"), "thai": ("th",)}
# The Debian packages the build names for a character no font here has, with the characters (all
# those Unicode assigns in these ranges) that their fonts, found by the names above, have; the tests
# check these against the fonts.
PACKAGES = {
    "fonts-dejavu-core": ((0x20, 0x2AF), (0x300, 0x34F), (0x370, 0x4FF), (0x1E00, 0x1EFB), (0x2000, 0x2065),
                          (0x20A0, 0x20B5)),
    "fonts-noto-cjk": ((0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3000, 0x31BB), (0x31C0, 0x332B), (0x332D, 0x33FF),
                       (0x3400, 0x4DB5), (0x4E00, 0x9FEF), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFA6D),
                       (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)),
    "fonts-thai-tlwg": ((0xE01, 0xE5B),),
}
LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
NONCHARACTER = "\U0010ffff"  # no font maps it: what a font draws for a character it lacks (.notdef)


@dataclass(frozen=True, order=True)
class Face:
    """A font file and the face in it; no file is Pillow's built-in font."""

    path: Path | None
    index: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.index}" if self.path else "Pillow's built-in font"


BUILT_IN = Face(None)


@dataclass
class Fonts:
    """The faces this machine has for each weight and script, in the order they are tried."""

    faces: dict[tuple[str, str], tuple[Face, ...]]  # (weight, script) -> faces
    # weight -> char -> (joins the run before, face): asked for every character of every card
    chosen: dict = field(default_factory=lambda: {weight: {} for weight in WEIGHTS}, repr=False)
    plain: dict = field(default_factory=lambda: {weight: set() for weight in WEIGHTS}, repr=False)  # drawn alone
    cards: dict = field(default_factory=dict, repr=False)  # card -> its characters no face has (pages ask again)
    drawn: dict = field(default_factory=dict, repr=False)  # kind -> what share.py drew or measured with these faces

    def face(self, char: str, weight: str) -> Face | None:
        """The face that draws `char`: the first with a glyph for it, its script's faces first; None if none has."""
        return self.of(char, weight)[1]

    def of(self, char: str, weight: str) -> tuple[bool, Face | None]:
        """Whether `char` joins the run before it (a mark, a space, a format character), and its face."""
        chosen = self.chosen[weight]
        if char not in chosen:
            script = _script(char)
            order = dict.fromkeys(face for each in (script, *SCRIPTS) for face in self.faces[weight, each])
            face = next((face for face in order if _has(face, char)), None)
            chosen[char] = (is_mark(char) or _needs_no_glyph(char), face)
        return chosen[char]


@functools.cache
def find_fonts() -> Fonts:
    """Every weight's faces for each script: the files named in PREFERRED found under the system's font
    folders, then fontconfig's choices, then (for the main script) Pillow's built-in font."""
    files: dict[str, Path] = {}
    for folder in FONT_FOLDERS:
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".ttf", ".ttc", ".otf", ".otc")):
                files.setdefault(path.name.lower(), path)
    asked = {(weight, script, lang): _fontconfig(f"sans-serif:lang={lang}:weight={weight}")
             for weight in WEIGHTS for script in SCRIPTS for lang in FONTCONFIG_LANGUAGES[script]}
    faces = {}
    for weight in WEIGHTS:
        for script in SCRIPTS:
            found = [_face(files[name.lower()], index, weight) for name, index in PREFERRED[script][weight]
                     if name.lower() in files]
            found += [_answer(asked[weight, script, lang]) for lang in FONTCONFIG_LANGUAGES[script]]
            found += [BUILT_IN] if script == "main" else []
            faces[weight, script] = tuple(dict.fromkeys(face for face in found if face and _loads(face)))
    return Fonts(faces)


def _face(path: Path, index: int | None, weight: str) -> Face:
    """The face at `index` in the file, or where None, the first of the file's faces whose style is `weight`."""
    if index is not None:
        return Face(path, index)
    styles = []
    while len(styles) < 64:
        try:
            styles.append((ImageFont.truetype(str(path), 12, index=len(styles)).getname()[1] or "").lower())
        except OSError:
            break
    wanted = ("bold", "w6", "heavy") if weight == "bold" else ("regular", "w3", "medium", "roman", "book")
    return Face(path, next((i for i, style in enumerate(styles) if any(w in style for w in wanted)), 0))


def _fontconfig(pattern: str) -> subprocess.Popen | None:
    """fontconfig asked for its best face for `pattern` (all asked at once, then answered); None without it."""
    command = shutil.which(FONTCONFIG) if FONTCONFIG else None
    try:
        return subprocess.Popen([command, "--format=%{file}\n%{index}", pattern], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True) if command else None
    except OSError:
        return None


def _answer(asked: subprocess.Popen | None) -> Face | None:
    """fontconfig's answer: its face, or None where it failed or its best is no scalable font."""
    if asked is None:
        return None
    try:
        found = asked.communicate(timeout=30)[0].split("\n")
        path, index = Path(found[0]), int(found[1])
    except (subprocess.SubprocessError, ValueError, IndexError):
        asked.kill()
        asked.wait()
        return None
    if asked.returncode != 0:
        return None
    return Face(path, index) if path.suffix.lower() in (".ttf", ".ttc", ".otf", ".otc") else None


def _loads(face: Face) -> bool:
    try:
        _probe(face)
    except OSError:  # damaged, or a collection without that face
        return False
    return True


@functools.cache
def _builtin() -> bytes:
    return ImageFont.load_default(size=12).font_bytes


@functools.cache
def load_font(face: Face, size: int, layout: ImageFont.Layout = LAYOUT) -> ImageFont.FreeTypeFont:
    source = io.BytesIO(_builtin()) if face.path is None else str(face.path)
    return ImageFont.truetype(source, size, index=face.index, layout_engine=layout)


def _probe(face: Face) -> ImageFont.FreeTypeFont:
    # No shaping: each character its own glyph from the font's character map, never a substitute
    # such as the dotted circle Raqm puts before a mark without its letter.
    return load_font(face, 32, ImageFont.Layout.BASIC)


@functools.cache
def _notdef(face: Face) -> tuple:
    font = _probe(face)
    return font.getbbox(NONCHARACTER), bytes(font.getmask(NONCHARACTER, "L"))


@functools.cache
def _has(face: Face, char: str) -> bool:
    """Whether `face` has a glyph for `char`: characters that need none have one; others draw something
    other than the .notdef glyph FreeType draws for a character the font's character map lacks (its
    box, its ink compared only where the boxes are alike)."""
    if _needs_no_glyph(char):
        return True
    font, (box, ink) = _probe(face), _notdef(face)
    return font.getbbox(char) != box or bytes(font.getmask(char, "L")) != ink


def _needs_no_glyph(char: str) -> bool:
    # Spaces, and controls and format characters (joiners, direction marks), which shaping hides.
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def _script(char: str) -> str:
    code = ord(char)
    if 0xE00 <= code <= 0xE7F:
        return "thai"
    if is_wide(char) and unicodedata.category(char) != "So" or 0xFF61 <= code <= 0xFFDC or 0x1100 <= code <= 0x11FF:
        return "cjk"  # Han, kana, Hangul, their punctuation and fullwidth forms (emoji are wide too, but So)
    return "main"


def is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Mc", "Me")


def is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def face_runs(text: str, weight: str) -> list[tuple[str, Face | None]]:
    """`text` cut into runs drawn by one face each; spaces, marks and format characters join the run before."""
    of = find_fonts().of
    runs: list[list] = []
    for char in text:
        joins, face = of(char, weight)
        if runs and (joins or runs[-1][1] is face):
            runs[-1][0] += char
        else:
            runs.append([char, face])
    return [(run, face) for run, face in runs]


def faces_in(text: str, weight: str) -> set[Face]:
    """The faces that draw `text` (those of its runs), found from its distinct characters."""
    fonts, chars = find_fonts(), set(text)
    chosen = fonts.chosen[weight]
    for char in chars - chosen.keys():
        fonts.of(char, weight)
    # By identity first: a face is one object per process, and hashing one (its path) per character cost more.
    faces = {id(face): face for joins, face in map(chosen.__getitem__, chars) if not joins}
    if text and chosen[text[0]][0]:  # a mark or space that starts the text starts a run of its own
        faces[id(chosen[text[0]][1])] = chosen[text[0]][1]
    return set(faces.values()) - {None}


def missing_glyphs(text: str, weight: str = "bold") -> str:
    """The characters of `text` no face here has (a mark: that its letter's face lacks), each once, in order."""
    fonts, chars = find_fonts(), set(text)
    plain = fonts.plain[weight]  # characters a face has, which are no marks: the usual case, checked as a set
    plain.update(char for char in chars - plain if fonts.face(char, weight) and not is_mark(char))
    if chars <= plain:
        return ""
    missing = []
    for run, face in face_runs(text, weight):
        if face is None:
            missing += [char for char in run if not _needs_no_glyph(char)]
        else:  # a run's letters have their face's glyphs: only the marks joined to them may lack one
            missing += [char for char in run if is_mark(char) and not _has(face, char)]
    return "".join(dict.fromkeys(missing))


def not_drawn(missing: dict[str, str], listed: int = 20) -> str:
    """The build's one warning for the briefs whose cards are not drawn (brief's path -> characters no font
    here has), the first `listed` of them by path named with what to install."""
    entries = [f"{path} ({_wanting(chars)})" for path, chars in sorted(missing.items())]
    more = f" and {len(entries) - listed} more" if len(entries) > listed else ""
    count = "1 brief has" if len(entries) == 1 else f"{len(entries)} briefs have"
    return (f"{count} no share image, needing fonts this machine lacks (Debian packages named): "
            + ", ".join(entries[:listed]) + more)


def _wanting(chars: str) -> str:
    """What a brief's missing characters need: for each Debian package with a font for some, their scripts;
    then, by code point, those no package named here brings."""
    scripts: dict[str, set[str]] = {}
    unknown = []
    for char in chars:
        package = _package(char)
        if package:
            scripts.setdefault(package, set()).add(_script_name(char))
        else:
            unknown.append(f"U+{ord(char):04X}")
    parts = []
    for package, names in sorted(scripts.items()):
        if names & {"Japanese", "Korean"}:
            names.discard("Chinese")  # their Han characters and punctuation are part of how they are written
        parts.append(f"{_and(sorted(names))}: install {package}")
    if unknown:
        parts.append(f"{_and(unknown)}: no font on this machine has {'it' if len(unknown) == 1 else 'them'}")
    return "; ".join(parts)


def _package(char: str) -> str | None:
    code = ord(char)
    if unicodedata.category(char) == "Cn":  # unassigned: no package promises it
        return None
    return next((package for package, ranges in PACKAGES.items() if any(lo <= code <= hi for lo, hi in ranges)), None)


def _script_name(char: str) -> str:
    name = unicodedata.name(char, "")
    if "HIRAGANA" in name or "KATAKANA" in name:
        return "Japanese"
    if "HANGUL" in name:
        return "Korean"
    if _script(char) == "thai":
        return "Thai"
    if _package(char) == "fonts-noto-cjk":
        return "Chinese"
    if name.split(" ")[0] in ("LATIN", "GREEK", "CYRILLIC"):
        return name.split(" ")[0].capitalize()
    return {"M": "accents", "P": "punctuation"}.get(unicodedata.category(char)[0], "symbols")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
