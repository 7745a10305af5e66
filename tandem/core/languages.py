"""ISO 639-1 languages (two-letter codes) from pycountry."""

from functools import lru_cache

import pycountry

PROFICIENCY = {1: "Basic", 2: "Working", 3: "Fluent / native"}


@lru_cache(maxsize=1)
def language_names() -> dict[str, str]:
    return {
        lang.alpha_2: lang.name.replace(" (macrolanguage)", "")
        for lang in pycountry.languages
        if getattr(lang, "alpha_2", None)
    }


def language_choices() -> list[tuple[str, str]]:
    return sorted(language_names().items(), key=lambda item: item[1])


def language_name(code: str) -> str:
    return language_names().get(code, code)
