from consultations.provisions import split_provisions
from tests.consultations.factories import DRAFT


def test_the_draft_splits_into_chapters_paragraphs_and_sections():
    provisions = split_provisions(DRAFT)
    assert [(p.chapter, p.paragraph, p.section) for p in provisions] == [
        ("1", "1", ""),
        ("2", "2", "1"),
        ("2", "2", "2"),
        ("2", "3", ""),
    ]
    assert provisions[0].chapter_title == "Postanowienia ogólne"  # title on the line after "Rozdział 1."
    assert provisions[1].chapter_title == "Cel główny i cele szczegółowe"  # title on the same line
    assert provisions[2].text == "Celami szczegółowymi są:\n1) budowanie społeczeństwa obywatelskiego,"


def test_text_without_numbering_is_one_provision():
    provisions = split_provisions("Uchwała w sprawie regulaminu.\nDruga linia.")
    assert len(provisions) == 1 and provisions[0].text == "Uchwała w sprawie regulaminu.\nDruga linia."


def test_markdown_marks_from_pasted_documents_are_dropped_from_titles():
    provisions = split_provisions("## **Rozdział 6.**\n### **Priorytetowe zadania publiczne**\n**§ 6.** Ustala się…")
    assert (provisions[0].chapter, provisions[0].chapter_title, provisions[0].paragraph) == (
        "6",
        "Priorytetowe zadania publiczne",
        "6",
    )
