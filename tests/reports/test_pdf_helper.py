import pytest

from reports.pdf import PDF_BASE_URL, StaticOnlyFetcher


def test_the_fetcher_serves_the_projects_static_files():
    response = StaticOnlyFetcher().fetch(f"{PDF_BASE_URL}static/css/pdf.css")
    assert b"Strona" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "http://169.254.169.254/latest/meta-data/",
        f"{PDF_BASE_URL}static/../../config/settings/base.py",
        f"{PDF_BASE_URL}media/private/statut.pdf",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_data_urls_still_work():
    assert StaticOnlyFetcher().fetch("data:text/plain,Zażółć").read().decode() == "Zażółć"


def test_layout_runs_with_the_cyclic_collector_paused_and_gives_it_back(monkeypatch):
    import gc

    from reports import pdf

    seen = []

    class Layout:
        def __init__(self, **kwargs):
            pass

        def write_pdf(self):
            seen.append(gc.isenabled())
            return b"%PDF"

    monkeypatch.setattr(pdf, "HTML", Layout)
    assert gc.isenabled()
    assert pdf.pdf_from_html("<p>Zażółć</p>") == b"%PDF"
    assert seen == [False] and gc.isenabled()


def test_the_collector_comes_back_when_the_last_of_overlapping_layouts_ends_or_fails():
    import gc

    from reports.pdf import collector_paused

    first, second = collector_paused(), collector_paused()  # two threads' layouts overlapping
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second layout is still running
    second.__exit__(None, None, None)
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("layout stopped")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # paused by someone else before: left as it was
    finally:
        gc.enable()
