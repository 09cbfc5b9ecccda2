"""Read a rendered form back into POST data, as a browser would submit it unchanged."""

import re


def form_data(html: str) -> dict[str, str]:
    data: dict[str, str] = {}
    form = html[html.index('id="oferta"') : html.index("</form>", html.index('id="oferta"'))]
    for match in re.finditer(r"<input[^>]*>", form):
        tag = match.group(0)
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        kind = kind.group(1) if kind else "text"
        value = re.search(r'value="([^"]*)"', tag)
        if kind in ("checkbox", "radio"):
            if "checked" in tag:
                data[name.group(1)] = value.group(1) if value else "on"
        else:
            data[name.group(1)] = value.group(1) if value else ""
    for match in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(2))
        data[match.group(1)] = selected.group(1) if selected else ""
    for match in re.finditer(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[match.group(1)] = match.group(2).strip()
    return data
