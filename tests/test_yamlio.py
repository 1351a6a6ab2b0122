"""Safe YAML loading with positions."""

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefsite.errors import BuildError
from briefsite.yamlio import MAX_DEPTH, load


def test_positions_are_one_based_and_offset_by_first_line():
    doc, errors = load("title: x\nlist:\n  - a\n  - b\nmap:\n  k: v\n", "f.md", first_line=2)
    assert errors == []
    assert doc.data == {"title": "x", "list": ["a", "b"], "map": {"k": "v"}}
    assert doc.positions == {
        (): (2, 1), ("title",): (2, 8), ("list",): (4, 3), ("list", 0): (4, 5), ("list", 1): (5, 5),
        ("map",): (7, 3), ("map", "k"): (7, 6),
    }


def test_where_falls_back_to_the_nearest_parent():
    doc, _ = load("map:\n  k: v\n", "f.md")
    assert doc.where(("map", "k", "deeper")) == (2, 6)
    assert doc.where(("missing",)) == (1, 1)


def test_empty_text_is_an_empty_document():
    doc, errors = load("", "f.md")
    assert (doc.data, doc.positions, errors) == (None, {}, [])
    assert doc.where(("title",)) == (0, 0)


def test_duplicate_key_is_an_error_with_both_lines():
    doc, errors = load("a: 1\nb: 2\na: 3\n", "f.md", first_line=2)
    assert [str(e) for e in errors] == ["f.md:4:1: duplicate key 'a' (first given on line 2)"]


def test_duplicate_key_in_a_nested_mapping():
    _, errors = load("sources:\n  - name: A\n    name: B\n", "f.md")
    assert [str(e) for e in errors] == ["f.md:3:5: duplicate key 'name' (first given on line 2)"]


@pytest.mark.parametrize("text", [
    "x: !!python/object/apply:os.system ['touch {marker}']\n",
    "x: !!python/object/new:os.system ['touch {marker}']\n",
    "x: !!python/name:os.system\n",
])
def test_python_tags_are_errors_and_run_nothing(tmp_path, text):
    marker = tmp_path / "ran"
    doc, errors = load(text.format(marker=marker), "f.md", first_line=2)
    assert doc is None
    assert len(errors) == 1
    tag = text.split()[1][2:]  # "python/object/apply:os.system"
    assert str(errors[0]) == f"f.md:2:4: invalid YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:{tag}'"
    assert not marker.exists()


def test_dates_stay_strings():
    doc, errors = load("date: 2025-02-27\nat: 2025-02-27T10:00:00+08:00\nbad: 2025-02-30\n", "f.md")
    assert errors == []
    assert doc.data == {"date": "2025-02-27", "at": "2025-02-27T10:00:00+08:00", "bad": "2025-02-30"}


def test_billion_laughs_loads_quickly():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    started = time.perf_counter()
    doc, errors = load("\n".join(lines) + "\n", "f.md")
    assert time.perf_counter() - started < 1.0
    assert errors == []
    assert doc.data["a9"][0] is doc.data["a8"]  # shared, not copied 9**9 times
    assert len(doc.positions) == 101


@pytest.mark.parametrize(("text", "message"), [
    ("a: [1, 2\nb: 3\n", "f.md:3:2: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"),
    ("a: b: c\n", "f.md:2:5: invalid YAML: mapping values are not allowed in this context"),
    ("a: &x 1\nb: *y\n", "f.md:3:4: invalid YAML: found undefined alias"),
    ("? [a]\n: 1\n", "f.md:2:3: invalid YAML: found unhashable key (while constructing a mapping)"),
])
def test_malformed_yaml_gives_yamls_line(text, message):
    doc, errors = load(text, "f.md", first_line=2)
    assert doc is None
    assert [str(e) for e in errors] == [message]


def test_control_character_error_is_one_line_at_its_line():
    doc, errors = load("title: x\nlocation: a\x00b\n", "f.md", first_line=2)
    assert doc is None
    assert [str(e) for e in errors] == [
        "f.md:3:12: invalid YAML: unacceptable character #x0000: control characters are not allowed"]


@pytest.mark.parametrize("text", ["n: !!int abc\n", "n: !!float abc\n", "b: !!bool maybe\n",
                                  "d: !!timestamp 2025-02-30\n"])
def test_explicit_tags_with_bad_values_are_errors(text):
    doc, errors = load(text, "f.md")
    assert doc is None
    assert len(errors) == 1
    assert errors[0].line == 1


@given(st.text())
def test_arbitrary_text_never_raises(text):
    doc, errors = load(text, "f.md", first_line=2)
    assert all(isinstance(e, BuildError) and e.path == "f.md" for e in errors)
    assert doc is not None or errors


def test_deep_nesting_is_an_error_not_a_crash():
    depth = 999
    text = "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v\n"
    doc, errors = load(text, "f.md")
    assert doc is not None or len(errors) == 1


def test_merge_keys_overridden_by_the_mapping_are_no_duplicates():
    doc, errors = load("base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  a: 3\n", "f.md", first_line=2)
    assert errors == []
    assert doc.data["m"] == {"a": 3, "b": 2}
    _, errors = load("base: &b {a: 1}\nm:\n  <<: *b\n  a: 3\n  a: 4\n", "f.md")
    assert [str(e) for e in errors] == ["f.md:5:3: duplicate key 'a' (first given on line 4)"]


def nested(depth: int) -> str:
    return "x: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"  # the header's mapping is the first level


def test_nesting_deeper_than_the_limit_is_an_error_at_its_line():
    assert load(nested(MAX_DEPTH), "f.md")[1] == []
    doc, errors = load("a: 1\n" + nested(MAX_DEPTH + 1), "f.md", first_line=2)
    assert doc is None
    assert [str(e) for e in errors] == [f"f.md:3:{MAX_DEPTH + 3}: lists and mappings are nested more than 50 levels deep"]


def test_nesting_through_an_alias_counts_where_it_is_used():
    deep = "[" * 40 + "1" + "]" * 40
    assert load(f"a: &d {deep}\nb: [*d]\n", "f.md")[1] == []
    _, errors = load(f"a: &d {deep}\nb: [[[[[[[[[[[*d]]]]]]]]]]]\n", "f.md")
    assert [str(e) for e in errors] == ["f.md:1:4: lists and mappings are nested more than 50 levels deep"]


def test_a_600_deep_value_is_refused_without_recursion():
    doc, errors = load("extra:\n  x: " + "[" * 600 + "]" * 600 + "\n", "f.md", first_line=2)
    assert [str(e) for e in errors] == ["f.md:3:54: lists and mappings are nested more than 50 levels deep"]


@pytest.mark.parametrize("text", ["a: &x [*x]\n", "a: &x {k: [*x]}\n"])
def test_an_alias_inside_itself_is_an_error(text):
    doc, errors = load(text, "f.md")
    assert doc is None
    assert [str(e) for e in errors] == ["f.md:1:4: an alias refers to a list or mapping that contains it"]


def bomb(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


TOO_LARGE = "the header is larger than 65536 characters with its aliases written out (max_header_size in site.yml)"


@pytest.mark.parametrize("levels", [7, 8, 30])
def test_an_alias_bomb_is_measured_never_expanded(levels):
    doc, errors = load(bomb(levels), "f.md", first_line=2, max_size=65536)
    assert doc is None
    assert [str(e) for e in errors] == [f"f.md:6:5: {TOO_LARGE}"]  # a4 is the first larger than the limit


def test_a_header_longer_than_the_limit_is_refused_before_it_is_parsed():
    assert [str(e) for e in load("a: " + "x" * 65536 + "\n", "f.md", first_line=2, max_size=65536)[1]] == [
        f"f.md:2:1: {TOO_LARGE}"]
    assert load("a: " + "x" * 65000 + "\n", "f.md", max_size=65536)[1] == []


def test_forbidden_characters_are_kept_unless_asked_to_clean():
    text = 'a: "x\\x1by"\n'
    assert load(text, "f.md")[0].data == {"a": "x\x1by"}
    doc, problems = load(text, "f.md", clean=True)
    assert doc.data == {"a": "xy"}
    assert [str(p) for p in problems] == [
        "f.md:1:6: warning: a: control character U+001B removed (no page or feed may contain it)"]


def test_a_shared_value_is_cleaned_and_warned_once():
    doc, problems = load('a: &x "\\e"\nb: [*x, *x]\n', "f.md", clean=True)
    assert doc.data == {"a": "", "b": ["", ""]}
    assert len(problems) == 1
