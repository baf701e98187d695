"""Typed import failures, each carrying a message a person can act on."""

from __future__ import annotations


class ImportFailed(Exception):
    """Base class: `str(error)` is the reason shown to the user."""

    kind = "failed"


class NoRecipeFound(ImportFailed):
    kind = "no_recipe"


class InvalidRecipe(NoRecipeFound):
    """Recipe data was found but cannot be made into a valid recipe."""

    kind = "invalid"


class PageTooLarge(ImportFailed):
    """The page holds far more elements, attributes or comments than any recipe page, or
    a tag of far more attributes: reading it would take seconds to hours and hundreds of
    MB, so it is refused before any tree is built (`limits.check_page_nodes`)."""

    kind = "too_large"


class FetchFailed(ImportFailed):
    """The page could not be fetched (the API answers 502)."""

    kind = "fetch_failed"


class FetchRefused(FetchFailed):
    """The site answered with an error status (403, 404, 5xx ...)."""

    kind = "refused"

    def __init__(self, status: int, url: str) -> None:
        self.status = status
        self.url = url
        if status in (401, 403, 429):
            hint = (
                "the site refused our server (it may block automated requests); "
                "use the bookmarklet or paste the page's HTML instead"
            )
        elif status == 404:
            hint = "the page was not found"
        elif status >= 500:
            hint = "the site had a server error; try again later"
        else:
            hint = "the site refused the request"
        super().__init__(f"{hint} (HTTP {status})")


class FetchTimeout(FetchFailed):
    kind = "timeout"


class TooLarge(FetchFailed):
    kind = "too_large"


class BlockedAddress(FetchFailed):
    """The address is private, loopback, link-local, multicast or reserved (SSRF guard)."""

    kind = "blocked"


class NotHtml(FetchFailed):
    kind = "not_html"


class BadUrl(ImportFailed):
    """The address is not a usable http(s) URL."""

    kind = "bad_url"


class BadFile(ImportFailed):
    """A whole import file is unreadable (a single bad entry is reported per entry instead)."""

    kind = "bad_file"
