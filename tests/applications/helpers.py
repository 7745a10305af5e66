"""Build the POST body of the application form; read a select as a browser submits it."""

import re


def application_post(member_id="KRDC", action="submit", **overrides):
    data = {
        "action": action,
        "member_id": member_id,
        "lead_since_year": "2021",
        "consortium_org_count": "12",
        "repository_count": "20",
        "dois_per_year": "",
        "full_name": "Amina Otieno",
        "email": "amina@example.org",
        "job_title": "Consortium Manager",
        "orcid": "0000-0002-1825-0097",
        "timezone": "Africa/Nairobi",
        "preferred_role": "learning",
        "years_leading": "2",
        "experience_level": "2",
        "goals": "Grow to 30 members.",
        "challenges": "Fee model.",
        "project_idea": "",
        "accepted_guidelines": "on",
        "consent_share_profile": "on",
        "lang-TOTAL_FORMS": "2",
        "lang-INITIAL_FORMS": "0",
        "lang-0-code": "en",
        "lang-0-level": "3",
        "lang-1-code": "sw",
        "lang-1-level": "3",
        "avail-TOTAL_FORMS": "2",
        "avail-INITIAL_FORMS": "0",
        "avail-0-day": "mon",
        "avail-0-start": "09:00",
        "avail-0-end": "12:00",
        "avail-1-day": "thu",
        "avail-1-start": "14:00",
        "avail-1-end": "17:30",
        "topics-challenge__fee-models-billing": "3",
        "topics-expertise__doi-registration": "1",
    }
    data.update({k: v for k, v in overrides.items() if v is not None})
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
    return data


def browser_select_value(html: str, name: str) -> str:
    """The value a browser submits for the ``<select name=name>`` of ``html``: the selected
    option's, else the first option's (what the person sees when nothing is selected)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"( selected)?', select)
    return next((value for value, selected in options if selected), options[0][0])
