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
