"""Every text a person reads, in Swedish first and English second: one gettext catalogue.

Texts are written in English in the code (and in domain.descriptions), marked with `N_`
where they are defined and translated where they are shown. Swedish comes from
`locale/sv/LC_MESSAGES/vaka.po`, compiled in memory when first used, so no build step is
needed. A text missing from the catalogue shows in English; a test keeps it complete.
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache
from importlib import resources
from io import BytesIO
from typing import Literal

Language = Literal["sv", "en"]
LANGUAGES: tuple[Language, ...] = ("sv", "en")
DEFAULT: Language = "sv"
DOMAIN = "vaka"


def N_(text: str) -> str:
    """Marks a text for the catalogue where it is defined; it is translated where shown."""
    return text


def language(value: object) -> Language:
    return "en" if value == "en" else DEFAULT


@cache
def translations(lang: Language) -> _gettext.NullTranslations:
    if lang == "en":
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = resources.files("vaka.i18n").joinpath(f"locale/{lang}/LC_MESSAGES/{DOMAIN}.po")
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def gettext(lang: Language, text: str) -> str:
    return translations(lang).gettext(text)


def ngettext(lang: Language, singular: str, plural: str, n: int) -> str:
    return translations(lang).ngettext(singular, plural, n)
