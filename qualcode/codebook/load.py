"""Codebook files: load and validate YAML (or a REFI-QDA ``.qdc``), save YAML, and the
codebooks bundled with the package.

A codebook file looks like this (``codebooks/README.md`` has the long version)::

    name: Supervision and support of link workers
    version: "1.0"
    codes:
      - id: isolation              # required; lowercase letters, digits, _ and -
        name: Isolation            # optional; made from the id when left out
        definition: >-             # required; what the code captures
          The worker's own sense of working alone ...
        include: ...               # optional; when to apply it
        exclude: ...               # optional; when not to (near misses)
        examples:                  # required, at least 3 excerpts that get the code
          - I'm the only one in the building who does what I do.
        counterexamples:           # optional; near misses that must NOT get the code
          - A lot of my clients are lonely and isolated.
        keywords: [isolat*, on my own, <bounce> ideas off]   # optional cues, syntax below
        parent: null               # optional; id of the parent code
        colour: "#1f77b4"          # optional; quote it, '#' starts a YAML comment

Keywords are case-insensitive phrases matched on whole words, with two extras: ``word*``
matches any ending (at least three letters before the ``*``), and ``<word>`` matches any
inflection of the lemma ``word`` (coders without a lemmatiser treat it like ``word*``, so list
irregular forms such as ``felt`` separately). See :func:`~qualcode.codebook.rules.keyword_regex`.

:func:`load_codebook` collects every problem in the file and raises one
:class:`~qualcode.errors.CodebookError` listing them all, each with file, line and field; a
codebook with any problem is never returned.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import yaml

from qualcode.codebook.qdc import read_qdc_with_lines
from qualcode.codebook.rules import (ID_PATTERN, Entry, check_codes, did_you_mean, problem,
                                     raise_if_any, setting_term_key)
from qualcode.errors import CodebookError
from qualcode.model import Code, Codebook

__all__ = ["bundled_codebooks", "load_codebook", "resolve_codebook", "save_codebook_yaml"]

TOP_FIELDS = ("name", "version", "subject", "setting_terms", "codes")
SUBJECTS = ("any", "speaker")  # whose experience the codes describe (Codebook.subject)
LIST_FIELDS = ("examples", "counterexamples", "keywords")
CODE_FIELDS = ("id", "name", "definition", "include", "exclude", "examples", "counterexamples",
               "keywords", "parent", "colour")
_NULL = "tag:yaml.org,2002:null"
_QDC_NOTE = ("\n(In a .qdc, fields other than the definition are labelled lines in each code's "
             "Description, e.g. 'Example: ...'; or convert it with save_codebook_yaml and fix "
             "the YAML. Lines are where each <Code> start tag ends.)")


def bundled_codebooks() -> dict[str, Path]:
    """The codebooks that ship inside the package, by name (the file name without ``.yaml``),
    so an installed qualcode has them wherever it runs: ``--codebook supervision``."""
    folder = files("qualcode.codebook") / "bundled"
    return {Path(entry.name).stem: Path(str(entry)) for entry in sorted(
        folder.iterdir(), key=lambda entry: entry.name) if entry.name.endswith(".yaml")}


def resolve_codebook(name_or_path: str | Path) -> Path:
    """The codebook file meant: a path (anything with a folder or a suffix, or an existing
    file), or else the name of a bundled codebook."""
    path = Path(name_or_path)
    if path.is_file() or path.suffix or len(path.parts) > 1:
        return path  # a missing file is reported by the reader, with the fix
    bundled = bundled_codebooks()
    if str(name_or_path) in bundled:
        return bundled[str(name_or_path)]
    names = ", ".join(bundled) or "none"
    raise CodebookError(f"{name_or_path}: no such codebook file, nor a bundled codebook of that "
                        f"name (bundled: {names}; list them with qualcode codebooks); give the "
                        "path of a YAML or .qdc codebook")


def load_codebook(name_or_path: str | Path) -> Codebook:
    """Load and validate a codebook: YAML, or a REFI-QDA ``.qdc`` (checked the same way), from
    a path or by the name of a bundled codebook (:func:`bundled_codebooks`).

    >>> load_codebook("supervision").ids
    ('isolation', 'boundaries', 'burnout', 'validation')
    """
    path = resolve_codebook(name_or_path)
    if path.suffix.lower() == ".qdc":
        codebook, lines = read_qdc_with_lines(path)
        entries = [Entry(i, code, lines[code.id]) for i, code in enumerate(codebook.codes, 1)]
        raise_if_any(path, check_codes(entries, path), _QDC_NOTE)
        return codebook
    reader = _YamlReader(path)
    codebook = reader.read(_compose(path))
    raise_if_any(path, reader.problems + check_codes(reader.entries, path))
    return codebook


def save_codebook_yaml(codebook: Codebook, path: str | Path) -> None:
    """Write ``codebook`` in the YAML format :func:`load_codebook` reads.

    Empty optional fields are left out; ``examples`` is always written (even empty, as for a
    codebook imported from another tool) to show where the examples go.
    """
    codes = []
    for code in codebook.codes:
        entry: dict[str, object] = {"id": code.id, "name": code.name,
                                    "definition": _Prose(code.definition)}
        entry.update({k: _Prose(getattr(code, k)) for k in ("include", "exclude")
                      if getattr(code, k)})
        entry["examples"] = list(code.examples)
        if code.counterexamples:
            entry["counterexamples"] = list(code.counterexamples)
        if code.keywords:
            entry["keywords"] = _FlowList(code.keywords)
        entry.update({k: getattr(code, k) for k in ("parent", "colour") if getattr(code, k)})
        codes.append(entry)
    document: dict[str, object] = {"name": codebook.name, "version": codebook.version}
    if codebook.subject != "any":
        document["subject"] = codebook.subject
    if codebook.setting_terms:
        document["setting_terms"] = {word: _FlowList(terms) for word, terms in codebook.setting_terms}
    document["codes"] = codes
    text = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)
    # A blank line between codes, as a person would write it.
    text = re.sub(r"(?<!codes:)\n(  - id: )", r"\n\n\1", text)
    header = "# qualcode codebook: format in codebooks/README.md\n"
    Path(path).write_text(header + text, encoding="utf-8", newline="\n")


def _compose(path: Path) -> yaml.Node | None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise CodebookError(f"{path}: cannot read the codebook ({error.strerror}); check the "
                            "path") from None
    except UnicodeDecodeError as error:
        raise CodebookError(f"{path}: byte {error.start} is not UTF-8; save the codebook as "
                            "UTF-8 text") from None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        hint = ("indent with spaces, not tabs" if "\\t" in str(error.problem) else
                "check the indentation, and quote text that contains ': ' or starts with "
                "'#', '[', '{', '*' or '&'")
        raise CodebookError(f"{path}{line}: not valid YAML ({error.problem}); {hint}") from None
    except yaml.YAMLError as error:  # e.g. a control character: no line to point at
        raise CodebookError(f"{path}: not valid YAML ({type(error).__name__}); save it as plain "
                            "UTF-8 text") from None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _kind(node: yaml.Node) -> str:
    return {yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list"}.get(type(node), "text")


class _YamlReader:
    """Turns the YAML node tree into a Codebook, noting type problems with their lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[tuple[int, str]] = []
        self.entries: list[Entry] = []

    def report(self, line: int, where: str, message: str) -> None:
        self.problems.append(problem(self.path, line, where, message))

    def read(self, root: yaml.Node | None) -> Codebook:
        if root is None:
            self.report(1, "the file", "is empty; write name, version and a list of codes")
        elif not isinstance(root, yaml.MappingNode):
            self.report(_line(root), "the top level", f"is {_kind(root)}, not a mapping; start "
                         "the file with 'name:', 'version:' and 'codes:' (codes go under codes:)")
        if not isinstance(root, yaml.MappingNode):
            return Codebook(codes=())
        items = self.mapping(root, "the top level", TOP_FIELDS)
        name = self.text(items["name"][1] if "name" in items else None, "field 'name'")
        version = self.text(items["version"][1] if "version" in items else None,
                            "field 'version'")
        subject = self.text(items["subject"][1] if "subject" in items else None,
                            "field 'subject'") or "any"
        if subject not in SUBJECTS:
            self.report(_line(items["subject"][0]), "field 'subject'", f"is {subject!r}; write "
                         "'speaker' when the codes describe the speaker's own experience, or "
                         "'any' (the default)")
            subject = "any"
        setting_terms = self.setting_terms(items["setting_terms"][1]) if "setting_terms" in items \
            else ()
        codes = items.get("codes")
        if codes is None or codes[1].tag == _NULL:
            self.report(_line(codes[0]) if codes else 1, "field 'codes'", "is missing or empty; "
                         "add 'codes:' followed by one '- id: ...' entry per code")
        elif not isinstance(codes[1], yaml.SequenceNode) or not codes[1].value:
            self.report(_line(codes[0]), "field 'codes'", "must be a list with one '- id: ...' "
                         f"entry per code, not {_kind(codes[1])}")
        else:
            for index, node in enumerate(codes[1].value, 1):
                self.code(node, index)
        return Codebook(codes=tuple(e.code for e in self.entries), version=version or "1",
                        name=name or "", subject=subject, setting_terms=setting_terms)

    def setting_terms(self, node: yaml.Node) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """``generic word: [term, ...]`` pairs; a term may be listed once only."""
        where = "field 'setting_terms'"
        if node.tag == _NULL:
            return ()
        if not isinstance(node, yaml.MappingNode):
            self.report(_line(node), where, f"must be a mapping of a generic word to its terms, "
                         f"not {_kind(node)}; e.g. 'worker: [link worker, care coordinator]'")
            return ()
        groups, first_line = [], {}
        for key_node, value_node in node.value:
            word = str(key_node.value).strip() if isinstance(key_node, yaml.ScalarNode) else ""
            if any(word == seen for seen, _ in groups):
                self.report(_line(key_node), f"{where}, word {word!r}", "appears twice; list all "
                             "its terms under one")
                continue
            if not word:
                self.report(_line(key_node), where, "has an empty generic word; write the word "
                             "the terms should read as, e.g. 'worker:'")
                continue
            terms = self.texts(value_node, f"{where}, word {word!r}")
            for term in terms:
                key = setting_term_key(term)
                if key in first_line:
                    self.report(_line(value_node), f"{where}, word {word!r}", f"lists {term!r}, "
                                 f"already listed on line {first_line[key]}; keep one")
                first_line.setdefault(key, _line(value_node))
            groups.append((word, terms))
        return tuple(groups)

    def code(self, node: yaml.Node, index: int) -> None:
        if not isinstance(node, yaml.MappingNode):
            self.report(_line(node), f"code #{index}", f"is {_kind(node)}; write each code as "
                         "fields under its '- ', e.g. '- id: isolation' then 'name: Isolation'")
            return
        id_item = self.mapping(node, f"code #{index}", ()).get("id")
        code_id = id_item[1].value.strip() if id_item and isinstance(id_item[1], yaml.ScalarNode) \
            else ""
        where = f"code {code_id!r}" if ID_PATTERN.match(code_id) else f"code #{index}"
        items = self.mapping(node, where, CODE_FIELDS)
        values: dict[str, object] = {}
        reported: set[str] = set()
        for name in CODE_FIELDS:
            before = len(self.problems)
            value_node = items[name][1] if name in items else None
            reader = self.texts if name in LIST_FIELDS else self.text
            values[name] = reader(value_node, f"{where}, field '{name}'")
            if len(self.problems) > before:
                reported.add(name)
        if "colour" in items and values["colour"] is None and "colour" not in reported:
            reported.add("colour")
            self.report(_line(items["colour"][0]), f"{where}, field 'colour'", "is empty; '#' "
                         "starts a YAML comment, so quote the colour: colour: \"#1f77b4\"")
        code = Code(id=str(values["id"] or ""),
                    name=str(values["name"] or _name_from_id(str(values["id"] or ""))),
                    definition=str(values["definition"] or ""),
                    include=str(values["include"] or ""), exclude=str(values["exclude"] or ""),
                    examples=values["examples"], counterexamples=values["counterexamples"],
                    keywords=values["keywords"], parent=values["parent"],
                    colour=values["colour"])
        field_lines = {name: _line(key) for name, (key, _) in items.items()}
        self.entries.append(Entry(index, code, _line(node), field_lines, frozenset(reported)))

    def mapping(self, node: yaml.MappingNode, where: str,
                known: tuple[str, ...]) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Key -> (key node, value node); reports duplicate and (if ``known``) unknown keys."""
        items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            if not known:
                items.setdefault(key, (key_node, value_node))
                continue
            if key in items:
                self.report(_line(key_node), f"{where}, field {key!r}", "appears twice (first "
                             f"on line {_line(items[key][0])}); keep one")
            elif key not in known:
                self.report(_line(key_node), f"{where}, field {key!r}", "is not a known field"
                             f"{did_you_mean(key, known)} (known: {', '.join(known)})")
            else:
                items[key] = (key_node, value_node)
        return items

    def text(self, node: yaml.Node | None, where: str) -> str | None:
        # The raw scalar text, not YAML's typed value: 'no', 'on' and '1.10' stay as written.
        if node is None or node.tag == _NULL:
            return None
        if isinstance(node, yaml.ScalarNode):
            return node.value.strip()
        self.report(_line(node), where, f"must be text, not {_kind(node)}")
        return None

    def texts(self, node: yaml.Node | None, where: str) -> tuple[str, ...]:
        if node is None or node.tag == _NULL:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.report(_line(node), where, f"must be a list of texts, not {_kind(node)}; put "
                         "each item on its own line starting with '- '")
            return ()
        items = []
        for number, item in enumerate(node.value, 1):
            if isinstance(item, yaml.ScalarNode) and item.tag != _NULL and item.value.strip():
                items.append(item.value.strip())
            elif isinstance(item, yaml.ScalarNode):
                self.report(_line(item), where, f"item {number} is empty; remove it or fill it in")
            else:
                self.report(_line(item), where, f"item {number} is {_kind(item)}, not text; put "
                             "it in quotes (text containing ': ' reads as a mapping)")
        return tuple(items)


def _name_from_id(code_id: str) -> str:
    return re.sub(r"[_-]+", " ", code_id).strip().capitalize()


class _Prose(str):
    """Guidance text, written folded over several lines so it reads (and diffs) well."""


class _FlowList(list):
    """A short list (keywords) written on one line: [isolat*, on my own]."""


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, multi-line text as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def write_folded(self, text: str) -> None:
        # Fold prose at a readable width; everything else stays on one line (width 4096).
        saved, self.best_width = self.best_width, 92
        try:
            super().write_folded(text)
        finally:
            self.best_width = saved


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_prose(dumper: yaml.SafeDumper, value: _Prose) -> yaml.Node:
    style = "|" if "\n" in value else ">" if len(value) > 60 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Prose, _represent_prose)


def _represent_flow_list(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(_FlowList, _represent_flow_list)
