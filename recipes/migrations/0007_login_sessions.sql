-- One row per login, named in the signed session cookie: logging out deletes it, so every
-- copy of that cookie (and its remember-me cookie) stops working at once.
CREATE TABLE login_sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);

CREATE INDEX login_sessions_by_user ON login_sessions (user_id, created_at);
