"""Hostile input corpora: XSS payloads (each marks itself if it ever runs or parses into
the page) and search strings aimed at SQL and FTS5 syntax."""

from __future__ import annotations

# Every payload that executes sets window.__xss (or opens a dialog); every one that
# becomes markup carries a data-xss attribute. Neither may ever happen.
XSS = [
    "<script>window.__xss=1;alert(1)</script>",
    '<img src=x data-xss onerror="window.__xss=1;alert(2)">',
    '"><img src=x data-xss onerror=window.__xss=1;alert(3)>',
    "'><svg data-xss onload=window.__xss=1;alert(4)>",
    "<svg><script data-xss>window.__xss=1;alert(5)</script></svg>",
    '<iframe data-xss srcdoc="<script>parent.__xss=1;alert(6)</script>"></iframe>',
    '<a data-xss href="javascript:window.__xss=1;alert(7)">click</a>',
    "</script><script>window.__xss=1;alert(8)</script>",
    "</title><script>window.__xss=1;alert(9)</script>",
    "</textarea><script>window.__xss=1;alert(10)</script>",
    '<details data-xss open ontoggle="window.__xss=1;alert(11)">',
    '<body data-xss onload="window.__xss=1;alert(12)">',
    "{{7*7}}{% raw %}${alert(13)}",
    "<math><mtext><table><mglyph><style><img data-xss src=x onerror=alert(14)>",
    '<input data-xss autofocus onfocus="window.__xss=1;alert(15)">',
    "&lt;script&gt;window.__xss=1&lt;/script&gt; \u2028\u2029 \u202e",
    '<style>@import "javascript:alert(16)";</style><b data-xss>bold</b>',
    "<!--<script>window.__xss=1</script>-->",
    '<meta data-xss http-equiv="refresh" content="0;url=javascript:alert(17)">',
    '<form data-xss action="javascript:alert(18)"><button>go</button></form>',
]

# URLs are validated as http(s) without spaces; these try to break out of their attribute.
XSS_URLS = [
    'https://example.com/"><img/data-xss/src=x/onerror=window.__xss=1;alert(20)>',
    "https://example.com/'onmouseover='window.__xss=1;alert(21)'data-xss='",
    "https://example.com/#<script>window.__xss=1;alert(22)</script>",
]

SEARCH = [
    "' OR 1=1 --",
    "'; DROP TABLE recipes; --",
    '" OR ""="',
    "1' UNION SELECT username, password_hash FROM users --",
    "x') OR ('1'='1",
    "%' AND 1=0 UNION SELECT * FROM api_tokens --",
    "\\'; SELECT sqlite_version(); --",
    "recipe_fts MATCH '*'",
    '"',
    '"unterminated',
    "*",
    "chick*",
    "NEAR(a b, 2)",
    "a NEAR/3 b",
    "title:soup",
    "{title ingredients}: soup",
    "^soup",
    "-soup",
    "+soup",
    "soup AND",
    "OR",
    "NOT NOT NOT",
    "((((",
    "))))",
    "a:b:c",
    "rank MATCH 'bm25'",
    "\x01\x02\x7f",
    "\u202e\u200b\ufeff",
    "😀🍲",
    "ñandú crème brûlée",
    "a" * 5000,
    "soup " * 3000,
    "%_%",
    "[a-z]*",
    "$(id)",
    "<script>alert(1)</script>",
]
