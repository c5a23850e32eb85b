"""Cruddur's own check for Schemathesis (packages/fuzz sets SCHEMATHESIS_HOOKS to this file).

write_reads_back: every write the API accepted (a 200 to POST an activity, a reply or a
message) reads back exactly as written, trimmed as JavaScript's trim() trims: once in the
answer, and once from the store, by the read the document's links name. Whatever Hypothesis
generates (quotes, backslashes, LIKE wildcards, emoji, right-to-left marks, combining marks,
texts at the length limits) must survive PostgreSQL unchanged.
"""

import json
from urllib.parse import quote, urlsplit

import requests
import schemathesis

# The characters String.prototype.trim() strips: the contract's TRIMMED set
# (packages/api-contract/src/text.ts). Python's str.strip() strips another set.
JS_TRIMMED = "\t\n\v\f\r \u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u2028\u2029\u202f\u205f\u3000\ufeff"


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _read_back(origin, path, sent, answer):
    """The stored text of what the write made, read the way a client would."""
    if path == "/api/activities":
        shown = requests.get(f"{origin}/api/activities/{answer['uuid']}", timeout=10)
        assert shown.status_code == 200, f"the new activity {answer['uuid']} reads back {shown.status_code}"
        return shown.json()["message"]
    if path == "/api/activities/{uuid}/reply":
        shown = requests.get(f"{origin}/api/activities/{answer['reply_to_activity_uuid']}", timeout=10)
        assert shown.status_code == 200, f"the replied activity reads back {shown.status_code}"
        replies = [r for r in shown.json()["replies"] if r["uuid"] == answer["uuid"]]
        assert replies, f"the new reply {answer['uuid']} is not among its activity's newest replies"
        return replies[0]["message"]
    if path == "/api/messages":
        receiver = sent["user_receiver_handle"].strip(JS_TRIMMED)
        shown = requests.get(f"{origin}/api/messages/@{quote(receiver, safe='')}", timeout=10)
        assert shown.status_code == 200, f"the conversation with @{receiver} reads back {shown.status_code}"
        messages = [m for m in shown.json() if m["uuid"] == answer["uuid"]]
        assert messages, f"the new message {answer['uuid']} is not in the conversation"
        return messages[0]["message"]
    return None


@schemathesis.check
def write_reads_back(ctx, response, case):
    """A write the API accepted reads back exactly as written (trimmed)."""
    path = case.operation.path
    if case.method.upper() != "POST" or response.status_code != 200 or path not in ("/api/activities", "/api/activities/{uuid}/reply", "/api/messages"):
        return None
    sent = json.loads(response.request.body)
    expected = sent["message"].strip(JS_TRIMMED)
    answer = json.loads(response.content)
    assert answer["message"] == expected, f"the answer's message {answer['message']!r} is not what was written, {expected!r}"
    stored = _read_back(_origin(response.request.url), path, sent, answer)
    assert stored == expected, f"the stored message {stored!r} is not what was written, {expected!r}"
    return True
