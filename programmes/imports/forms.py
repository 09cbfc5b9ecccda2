from django import forms

from .files import MAX_BYTES


class ImportForm(forms.Form):
    authority = forms.ModelChoiceField(queryset=None, label="Organ (jednostka samorządu)", empty_label=None)
    file = forms.FileField(
        label="Plik CSV lub XLSX",
        help_text="Pierwszy wiersz: nagłówki jak we wzorze (kolejność dowolna). Najwyżej 2 MB i 5000 wierszy.",
    )

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        if len(authorities) == 1:
            self.fields["authority"].widget = forms.HiddenInput()
            self.fields["authority"].initial = authorities[0].pk

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("Plik jest za duży (najwyżej 2 MB).")
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError("Wczytaj plik CSV albo XLSX (np. wzór pobrany z tej strony).")
        return upload
