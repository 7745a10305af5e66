"""factory_boy factories of the members app."""

import factory

from tandem.members.models import MemberType, Organization


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    symbol = factory.Sequence(lambda n: "ORG" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))
    name = factory.Sequence(lambda n: f"Consortium {n} (test)")
    member_type = MemberType.CONSORTIUM
    country = "KE"
