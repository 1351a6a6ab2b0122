"""`site.yml` read and validated: each setting checked, then what the settings say of each other."""

from __future__ import annotations

from pathlib import Path

from .. import yamlio
from ..errors import BuildError, BuildFailed, fail_on_errors, shown, within
from ..filesystem import TooLarge, not_a_file, read_limited
from . import BRIEF_KEYS, CONFIG_FILE, DEFAULT_TAXONOMIES, KEYS, Config, did_you_mean
from .editions import editions
from .outputs import outputs
from .settings import check


def load_config(source: Path, shown: str, base_url: str | None = None,
                audience: str | None = None) -> tuple[Config, list[BuildError]]:
    """Read `site.yml` in `source` (defaults when absent) and validate it; `base_url` and
    `audience` override it."""
    path = source / CONFIG_FILE
    if not path.exists():
        raw, doc = {}, yamlio.Document({}, {})
    else:
        file = within(shown, CONFIG_FILE)
        if kind := not_a_file(path):  # a named pipe would hang the build
            return Config(), [BuildError(file, 0, 0, f"is {kind}, not a file")]
        try:
            text = read_limited(path).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return Config(), [BuildError(file, 0, 0, f"not valid UTF-8 (byte {exc.start})")]
        except TooLarge as exc:
            return Config(), [BuildError(file, 0, 0, str(exc))]
        doc, errors = yamlio.load(text, file)
        if doc is None or errors:
            return Config(), errors
        raw = doc.data if doc.data is not None else {}
        if not isinstance(raw, dict):
            return Config(), [BuildError(file, 1, 1, "expected a mapping of settings (key: value)")]
    return _validate(raw, doc, file if path.exists() else CONFIG_FILE, {"base_url": base_url, "audience": audience},
                     source)


def load_site_config(source: Path, base_url: str | None = None,
                     audience: str | None = None) -> tuple[Config, list[BuildError]]:
    """The config stage: the validated configuration and its warnings; raises BuildFailed on errors."""
    if not source.is_dir():
        raise BuildFailed([BuildError(shown(source), 0, 0, "site folder not found")])
    config, problems = load_config(source, shown(source), base_url, audience)
    return config, fail_on_errors(problems)


def _validate(raw: dict, doc: yamlio.Document, file: str, overrides: dict, source: Path):
    """Each setting checked, the overrides after them, then `outputs` and what settings say of each other."""
    errors: list[BuildError] = []
    values = {}

    def problem(key, message):
        line, col = doc.where((key,))
        errors.append(BuildError(file, line, col, message))

    for key, value in raw.items():
        if key not in KEYS:
            problem(key, f"unknown setting '{key}'{did_you_mean(str(key), KEYS)}")
            continue
        checked = check(key, value, doc, file, errors)
        if checked is not None:
            values[key] = checked
    for key, value in overrides.items():
        if value is not None:
            checked = check(key, value, yamlio.Document({}, {}), f"--{key.replace('_', '-')}", errors)
            if checked is not None:
                values[key] = checked
    if "outputs" in raw and raw["outputs"] is not None:
        values["outputs"] = outputs(raw["outputs"], doc, file, errors, values, source)
    if "editions" in raw and raw["editions"] is not None:
        names = tuple(t.name for t in values.get("taxonomies", DEFAULT_TAXONOMIES))
        values["editions"] = editions(raw["editions"], doc, file, errors, names)
    config = Config(**values)
    for name in config.extra_keys:
        if name in BRIEF_KEYS or name in config.taxonomy_names:
            line, col = doc.where(("extra_keys",))
            errors.append(BuildError(file, line, col, f"extra_keys: '{name}' is a brief key or a taxonomy, "
                                                      "read as such; leave it out of extra_keys"))
    for name, _terms in config.vocabulary:
        if name not in config.taxonomy_names:
            line, col = doc.where(("vocabulary", name))
            errors.append(BuildError(file, line, col, f"vocabulary: '{name}' is not a taxonomy"
                                     f"{did_you_mean(name, config.taxonomy_names)}"))
    if config.timeline_group and config.timeline_group not in config.taxonomy_names:
        line, col = doc.where(("timeline_group",))
        names = ", ".join(config.taxonomy_names)
        message = f"timeline_group: '{config.timeline_group}' is not a taxonomy; expected one of {names}"
        errors.append(BuildError(file, line, col, message))
    return config, errors
