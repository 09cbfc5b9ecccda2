"""Split a draft act into numbered provisions (rozdział / § / ustęp) that comments can point at."""

import re
from dataclasses import dataclass, field

CHAPTER = re.compile(r"^(?:#+\s*)?\**\s*Rozdział\s+([0-9IVXLC]+[a-z]?)\.?\**\s*(.*)$", re.IGNORECASE)
PARAGRAPH = re.compile(r"^\**\s*§\s*(\d+[a-z]?)\.?\**\s*(.*)$")
SECTION = re.compile(r"^(\d+[a-z]?)\.\s+(.*)$")


def _plain(text: str) -> str:
    """Drop Markdown emphasis and heading marks that drafts pasted from documents carry."""
    return " ".join(re.sub(r"[*#]", "", text).split())


@dataclass
class ProvisionData:
    chapter: str = ""
    chapter_title: str = ""
    paragraph: str = ""
    section: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


def split_provisions(text: str) -> list[ProvisionData]:
    """One provision per ustęp (or per § without ustępy, or per chapter without §§)."""
    provisions: list[ProvisionData] = []
    chapter, chapter_title, paragraph = "", "", ""
    current: ProvisionData | None = None

    def start(section: str = "", first_line: str = "") -> ProvisionData:
        provision = ProvisionData(chapter, chapter_title, paragraph, section, [first_line] if first_line else [])
        provisions.append(provision)
        return provision

    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if match := CHAPTER.match(line):
            chapter, chapter_title, paragraph = match[1], _plain(match[2]), ""
            current = None
            continue
        if match := PARAGRAPH.match(line):
            paragraph = match[1]
            rest = match[2].strip()
            if section_match := SECTION.match(rest):
                current = start(section_match[1], section_match[2])
            else:
                current = start("", rest)
            continue
        if paragraph and (match := SECTION.match(line)):
            current = start(match[1], match[2])
            continue
        if current is None:
            if chapter and not chapter_title:
                # "Rozdział 3." on one line and its title on the next, as drafts are often typed.
                chapter_title = _plain(line)
                continue
            current = start()
        current.lines.append(line)
    return [p for p in provisions if p.text]
