-- Share links that their owner turned off, by SHA-256 of the token (the token itself is not
-- kept), so a visitor is told the link was turned off rather than that it never existed.
CREATE TABLE revoked_share_links (
    token_hash TEXT PRIMARY KEY,
    revoked_at TEXT NOT NULL
) WITHOUT ROWID;
