"""The seed vocabulary: topics leads offer expertise in or seek help with, and default texts."""

SEED_TOPICS: list[tuple[str, str]] = [
    ("consortium-governance", "Consortium governance"),
    ("fee-models-billing", "Fee models & billing"),
    ("recruiting-onboarding", "Recruiting & onboarding organisations"),
    (
        "fabrica-administration",
        "Fabrica administration (accounts, repositories, prefixes, transfers)",
    ),
    ("doi-registration", "DOI registration workflows"),
    ("metadata-quality", "Metadata schema & quality"),
    ("api-integration", "API & platform integration (DSpace, Dataverse, OJS, Invenio)"),
    ("pid-interoperability", "PID interoperability (ORCID, ROR, funder IDs)"),
    ("helpdesk-support", "First-line helpdesk support"),
    ("training-capacity", "Training & capacity building"),
    ("community-engagement", "Community engagement & outreach"),
    ("pid-advocacy-policy", "PID advocacy & national policy"),
    ("reporting-usage-citations", "Reporting, usage & citations"),
    ("sustainability-funding", "Sustainability & grant funding"),
    ("leadership-project-management", "Leadership & project management"),
    ("multilingual-communication", "Multilingual communication"),
    ("repository-infrastructure", "Repository infrastructure"),
    ("specialised-pids", "Specialised PIDs (samples, software, instruments)"),
]


def ensure_seed_topics(topic_model) -> None:
    """Create the seed topics that are missing (used by the data migration and the demo)."""
    for order, (slug, name) in enumerate(SEED_TOPICS, start=1):
        topic_model.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})


DEFAULT_GUIDELINES = """\
Expectations: partners meet at least once a quarter, prepare for each check-in and log it.
Confidentiality: what your partner shares about their consortium stays between you.
Communication: answer your partner within a week and agree on the channel you both prefer.
Commitment: take part for the whole cohort, including the orientation and the workshops.
Respect: value each other's context, language and time zone.
Flexibility: adapt goals and meeting times as your partnership evolves.
Accountability: tell the program team early if you can no longer take part.
"""
