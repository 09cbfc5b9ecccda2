from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError


def _mb(limit: int) -> str:
    return f"{limit / (1024 * 1024):.0f} MB"


def read_upload(upload, *, field_label: str) -> bytes:
    limit = settings.SIGNED_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(f"{field_label}: plik jest za duży (najwięcej {_mb(limit)}).")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"{field_label}: plik jest za duży (najwięcej {_mb(limit)}).")
    return data


class VerifyForm(forms.Form):
    pdf = forms.FileField(
        label="Plik PDF do sprawdzenia",
        required=False,
        help_text="Dokument pobrany z portalu (potwierdzenie, oferta, umowa, protokół, wyniki, sprawozdanie).",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    number = forms.CharField(
        label="albo numer dokumentu",
        required=False,
        max_length=30,
        help_text="Wydrukowany na dole każdej strony, np. DOK-2026-000123.",
    )
    checksum = forms.CharField(
        label="i jego suma kontrolna SHA-256",
        required=False,
        max_length=64,
        help_text="64 znaki podane przy pobieraniu dokumentu.",
    )

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if not upload:
            return None
        data = read_upload(upload, field_label="Plik")
        if not data.lstrip().startswith(b"%PDF-"):
            raise ValidationError("To nie jest plik PDF.")
        return data

    def clean_checksum(self):
        value = self.cleaned_data.get("checksum", "").strip().lower()
        if value and (len(value) != 64 or any(c not in "0123456789abcdef" for c in value)):
            raise ValidationError("Suma kontrolna SHA-256 ma 64 znaki: cyfry 0–9 i litery a–f.")
        return value

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not data.get("pdf") and not data.get("number"):
            raise ValidationError("Wybierz plik PDF albo podaj numer dokumentu i sumę kontrolną.")
        if not data.get("pdf") and not data.get("checksum"):
            self.add_error("checksum", "Podaj sumę kontrolną dokumentu (albo wybierz plik PDF).")
        return data


class SignedCopyForm(forms.Form):
    signature = forms.FileField(
        label="Podpisany dokument",
        help_text="Podpisany PDF (PAdES), plik .xml z podpisem XAdES albo plik .p7s z podpisem CAdES.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.xml,.p7s,.xades,.sig"}),
    )
    content = forms.FileField(
        label="Dokument PDF, którego dotyczy podpis (tylko przy podpisie zewnętrznym .xml lub .p7s)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_signature(self):
        return read_upload(self.cleaned_data["signature"], field_label="Podpisany dokument")

    def clean_content(self):
        upload = self.cleaned_data.get("content")
        return read_upload(upload, field_label="Dokument PDF") if upload else None
