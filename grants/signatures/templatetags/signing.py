from django import template

register = template.Library()


@register.inclusion_tag("signatures/includes/signing_box.html")
def signing_box(kind: str, object_id: int, version=None, upload: bool = False, label: str = "dokumentu"):
    """The issued document's number and checksum (that version, else the latest) and the organisation's signed copy,
    with a link to sign it."""
    # Imported here: the services load pyHanko and aiohttp (0.7 s), and Django imports every tag library the first
    # time any template renders, so a process that only makes a PDF would pay for them.
    from ..services import signing_state

    document, copy = signing_state(kind, object_id, version)
    return {"document": document, "copy": copy, "upload": upload, "label": label}
