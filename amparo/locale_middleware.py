"""Spanish unless the person chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language; amparo's users share
office computers and phones set up in any language, and the program works in Spanish
first, so only an explicit choice (the language cookie set by the switch) changes it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
