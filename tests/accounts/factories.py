import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import AuthorityStaff, User
from programmes.models import Authority

PASSWORD = "Haslo-testowe-2026"


class AuthorityFactory(DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ["slug"]

    name = "Gmina Konstancin-Jeziorna"
    slug = "konstancin-jeziorna"
    kind = Authority.Kind.URBAN_RURAL
    executive_title = Authority.ExecutiveTitle.MAYOR
    council_name = "Rada Miejska w Konstancinie-Jeziornie"
    street = "ul. Piaseczyńska 77"
    postal_code = "05-520"
    city = "Konstancin-Jeziorna"
    email = "ngo@konstancin.example.pl"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"osoba{n}@example.pl")
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Kowalski{n}")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


class AuthorityStaffFactory(DjangoModelFactory):
    class Meta:
        model = AuthorityStaff

    user = factory.SubFactory(UserFactory)
    authority = factory.SubFactory(AuthorityFactory)
