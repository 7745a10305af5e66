"""The demo's resource library: about 30 resources in English, Spanish, French and Portuguese,
written for the demo (nothing copied) and generated as real files (PDF, DOCX, ODT, Markdown,
CSV) or links; language variants, several versions, some waiting for review or sent back, and
downloads, useful marks and comments."""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from tandem.cohorts.models import Topic
from tandem.partnerships.models import Partnership
from tandem.resources import services
from tandem.resources.models import Comment, Resource, Status, Useful, Visibility

from . import documents

AGREEMENT = {
    "en": (
        "Partnership agreement template",
        [
            "Partners: the experienced lead and the learning lead, with their consortia.",
            "Goals for the year: up to three, each with a first step and a date.",
            "How we meet: a quarterly check-in of one hour, and a message when we need it.",
            "Confidentiality: what one consortium shares about its members stays between us.",
            "Review: we look at this agreement again after six months.",
        ],
    ),
    "es": (
        "Plantilla de acuerdo de colaboración",
        [
            "Socios: la persona con experiencia y la persona en aprendizaje, con sus consorcios.",
            "Objetivos del año: hasta tres, cada uno con un primer paso y una fecha.",
            "Cómo nos reunimos: una reunión trimestral de una hora y mensajes cuando haga falta.",
            "Confidencialidad: lo que un consorcio comparte sobre sus miembros queda entre nosotros.",  # noqa: E501
            "Revisión: volvemos a mirar este acuerdo a los seis meses.",
        ],
    ),
    "fr": (
        "Modèle d'accord de partenariat",
        [
            "Partenaires : la personne expérimentée et la personne en apprentissage, avec leurs consortiums.",  # noqa: E501
            "Objectifs de l'année : trois au plus, chacun avec une première étape et une date.",
            "Nos rencontres : un point trimestriel d'une heure, et un message au besoin.",
            "Confidentialité : ce qu'un consortium partage sur ses membres reste entre nous.",
            "Révision : nous relisons cet accord après six mois.",
        ],
    ),
    "pt": (
        "Modelo de acordo de parceria",
        [
            "Parceiros: a pessoa experiente e a pessoa em aprendizagem, com os seus consórcios.",
            "Objetivos do ano: até três, cada um com um primeiro passo e uma data.",
            "Como nos encontramos: uma reunião trimestral de uma hora e mensagens quando preciso.",
            "Confidencialidade: o que um consórcio partilha sobre os seus membros fica entre nós.",
            "Revisão: voltamos a este acordo após seis meses.",
        ],
    ),
}

# (title, language, kind, format, topics, paragraphs)
LIBRARY = [
    (
        "Onboarding checklist for new consortium members",
        "en",
        "template",
        "docx",
        ["recruiting-onboarding"],
        [
            "Before the contract: who signs, which fee tier, which repositories.",
            "First week: Fabrica accounts, a test prefix, the DOI registration workflow explained.",
            "First month: the first DOIs registered, metadata checked, a call to answer questions.",
        ],
    ),
    ("Fee model calculator", "en", "template", "csv", ["fee-models-billing"], None),
    (
        "Five fee models compared",
        "en",
        "best_practice",
        "pdf",
        ["fee-models-billing", "sustainability-funding"],
        [
            "Flat fee per member: simple to explain, unfair to the smallest members.",
            "Tiers by DOIs registered: follows use, needs a yearly count.",
            "Tiers by organisation size or budget: stable, needs self-declaration.",
            "Cost recovery plus a reserve: transparent, needs a budget the members see.",
            "Subsidised by a national funder: free for members, depends on one grant.",
        ],
    ),
    (
        "Metadata quality review guide",
        "en",
        "guide",
        "md",
        ["metadata-quality"],
        [
            "Start with the required properties: creators, titles, publisher, publication year.",
            "Then the recommended ones: subjects, contributors, related identifiers, descriptions.",
            "Check affiliations against ROR and people against ORCID; fix the source, not the copy.",  # noqa: E501
            "Report back to each member with three concrete improvements, not a score.",
        ],
    ),
    (
        "Guía de calidad de metadatos",
        "es",
        "guide",
        "odt",
        ["metadata-quality"],
        [
            "Empiece por las propiedades obligatorias: autores, títulos, editor, año de publicación.",  # noqa: E501
            "Después las recomendadas: materias, colaboradores, identificadores relacionados.",
            "Compruebe las afiliaciones con ROR y las personas con ORCID.",
        ],
    ),
    (
        "Helpdesk answers: the ten questions members ask first",
        "en",
        "best_practice",
        "md",
        ["helpdesk-support"],
        [
            "Why is my DOI not resolving yet? Registration takes minutes; the handle may be cached.",  # noqa: E501
            "Can I change a DOI? No: change its URL and metadata, never the identifier.",
            "What is a draft DOI? A reserved identifier that is not yet registered or findable.",
        ],
    ),
    (
        "Orientation session slides",
        "en",
        "slides",
        "pdf",
        ["training-capacity"],
        [
            "Welcome to the Consortia Partnership Program.",
            "How pairs were matched: expertise, goals, time zones and languages.",
            "What we expect: quarterly check-ins, respect, confidentiality, flexibility.",
        ],
    ),
    (
        "Recording: consortium fee models workshop",
        "en",
        "recording",
        "link",
        ["fee-models-billing"],
        None,
    ),
    (
        "Annual report template for consortium members",
        "en",
        "template",
        "docx",
        ["reporting-usage-citations"],
        [
            "Summary: DOIs registered this year, by member and resource type.",
            "Highlights: three stories of research made findable.",
            "Usage and citations: what the event data show, and their limits.",
        ],
    ),
    (
        "Plan de incorporación de nuevos miembros",
        "es",
        "template",
        "docx",
        ["recruiting-onboarding"],
        [
            "Antes del contrato: quién firma, qué cuota, qué repositorios.",
            "Primera semana: cuentas de Fabrica, un prefijo de prueba, el flujo de registro de DOI.",  # noqa: E501
        ],
    ),
    (
        "Guide de sensibilisation aux identifiants pérennes",
        "fr",
        "guide",
        "pdf",
        ["pid-advocacy-policy"],
        [
            "Pourquoi des identifiants pérennes : citer, relier, mesurer.",
            "À qui parler : bibliothèques, services de la recherche, financeurs.",
            "Trois arguments qui convainquent une direction d'établissement.",
        ],
    ),
    (
        "Roteiro de integração com DSpace",
        "pt",
        "guide",
        "md",
        ["api-integration", "repository-infrastructure"],
        [
            "Configure o prefixo e as credenciais da Fabrica no DSpace.",
            "Teste primeiro no ambiente de teste da DataCite.",
            "Verifique os metadados obrigatórios antes de registar os DOI.",
        ],
    ),
    (
        "Community call agenda template",
        "en",
        "template",
        "odt",
        ["community-engagement"],
        [
            "Welcome and introductions (5 minutes).",
            "One member shows their work (15 minutes).",
            "Open questions and next steps (10 minutes).",
        ],
    ),
    (
        "Grant proposal outline for national PID infrastructure",
        "en",
        "template",
        "docx",
        ["sustainability-funding", "pid-advocacy-policy"],
        [
            "Problem: research outputs that cannot be found, cited or counted.",
            "Solution: a national consortium with shared services and training.",
            "Budget: staff, membership fees, training, evaluation.",
        ],
    ),
    (
        "ORCID and ROR in DataCite metadata: a practical guide",
        "en",
        "guide",
        "pdf",
        ["pid-interoperability"],
        [
            "Put the ORCID iD in nameIdentifier with its scheme URI.",
            "Put the ROR ID in affiliationIdentifier; keep the name as the member wrote it.",
        ],
    ),
    (
        "Training plan for repository managers",
        "en",
        "best_practice",
        "md",
        ["training-capacity"],
        [
            "Session 1: what a DOI is and is not.",
            "Session 2: metadata that helps discovery.",
            "Session 3: reports and usage.",
        ],
    ),
    (
        "Modèle de compte rendu de point trimestriel",
        "fr",
        "template",
        "odt",
        ["leadership-project-management"],
        [
            "Date et participants.",
            "Progrès sur les objectifs.",
            "Difficultés et prochaines étapes.",
        ],
    ),
    (
        "Cronograma de projeto colaborativo",
        "pt",
        "template",
        "csv",
        ["leadership-project-management"],
        None,
    ),
    (
        "Sample and instrument PIDs: when to use which",
        "en",
        "guide",
        "pdf",
        ["specialised-pids"],
        [
            "IGSN IDs for physical samples are DataCite DOIs with resource type PhysicalObject.",
            "Instruments get DOIs with the PIDINST schema mapping.",
        ],
    ),
    (
        "Multilingual newsletter template",
        "en",
        "template",
        "md",
        ["multilingual-communication"],
        [
            "Write the short version first, then translate it; link to the long version.",
            "Keep names, identifiers and dates the same in every language.",
        ],
    ),
    (
        "Lista de verificación de gobernanza del consorcio",
        "es",
        "best_practice",
        "pdf",
        ["consortium-governance"],
        [
            "Un comité con representantes de los miembros.",
            "Reglas de voto escritas.",
            "Un informe anual público.",
        ],
    ),
]


def _file(fmt: str, title: str, paragraphs, rng: random.Random) -> SimpleUploadedFile:
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:60]
    if fmt == "csv":
        rows = [["member", "dois_last_year", "tier", "fee_eur"]] + [
            [f"Member {i}", str(n), "A" if n < 500 else "B", "1200" if n < 500 else "2400"]
            for i, n in enumerate(rng.sample(range(20, 2000), 12), start=1)
        ]
        return SimpleUploadedFile(f"{slug}.csv", documents.csv(rows))
    make = {
        "pdf": documents.pdf,
        "docx": documents.docx,
        "odt": documents.odt,
        "md": documents.markdown,
    }[fmt]
    return SimpleUploadedFile(f"{slug}.{fmt}", make(title, list(paragraphs)))


def seed_library(
    *, cohort, coordinator, participant, others, since: dt.datetime, now: dt.datetime, rng
) -> list[Resource]:
    """Fill the library; ``participant`` is the demo participant, ``others`` more leads of
    ``cohort``. Resources are dated between ``since`` and ``now``."""
    topics = {t.slug: t for t in Topic.objects.all()}
    made: list[Resource] = []
    people = [coordinator, participant, *others]
    for i, (title, language, kind, fmt, topic_slugs, paragraphs) in enumerate(LIBRARY):
        owner = people[i % len(people)]
        visibility = [
            Visibility.PARTICIPANTS,
            Visibility.PUBLIC,
            Visibility.COHORT,
        ][i % 3]
        common = dict(
            title=title,
            kind=kind,
            visibility=visibility,
            cohort=cohort,
            language=language,
            topics=[topics[s] for s in topic_slugs if s in topics],
            description=(paragraphs or [title])[0],
        )
        if fmt == "link":
            resource = services.share(owner, url="https://example.org/recordings/fees", **common)
        else:
            resource = services.share(owner, file=_file(fmt, title, paragraphs, rng), **common)
        made.append(resource)
    # The agreement in four languages (variants of one resource), shared by the coordinator.
    first = None
    for language, (title, paragraphs) in AGREEMENT.items():
        variant = services.share(
            coordinator,
            title=title,
            file=_file("docx", title, paragraphs, rng),
            kind="template",
            visibility=Visibility.PARTICIPANTS,
            language=language,
            topics=[topics["leadership-project-management"]],
            description=paragraphs[0],
            variant_of=first,
            featured=language == "en",
        )
        first = first or variant
        made.append(variant)
    # New versions with what changed.
    services.add_version(
        coordinator,
        first,
        file=_file("docx", AGREEMENT["en"][0], [*AGREEMENT["en"][1], "Signatures and date."], rng),
        change_note="Added a line for signatures.",
    )
    calculator = made[1]
    services.add_version(
        coordinator,
        calculator,
        file=_file("csv", "Fee model calculator", None, rng),
        change_note="Fees for 2026; tier B starts at 500 DOIs.",
    )
    # The demo participant's own: one for their pair, one waiting for review, one sent back.
    pair = (
        Partnership.objects.filter(status=Partnership.Status.PUBLISHED, cohort=cohort)
        .filter(Q(experienced__applicant=participant) | Q(learning__applicant=participant))
        .first()
    )
    if pair is not None:
        made.append(
            services.share(
                participant,
                title="Our check-in notes",
                file=_file("md", "Our check-in notes", ["Next: draft the fee table."], rng),
                kind="other",
                visibility=Visibility.PAIR,
                partnership=pair,
                language="en",
            )
        )
    pending = services.share(
        participant,
        title="Outreach e-mail to universities",
        file=_file(
            "md",
            "Outreach e-mail to universities",
            ["Dear colleague, your repository could mint DOIs through our consortium."],
            rng,
        ),
        kind="template",
        visibility=Visibility.PARTICIPANTS,
        language="en",
        topics=[topics["community-engagement"]],
    )
    sent_back = services.share(
        others[0],
        title="Tabla de cuotas 2026",
        file=_file("csv", "Tabla de cuotas", None, rng),
        kind="template",
        visibility=Visibility.COHORT,
        cohort=cohort,
        language="es",
    )
    Resource.objects.filter(pk=sent_back.pk).update(
        status=Status.CHANGES,
        review_note="Please add the currency and the year of the fees.",
        reviewed_by=coordinator,
        reviewed_at=now - dt.timedelta(days=2),
    )
    made += [pending, sent_back]
    # What a participant's resource for the cohort or wider waits for: approved here (a few
    # left pending in the queue for the demo coordinator).
    waiting = [r for r in made if r.status == Status.PENDING and r.pk != pending.pk]
    for resource in waiting[2:]:
        Resource.objects.filter(pk=resource.pk).update(
            status=Status.PUBLISHED, reviewed_by=coordinator, reviewed_at=now - dt.timedelta(days=3)
        )
    # Dates, downloads, usefulness and comments.
    span = max((now - since).total_seconds(), 3600)
    readers = [participant, *others]
    for n, resource in enumerate(made):
        created = since + dt.timedelta(seconds=span * (n + 1) / (len(made) + 2))
        Resource.objects.filter(pk=resource.pk).update(
            created_at=created, updated_at=created, download_count=rng.randint(0, 90)
        )
        resource.versions.update(created_at=created)
        for reader in rng.sample(readers, rng.randint(0, min(6, len(readers)))):
            Useful.objects.get_or_create(resource=resource, user=reader)
        Resource.objects.filter(pk=resource.pk).update(useful_count=resource.useful_marks.count())
    Comment.objects.create(
        resource=first, author=others[1], body="We used this in our first call. Very clear."
    )
    Comment.objects.create(
        resource=calculator, author=participant, body="Tier B at 500 DOIs fits us well."
    )
    latest = first.versions.order_by("-number").first()
    first.versions.filter(pk=latest.pk).update(created_at=now - dt.timedelta(days=1))
    return made
