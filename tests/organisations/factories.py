import factory
import factory.random
from factory.django import DjangoModelFactory

from organisations.demo import bank_account, nip_with_checksum, regon_with_checksum
from organisations.models import LegalForm, Membership, Organisation, PublicTaskArea

_rng = factory.random.randgen


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Stowarzyszenie Testowe nr {n}")
    legal_form = LegalForm.ASSOCIATION
    krs = factory.Sequence(lambda n: f"{5000000 + n:010d}")
    nip = factory.LazyFunction(lambda: nip_with_checksum(_rng))
    regon = factory.LazyFunction(lambda: regon_with_checksum(_rng))
    street = "ul. Lipowa 1"
    postal_code = "15-950"
    city = "Białystok"
    seat_municipality = "Białystok"
    seat_county = "Białystok"
    seat_voivodeship = "podlaskie"
    email = factory.Sequence(lambda n: f"org{n}@example.pl")
    bank_account = factory.LazyFunction(lambda: bank_account(_rng))
    statutory_activity = "Działalność na rzecz dzieci i młodzieży."

    class Params:
        opp = factory.Trait(is_opp=True, opp_since=factory.Faker("date_between", start_date="-10y", end_date="-2y"))
        verified = factory.Trait(verified_at=factory.Faker("past_datetime", tzinfo=__import__("datetime").UTC))

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create:
            codes = extracted if extracted is not None else ["15"]
            self.areas.set(PublicTaskArea.objects.filter(code__in=codes))


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.ADMIN
