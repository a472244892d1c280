"""Fill the translation catalogues after `makemessages`.

    cd duban && ../.venv/bin/django-admin makemessages -l zh_Hant -l en \
        --ignore "*/tests/*" --ignore "*/migrations/*"
    cd .. && .venv/bin/python scripts/fill_translations.py
    cd duban && ../.venv/bin/python -m django compilemessages

- zh_Hant: every empty or fuzzy msgstr becomes OpenCC's simplified-to-traditional ("s2t")
  conversion of the msgid. Hand corrections (non-empty, not fuzzy) are kept.
- en: the curated glossary `scripts/en_glossary.json` ({"中文 msgid": "English"}) is the source of
  truth: an entry found there is written (empty, fuzzy or changed msgstr alike); an entry missing
  from it keeps whatever the catalogue has and is reported. Plural msgids take a list
  ["singular", "plural"]; a msgid with a context is keyed "context\\u0004msgid".

Placeholders (%(name)s, {name}, and %s / %% in strings flagged python-format), HTML tags and
entities must survive in every filled string; a string that would lose one is not written and is
reported as a problem.

Options: --check exits 1 when English is missing or a problem was found (the catalogues are still
written unless --dry-run); --dry-run writes nothing; --missing prints a JSON skeleton of the
msgids the glossary lacks, ready to paste into it, and the glossary entries no msgid uses.

Only the standard library and `opencc` are used; the .po files are parsed here, untouched
entries are written back byte for byte, and `msgcat` (gettext, which makemessages needs anyway)
re-wraps the result the way makemessages does when it is available.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCALE_DIR = REPO / "duban" / "locale"
GLOSSARY = Path(__file__).resolve().parent / "en_glossary.json"
DOMAINS = ("django", "djangojs")
# OpenCC's standard Traditional characters (爲, 裏, 啓). "s2tw" / "s2hk" would give the Taiwan /
# Hong Kong glyph standards (為, 裡, 啟), "s2twp" Taiwan vocabulary too (信息 → 資訊).
OPENCC_CONFIG = "s2t"
CONTEXT_SEPARATOR = "\x04"

# --- placeholders -----------------------------------------------------------------------------

PLACEHOLDER_RE = re.compile(
    r"%\([A-Za-z0-9_.]+\)[#0 +\-]*\d*(?:\.\d+)?[sdifrxXeEgGcaou]"  # %(name)s
    r"|\{[A-Za-z_][A-Za-z0-9_.]*(?:![rsa])?(?::[^{}]*)?\}|\{\d*\}"  # {name} {0} {}
    r"|</?[A-Za-z][A-Za-z0-9]*"  # HTML tag names (attribute values may be translated)
    r"|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);"  # entities
)
# Positional %s / %d / %% count only in strings xgettext flagged python-format: elsewhere "10%"
# followed by a word is just a percentage.
POSITIONAL_RE = re.compile(r"%[#0+\-]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%%")


def placeholders(text: str, *, positional: bool = True) -> Counter:
    found = Counter(PLACEHOLDER_RE.findall(text))
    if positional:
        found.update(POSITIONAL_RE.findall(PLACEHOLDER_RE.sub("", text)))
    return found


def placeholder_problem(
    source: str, target: str, *, subset_ok: bool = False, positional: bool = True
) -> str | None:
    """Describe how `target` fails to carry `source`'s placeholders, or None when it does."""
    want, got = placeholders(source, positional=positional), placeholders(target, positional=positional)
    if want == got or (subset_ok and not (got - want)):
        return None
    lost, extra = want - got, got - want
    parts = []
    if lost:
        parts.append("lost " + ", ".join(sorted(lost)))
    if extra:
        parts.append("added " + ", ".join(sorted(extra)))
    return "; ".join(parts)


# --- a small PO reader/writer -----------------------------------------------------------------


def unquote(line: str) -> str:
    """The string value of a PO quoted token, e.g. '"a\\"b"' -> 'a"b'."""
    line = line.strip()
    if not (line.startswith('"') and line.endswith('"')):
        raise ValueError(f"not a PO string: {line!r}")
    body = line[1:-1]
    escapes = {
        "n": "\n",
        "t": "\t",
        "r": "\r",
        '"': '"',
        "\\": "\\",
        "a": "\a",
        "b": "\b",
        "f": "\f",
        "v": "\v",
    }
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def quote(text: str) -> str:
    return (
        '"'
        + text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\n", "\\n")
        + '"'
    )


def po_field(keyword: str, text: str) -> list[str]:
    """`keyword "text"`, split after embedded newlines the way gettext does."""
    pieces = text.split("\n")
    chunks = [p + "\n" for p in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    if len(chunks) <= 1:
        return [f"{keyword} {quote(text)}"]
    return [f'{keyword} ""'] + [quote(c) for c in chunks]


KEYWORD_RE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


@dataclass
class Entry:
    lines: list[str]  # the entry as read, without trailing blank lines
    obsolete: bool = False
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    changed: bool = False

    @property
    def is_header(self) -> bool:
        return not self.obsolete and self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def python_format(self) -> bool:
        return "python-format" in self.flags

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}{CONTEXT_SEPARATOR}{self.msgid}"

    def is_empty(self) -> bool:
        return not self.msgstr or any(not s for s in self.msgstr.values())

    def set_translation(self, forms: list[str]) -> None:
        new = dict(enumerate(forms)) if self.msgid_plural is not None else {0: forms[0]}
        if new != self.msgstr or self.fuzzy:
            self.msgstr = new
            self.flags = [f for f in self.flags if f != "fuzzy"]
            self.changed = True

    def render(self) -> list[str]:
        if not self.changed:
            return self.lines
        out: list[str] = []
        body_start = next(i for i, line in enumerate(self.lines) if KEYWORD_RE.match(line))
        for line in self.lines[:body_start]:
            # Drop the old flags line (rewritten below) and msgmerge's "#| previous msgid" notes.
            if not (line.startswith("#,") or line.startswith("#|")):
                out.append(line)
        if self.flags:
            out.append("#, " + ", ".join(self.flags))
        # msgctxt / msgid / msgid_plural exactly as read; msgstr rebuilt.
        in_msgstr = False
        for line in self.lines[body_start:]:
            match = KEYWORD_RE.match(line)
            if match:
                in_msgstr = match.group(1).startswith("msgstr")
            if not in_msgstr:
                out.append(line)
        if self.msgid_plural is None:
            out.extend(po_field("msgstr", self.msgstr.get(0, "")))
        else:
            for index in sorted(self.msgstr):
                out.extend(po_field(f"msgstr[{index}]", self.msgstr[index]))
        return out


def parse_po(text: str) -> list[Entry]:
    entries: list[Entry] = []
    current: list[str] = []
    seen_msgstr = False

    def flush() -> None:
        nonlocal current, seen_msgstr
        if current:
            entries.append(build_entry(current))
        current, seen_msgstr = [], False

    for line in text.splitlines():
        if not line.strip():
            flush()
            continue
        is_comment = line.startswith("#")
        # A comment after a complete msgstr starts the next entry even without a blank line
        # (makemessages writes the first entry right under the header that way).
        if is_comment and seen_msgstr and not line.startswith("#~"):
            flush()
        current.append(line)
        if line.startswith("msgstr") or line.startswith("#~ msgstr"):
            seen_msgstr = True
    flush()
    return entries


def build_entry(lines: list[str]) -> Entry:
    entry = Entry(lines=list(lines))
    if any(line.startswith("#~") for line in lines) and not any(KEYWORD_RE.match(line) for line in lines):
        entry.obsolete = True
        return entry
    target: tuple[str, int] | None = None
    values: dict[tuple[str, int], list[str]] = {}
    for line in lines:
        if line.startswith("#,"):
            entry.flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith("#"):
            continue
        match = KEYWORD_RE.match(line)
        if match:
            keyword, index, token = match.groups()
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index) if index is not None else 0)
            else:
                target = (keyword, 0)
            values[target] = [unquote(token)]
        elif line.lstrip().startswith('"') and target is not None:
            values[target].append(unquote(line))
        else:
            raise ValueError(f"unexpected line in PO file: {line!r}")
    joined = {k: "".join(v) for k, v in values.items()}
    entry.msgctxt = joined.get(("msgctxt", 0))
    entry.msgid = joined.get(("msgid", 0), "")
    entry.msgid_plural = joined.get(("msgid_plural", 0))
    entry.msgstr = {index: text for (keyword, index), text in joined.items() if keyword == "msgstr"}
    return entry


def render_po(entries: list[Entry]) -> str:
    return "\n\n".join("\n".join(e.render()) for e in entries) + "\n"


def plural_count(header: Entry | None) -> int:
    if header is not None:
        match = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr.get(0, ""))
        if match:
            return int(match.group(1))
    return 2


def fix_header(header: Entry | None, language: str) -> None:
    """Name the language and clear the 'fuzzy' makemessages puts on a new catalogue's header."""
    if header is None:
        return
    text = header.msgstr.get(0, "")
    fixed = re.sub(r"^Language: .*$", f"Language: {language}", text, flags=re.M)
    if fixed != text or header.fuzzy:
        header.msgstr = {0: fixed}
        header.flags = [f for f in header.flags if f != "fuzzy"]
        header.changed = True


# --- filling ----------------------------------------------------------------------------------


@dataclass
class Report:
    filled: int = 0
    missing: list[str] = field(default_factory=list)
    plural_keys: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    total: int = 0


def to_traditional(converter, text: str) -> str:
    converted = converter.convert(text)
    if placeholders(converted) == placeholders(text) and converted.count("%") == text.count("%"):
        return converted
    # Convert only the text between placeholders if a whole-string conversion touched one.
    pieces, last = [], 0
    for match in PLACEHOLDER_RE.finditer(text):
        pieces.append(converter.convert(text[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(converter.convert(text[last:]))
    return "".join(pieces)


def fill_traditional(entries: list[Entry], report: Report, where: str) -> None:
    import opencc  # only this locale needs it

    converter = opencc.OpenCC(OPENCC_CONFIG)
    for entry in entries:
        if entry.obsolete or entry.is_header:
            continue
        report.total += 1
        if not (entry.is_empty() or entry.fuzzy):
            continue
        if entry.msgid_plural is None:
            forms = [to_traditional(converter, entry.msgid)]
            sources = [entry.msgid]
        else:
            # Chinese has one plural form (nplurals=1): it serves every n, so it comes from the
            # plural msgid, the one that carries the count.
            count = max(1, len(entry.msgstr))
            sources = [entry.msgid_plural] * count
            forms = [to_traditional(converter, s) for s in sources]
        positional = entry.python_format
        bad = [
            p
            for s, f in zip(sources, forms, strict=True)
            if (p := placeholder_problem(s, f, positional=positional))
        ]
        if bad:
            report.problems.append(f"{where}: {entry.msgid!r}: {bad[0]}")
            continue
        entry.set_translation(forms)
        report.filled += 1


def fill_english(entries: list[Entry], glossary: dict, nplurals: int, report: Report, where: str) -> None:
    for entry in entries:
        if entry.obsolete or entry.is_header:
            continue
        report.total += 1
        value = glossary.get(entry.key)
        if value in (None, "", []):
            if entry.is_empty() or entry.fuzzy:
                report.missing.append(entry.key)
                if entry.msgid_plural is not None:
                    report.plural_keys.add(entry.key)
            continue
        if entry.msgid_plural is None:
            if not isinstance(value, str):
                report.problems.append(f"{where}: {entry.msgid!r}: glossary needs a string")
                continue
            forms, sources = [value], [entry.msgid]
        else:
            if not (
                isinstance(value, list) and len(value) == nplurals and all(isinstance(v, str) for v in value)
            ):
                report.problems.append(
                    f"{where}: {entry.msgid!r}: glossary needs a list of {nplurals} plural forms"
                )
                continue
            forms = value
            sources = [entry.msgid] + [entry.msgid_plural] * (nplurals - 1)
        # An English singular may spell out the count ("one directive"), so it may drop one.
        bad = [
            p
            for i, (s, f) in enumerate(zip(sources, forms, strict=True))
            if (
                p := placeholder_problem(
                    s, f, subset_ok=entry.msgid_plural is not None and i == 0, positional=entry.python_format
                )
            )
        ]
        if bad:
            report.problems.append(f"{where}: {entry.msgid!r}: {bad[0]}")
            continue
        before = (dict(entry.msgstr), entry.fuzzy)
        entry.set_translation(forms)
        if (entry.msgstr, entry.fuzzy) != before:
            report.filled += 1


def rewrap(path: Path) -> None:
    msgcat = shutil.which("msgcat")
    if msgcat:
        subprocess.run([msgcat, "--output-file", str(path), str(path)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if English is missing or a string is broken"
    )
    parser.add_argument("--dry-run", action="store_true", help="write nothing")
    parser.add_argument(
        "--missing", action="store_true", help="print a JSON skeleton of msgids the glossary lacks"
    )
    args = parser.parse_args(argv)

    glossary = json.loads(GLOSSARY.read_text(encoding="utf-8")) if GLOSSARY.exists() else {}
    status = 0
    all_missing: dict[str, str | list[str]] = {}
    seen_keys: set[str] = set()
    for language in ("zh_Hant", "en"):
        for domain in DOMAINS:
            path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
            if not path.exists():
                continue
            where = str(path.relative_to(REPO))
            text = path.read_text(encoding="utf-8")
            entries = parse_po(text)
            header = next((e for e in entries if e.is_header), None)
            report = Report()
            if language == "zh_Hant":
                fill_traditional(entries, report, where)
            else:
                fill_english(entries, glossary, plural_count(header), report, where)
                seen_keys |= {e.key for e in entries if not e.obsolete and not e.is_header}
                for key in report.missing:
                    all_missing.setdefault(key, ["", ""] if key in report.plural_keys else "")
            fix_header(header, language)
            new_text = render_po(entries)
            if new_text != text and not args.dry_run:
                path.write_text(new_text, encoding="utf-8")
                rewrap(path)
            verb = "would fill" if args.dry_run else "filled"
            line = f"{where}: {report.total} msgids, {verb} {report.filled}"
            if language == "en":
                line += f", {len(report.missing)} still missing English"
            print(line)
            for problem in report.problems:
                print(f"  problem: {problem}", file=sys.stderr)
            if report.problems or (language == "en" and report.missing):
                status = 1
    unused = sorted(set(glossary) - seen_keys) if seen_keys else []
    if unused:
        print(f"{len(unused)} glossary entries match no msgid now (kept for reuse; prune if stale)")
        if args.missing:
            print(json.dumps(unused, ensure_ascii=False, indent=2))
    if all_missing:
        print(
            f"{len(all_missing)} msgids need English in {GLOSSARY.relative_to(REPO)}"
            + ("" if args.missing else " (--missing lists them)")
        )
    if args.missing and all_missing:
        print(json.dumps(all_missing, ensure_ascii=False, indent=2))
    return status if args.check else 0


if __name__ == "__main__":
    sys.exit(main())
