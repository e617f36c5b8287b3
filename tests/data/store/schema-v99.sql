CREATE TABLE schema_meta (version INTEGER NOT NULL);
CREATE TABLE events ( rid INTEGER PRIMARY KEY, session TEXT NOT NULL, seq BIGINT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, hash TEXT NOT NULL, doc TEXT NOT NULL, UNIQUE (session, seq), UNIQUE (session, id));
INSERT INTO schema_meta (version) VALUES (99);
