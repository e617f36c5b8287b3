#!/usr/bin/env python3
"""Writes the event fixtures under tests/data with an implementation of canonical JSON and the
hash chain that is independent of the C++ one, so the tests cross-check both against
docs/PROTOCOL.md. Run it again only when the protocol changes on purpose."""
import hashlib
import json
import pathlib
import uuid

HERE = pathlib.Path(__file__).parent
NS = uuid.UUID("6b1f2c1e-54a8-4b57-9a55-0d4b3f2a9c11")


def uid(name):
    return str(uuid.uuid5(NS, name))


def canonical(value):
    # Keys here are ASCII, so code-point order equals the UTF-16 order the protocol asks for.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def seal(events):
    prev = "0" * 64
    out = []
    for seq, e in enumerate(events, start=1):
        e = dict(e, seq=seq, prev=prev)
        e["hash"] = hashlib.sha256(bytes.fromhex(prev) + canonical(e)).hexdigest()
        prev = e["hash"]
        out.append(e)
    return out


SESSION = uid("session")
TECH = uid("technician")
ENDPOINT = uid("endpoint")
CMD1, CMD2 = uid("cmd1"), uid("cmd2")
HYP = uid("hyp1")


def ev(name, kind, at, actor, body):
    return {"id": uid(name), "session": SESSION, "kind": kind, "at": at,
            "actor": actor, "body": body}


tech = {"type": "user", "id": TECH}
agent = {"type": "endpoint", "id": ENDPOINT}

events = [
    ev("e1", "session.opened", "2026-05-24T14:20:00.000Z", tech,
       {"org": uid("org"), "clientGroup": uid("group"), "endpoint": ENDPOINT,
        "technician": TECH, "title": "Printer queue stuck on FRONTDESK-03",
        "ticket": "INC-20431", "tags": ["printing", "spooler"]}),
    ev("e2", "context.captured", "2026-05-24T14:20:01.250Z", agent,
       {"hostname": "FRONTDESK-03", "os": "Windows 11 Pro", "osVersion": "10.0.22631",
        "osBuild": "22631.3593", "domain": "CONTOSO", "user": "CONTOSO\\jsmith",
        "uptimeSeconds": 412345, "cpu": "Intel(R) Core(TM) i5-10500T", "cpuCores": 6,
        "memoryBytes": 17179869184, "updates": ["KB5037771", "KB5037853"]}),
    ev("e3", "hypothesis.added", "2026-05-24T14:20:30.000Z", tech,
       {"hypothesis": HYP, "text": "Print Spooler service has stopped"}),
    ev("e4", "command.requested", "2026-05-24T14:21:00.000Z", tech,
       {"command": CMD1, "shell": "powershell", "text": "Get-Service Spooler | Format-List *",
        "change": False, "timeoutMs": 60000}),
    ev("e5", "command.started", "2026-05-24T14:21:00.120Z", agent,
       {"command": CMD1, "pid": 8812, "user": "NT AUTHORITY\\SYSTEM"}),
    ev("e6", "command.output", "2026-05-24T14:21:00.480Z", agent,
       {"command": CMD1, "stream": "stdout", "chunk": 0,
        "data": "Name   : Spooler\r\nStatus : Running\r\nStartType : Automatic\r\n"}),
    ev("e7", "command.output", "2026-05-24T14:21:00.510Z", agent,
       {"command": CMD1, "stream": "stderr", "chunk": 1,
        "data": "WARNING: \u001b[33mcached\u001b[0m result \"\u00e9t\u00e9\" \\ tab\there\n"}),
    ev("e8", "command.finished", "2026-05-24T14:21:00.600Z", agent,
       {"command": CMD1, "status": "exited", "exitCode": 0, "durationMs": 480}),
    ev("e9", "hypothesis.updated", "2026-05-24T14:22:00.000Z", tech,
       {"hypothesis": HYP, "status": "ruled_out",
        "evidence": [{"command": CMD1, "fromLine": 1, "toLine": 2}],
        "note": "Spooler is running"}),
    ev("e10", "command.requested", "2026-05-24T14:23:00.000Z", tech,
       {"command": CMD2, "shell": "powershell", "text": "Restart-Service Spooler -Force",
        "change": True}),
    ev("e11", "approval.requested", "2026-05-24T14:23:00.200Z", agent,
       {"command": CMD2, "prompt": "Technician requests to restart the Print Spooler. Approve?"}),
    ev("e12", "approval.decided", "2026-05-24T14:23:09.900Z", agent,
       {"command": CMD2, "decision": "approved", "decidedBy": "CONTOSO\\jsmith",
        "decidedAt": "2026-05-24T14:23:09.870Z"}),
    ev("e13", "chat.message", "2026-05-24T14:23:20.000Z", tech,
       {"text": "Thanks! Restarting the printer service now."}),
    ev("e14", "note.added", "2026-05-24T14:24:00.000Z", tech,
       {"text": "Queue cleared after restart; 3 jobs printed."}),
    ev("e15", "session.closed", "2026-05-24T14:25:00.000Z", tech,
       {"summary": "Stuck queue cleared by restarting the spooler."}),
]
# A field from a newer peer, in the envelope and in a body: kept and hashed.
events[12]["x-client"] = {"name": "casefile", "build": 12}
events[13]["body"]["x-pinned"] = True

sealed = seal(events)
(HERE / "chains").mkdir(exist_ok=True)
with open(HERE / "chains" / "printer-session.jsonl", "wb") as f:
    for e in sealed:
        f.write(canonical(e) + b"\n")

# One valid draft per kind, as authors send them (no seq/prev/hash).
(HERE / "events" / "valid").mkdir(parents=True, exist_ok=True)
for e in events:
    with open(HERE / "events" / "valid" / (e["kind"] + ".json"), "wb") as f:
        f.write(canonical(e) + b"\n")

# A chain with one byte of output changed after sealing: broken at seq 6.
tampered = [canonical(e) for e in sealed]
tampered[5] = tampered[5].replace(b"Running", b"Stopped")
with open(HERE / "chains" / "printer-session-tampered-seq6.jsonl", "wb") as f:
    for line in tampered:
        f.write(line + b"\n")

# Broken events beside the good ones; expected.tsv says which field each error must name.
broken_dir = HERE / "events" / "broken"
broken_dir.mkdir(parents=True, exist_ok=True)
by_kind = {e["kind"]: e for e in events}
expected = []


def broken(name, mode, field, message, data):
    if not isinstance(data, bytes):
        data = canonical(data)
    (broken_dir / name).write_bytes(data)
    expected.append("\t".join([name, mode, field, message]))


def mutate(kind, fn):
    e = json.loads(json.dumps(by_kind[kind]))
    fn(e)
    return e


good = canonical(by_kind["command.output"])
broken("truncated.json", "draft", "", "not valid JSON", good[: len(good) // 2])
broken("trailing-garbage.json", "draft", "", "not valid JSON", good + b"}")
broken("not-an-object.json", "draft", "", "must be a JSON object", b"[1,2,3]")
broken("invalid-utf8.json", "draft", "", "UTF-8",
       good.replace(b"cached", b"cac\xff\xfehed"))
broken("overlong-utf8.json", "draft", "", "UTF-8", good.replace(b"cached", b"cac\xc0\xafhed"))
broken("missing-kind.json", "draft", "kind", "required field is missing",
       mutate("note.added", lambda e: e.pop("kind")))
broken("unknown-kind.json", "draft", "kind", "unknown kind",
       mutate("note.added", lambda e: e.update(kind="note.deleted")))
broken("kind-not-string.json", "draft", "kind", "expected a string, found a number",
       mutate("note.added", lambda e: e.update(kind=7)))
broken("id-not-uuid.json", "draft", "id", "lower-case UUID",
       mutate("note.added", lambda e: e.update(id="1234")))
broken("id-braced-uuid.json", "draft", "id", "lower-case UUID",
       mutate("note.added", lambda e: e.update(id="{" + e["id"] + "}")))
broken("id-upper-case.json", "draft", "id", "lower-case UUID",
       mutate("note.added", lambda e: e.update(id=e["id"].upper())))
broken("session-missing.json", "draft", "session", "required field is missing",
       mutate("note.added", lambda e: e.pop("session")))
broken("at-space.json", "draft", "at", "RFC 3339",
       mutate("note.added", lambda e: e.update(at="2026-05-24 14:24:00.000Z")))
broken("at-no-millis.json", "draft", "at", "RFC 3339",
       mutate("note.added", lambda e: e.update(at="2026-05-24T14:24:00Z")))
broken("at-offset.json", "draft", "at", "RFC 3339",
       mutate("note.added", lambda e: e.update(at="2026-05-24T16:24:00.000+02:00")))
broken("at-invalid-date.json", "draft", "at", "RFC 3339",
       mutate("note.added", lambda e: e.update(at="2026-02-30T14:24:00.000Z")))
broken("actor-missing.json", "draft", "actor", "required field is missing",
       mutate("note.added", lambda e: e.pop("actor")))
broken("actor-bad-type.json", "draft", "actor.type", "not one of",
       mutate("note.added", lambda e: e["actor"].update(type="admin")))
broken("actor-extra-field.json", "draft", "actor.role", "unknown field",
       mutate("note.added", lambda e: e["actor"].update(role="admin")))
broken("body-not-object.json", "draft", "body", "expected an object, found a string",
       mutate("note.added", lambda e: e.update(body="text")))
broken("note-text-missing.json", "draft", "body.text", "required field is missing",
       mutate("note.added", lambda e: e["body"].pop("text")))
broken("exitcode-string.json", "draft", "body.exitCode", "expected an integer, found a string",
       mutate("command.finished", lambda e: e["body"].update(exitCode="0")))
broken("exitcode-missing-when-exited.json", "draft", "body.exitCode", "required when status",
       mutate("command.finished", lambda e: e["body"].pop("exitCode")))
broken("duration-fraction.json", "draft", "body.durationMs", "expected an integer",
       mutate("command.finished", lambda e: e["body"].update(durationMs=1.5)))
broken("duration-negative.json", "draft", "body.durationMs", "at least 0",
       mutate("command.finished", lambda e: e["body"].update(durationMs=-3)))
broken("status-unknown.json", "draft", "body.status", "not one of",
       mutate("command.finished", lambda e: e["body"].update(status="exploded")))
broken("stream-unknown.json", "draft", "body.stream", "not one of",
       mutate("command.output", lambda e: e["body"].update(stream="stdlog")))
broken("chunk-negative.json", "draft", "body.chunk", "at least 0",
       mutate("command.output", lambda e: e["body"].update(chunk=-1)))
broken("data-null.json", "draft", "body.data", "expected a string, found null",
       mutate("command.output", lambda e: e["body"].update(data=None)))
broken("chunk-null.json", "draft", "body.chunk", "expected an integer, found null",
       mutate("command.output", lambda e: e["body"].update(chunk=None)))
broken("sealed-seq-null.json", "sealed", "seq", "expected an integer, found null",
       dict(sealed[0], seq=None))
broken("pid-too-large.json", "draft", "body.pid", "expected an integer",
       mutate("command.started", lambda e: e["body"].update(pid=1e300)))
broken("change-string.json", "draft", "body.change", "expected a boolean, found a string",
       mutate("command.requested", lambda e: e["body"].update(change="true")))
broken("shell-empty.json", "draft", "body.shell", "must not be empty",
       mutate("command.requested", lambda e: e["body"].update(shell="")))
broken("decision-unknown.json", "draft", "body.decision", "not one of",
       mutate("approval.decided", lambda e: e["body"].update(decision="maybe")))
broken("decided-at-bad.json", "draft", "body.decidedAt", "RFC 3339",
       mutate("approval.decided", lambda e: e["body"].update(decidedAt="yesterday")))
broken("tags-not-strings.json", "draft", "body.tags[1]", "expected a string, found a number",
       mutate("session.opened", lambda e: e["body"].update(tags=["printing", 3])))
broken("evidence-command-missing.json", "draft", "body.evidence[0].command",
       "required field is missing",
       mutate("hypothesis.updated", lambda e: e["body"]["evidence"][0].pop("command")))
broken("evidence-lines-reversed.json", "draft", "body.evidence[0].toLine", "before fromLine",
       mutate("hypothesis.updated",
              lambda e: e["body"]["evidence"][0].update(fromLine=9, toLine=2)))
broken("evidence-not-object.json", "draft", "body.evidence[0]", "expected an object",
       mutate("hypothesis.updated", lambda e: e["body"].update(evidence=["cmd"])))
broken("sealed-without-hash.json", "sealed", "hash", "required field is missing",
       {k: v for k, v in sealed[0].items() if k != "hash"})
broken("sealed-seq-zero.json", "sealed", "seq", "at least 1", dict(sealed[0], seq=0))
broken("sealed-prev-upper.json", "sealed", "prev", "64 lower-case hex",
       dict(sealed[1], prev=sealed[1]["prev"].upper()))
broken("sealed-hash-short.json", "sealed", "hash", "64 lower-case hex",
       dict(sealed[1], hash=sealed[1]["hash"][:40]))

(broken_dir / "expected.tsv").write_text(
    "# file\tmode\tfield the error must name (empty: the document)\tmessage fragment\n"
    + "\n".join(expected) + "\n")

# Stores as earlier schema versions wrote them (SQL, so they diff well): the migrations must
# bring each of them to the latest version with nothing lost.
V1_DDL = """CREATE TABLE schema_meta (version INTEGER NOT NULL);
CREATE TABLE events ( rid INTEGER PRIMARY KEY, session TEXT NOT NULL, seq BIGINT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, hash TEXT NOT NULL, doc TEXT NOT NULL, UNIQUE (session, seq), UNIQUE (session, id));
"""
V2_DDL = """CREATE TABLE sessions ( id TEXT PRIMARY KEY, org TEXT NOT NULL, client_group TEXT NOT NULL, endpoint TEXT NOT NULL, technician TEXT NOT NULL, title TEXT NOT NULL, ticket TEXT NOT NULL DEFAULT '', follow_up_of TEXT NOT NULL DEFAULT '', opened_at TEXT NOT NULL, closed_at TEXT NOT NULL DEFAULT '', last_seq BIGINT NOT NULL, last_hash TEXT NOT NULL);
CREATE INDEX sessions_by_org ON sessions (org, opened_at);
CREATE INDEX sessions_by_group ON sessions (client_group, opened_at);
CREATE INDEX sessions_by_endpoint ON sessions (endpoint, opened_at);
CREATE INDEX sessions_by_technician ON sessions (technician, opened_at);
CREATE TABLE session_tags ( session TEXT NOT NULL REFERENCES sessions (id), tag TEXT NOT NULL, PRIMARY KEY (session, tag));
CREATE INDEX session_tags_by_tag ON session_tags (tag);
"""


def sql(value):
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def event_rows(chain):
    rows = []
    for e in chain:
        rows.append("INSERT INTO events (session, seq, id, kind, at, hash, doc) VALUES (%s);"
                    % ", ".join(sql(v) for v in [e["session"], e["seq"], e["id"], e["kind"],
                                                  e["at"], e["hash"], canonical(e).decode()]))
    return "\n".join(rows) + "\n"


# A second session, still live, so the upgraded store must keep appending to it.
SESSION2 = uid("session2")
live = []
for e in [
    {"id": uid("l1"), "session": SESSION2, "kind": "session.opened", "at": "2026-06-01T08:00:00.000Z",
     "actor": tech, "body": {"org": uid("org"), "clientGroup": uid("group"), "endpoint": ENDPOINT,
                             "technician": TECH, "title": "Slow logons at the front desk"}},
    {"id": uid("l2"), "session": SESSION2, "kind": "note.added", "at": "2026-06-01T08:01:00.000Z",
     "actor": tech, "body": {"text": "GPO processing takes 90 s; check DNS suffix order"}},
]:
    live.append(e)
live = seal(live)

v1 = V1_DDL + "INSERT INTO schema_meta (version) VALUES (1);\n" + event_rows(sealed) + event_rows(live)
(HERE / "store" / "schema-v1.sql").write_text(v1)

opened = sealed[0]["body"]
v2_sessions = (
    "INSERT INTO sessions VALUES (%s);\n" % ", ".join(sql(v) for v in [
        SESSION, opened["org"], opened["clientGroup"], opened["endpoint"], opened["technician"],
        opened["title"], opened["ticket"], "", sealed[0]["at"], sealed[-1]["at"], 15, sealed[-1]["hash"]])
    + "".join("INSERT INTO session_tags VALUES (%s, %s);\n" % (sql(SESSION), sql(t)) for t in opened["tags"])
    + "INSERT INTO sessions VALUES (%s);\n" % ", ".join(sql(v) for v in [
        SESSION2, live[0]["body"]["org"], live[0]["body"]["clientGroup"], ENDPOINT, TECH,
        live[0]["body"]["title"], "", "", live[0]["at"], "", 2, live[-1]["hash"]]))
v2 = V1_DDL + V2_DDL + "INSERT INTO schema_meta (version) VALUES (2);\n" + event_rows(sealed) + event_rows(live) + v2_sessions
(HERE / "store" / "schema-v2.sql").write_text(v2)

# Broken stores beside the good ones.
(HERE / "store" / "not-a-database.db").write_text(
    "Windows IP Configuration\r\n\r\n   Host Name . . . . . . . . . . . . : FRONTDESK-03\r\n")
import random
rng = random.Random(7)
(HERE / "store" / "garbage-after-header.db").write_bytes(
    b"SQLite format 3\x00" + bytes(rng.getrandbits(8) for _ in range(8192 - 16)))
(HERE / "store" / "schema-v99.sql").write_text(
    V1_DDL + "INSERT INTO schema_meta (version) VALUES (99);\n")
(HERE / "store" / "foreign.sql").write_text(
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);\n"
    "INSERT INTO customers (name) VALUES ('Contoso');\n")
