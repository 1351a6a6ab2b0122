"""The render stage's Jinja environment: template code compiled once a process, never kept when wrong."""

from __future__ import annotations

import jinja2
import pytest

from briefsite.output import render


@pytest.fixture
def compiles(monkeypatch):
    """The sources Jinja's own compiler is asked to compile, with the process's kept code emptied first."""
    monkeypatch.setattr(render, "_COMPILED", {})
    asked = []
    original = jinja2.Environment.compile

    def compile(self, source, *args, **kwargs):
        asked.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return asked


def environment(folder, autoescape: bool = True) -> render.Environment:
    return render.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=autoescape)


def test_a_template_is_compiled_once_for_every_environment_of_the_process(tmp_path, compiles):
    (tmp_path / "page.html").write_text("<p>{{ name }}</p>")
    for _ in range(3):  # a build makes a new environment: serve's builds, one after another
        assert environment(tmp_path).get_template("page.html").render(name="<b>") == "<p>&lt;b&gt;</p>"
    assert compiles == ["<p>{{ name }}</p>"]


def test_an_edited_template_or_other_settings_compile_anew(tmp_path, compiles):
    (tmp_path / "page.html").write_text("<p>{{ name }}</p>")
    environment(tmp_path).get_template("page.html")
    (tmp_path / "page.html").write_text("<p>{{ name | upper }}</p>")
    assert environment(tmp_path).get_template("page.html").render(name="x") == "<p>X</p>"
    # Autoescape off is other code for the same source: never the code compiled with it on.
    assert environment(tmp_path, autoescape=False).get_template("page.html").render(name="<b>") == "<p><B></p>"
    assert compiles == ["<p>{{ name }}</p>", "<p>{{ name | upper }}</p>", "<p>{{ name | upper }}</p>"]


def test_a_template_that_fails_to_compile_is_not_kept(tmp_path, compiles):
    (tmp_path / "page.html").write_text("<p>{{ name | no_such_filter }}</p>")
    for _ in range(2):
        with pytest.raises(jinja2.TemplateAssertionError, match="No filter named 'no_such_filter'"):
            environment(tmp_path).get_template("page.html")
    assert len(compiles) == 2 and render._COMPILED == {}
    # Once the filter exists (a setting the compiler reads), the same source compiles.
    env = environment(tmp_path)
    env.filters["no_such_filter"] = str.title
    assert env.get_template("page.html").render(name="ann") == "<p>Ann</p>"


def test_the_code_kept_is_bounded(tmp_path, compiles, monkeypatch):
    monkeypatch.setattr(render, "COMPILED_KEPT", 3)
    for number in range(5):
        (tmp_path / "page.html").write_text(f"<p>{number}</p>")
        environment(tmp_path).get_template("page.html")
    assert len(render._COMPILED) == 2  # emptied at the fourth: the fourth and the fifth
    assert len(compiles) == 5
