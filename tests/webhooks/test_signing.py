from webhooks import signing

SECRET = "whsec_test"
BODY = b'{"id":"1","type":"letter.delivered"}'


def test_a_signature_checks_out_and_anything_changed_does_not():
    headers = signing.headers(SECRET, BODY, "letter.delivered", "1", now=1_800_000_000)
    timestamp, signature = headers[signing.TIMESTAMP], headers[signing.SIGNATURE]
    assert timestamp == "1800000000"
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert signing.verify(SECRET, BODY, timestamp, signature, now=1_800_000_010)
    assert not signing.verify(SECRET, BODY + b" ", timestamp, signature, now=1_800_000_010)
    assert not signing.verify("whsec_other", BODY, timestamp, signature, now=1_800_000_010)
    assert not signing.verify(SECRET, BODY, "1800000001", signature, now=1_800_000_010)
    assert not signing.verify(SECRET, BODY, timestamp, None, now=1_800_000_010)
    assert not signing.verify(SECRET, BODY, "soon", signature, now=1_800_000_010)


def test_an_old_signature_is_refused():
    headers = signing.headers(SECRET, BODY, "letter.delivered", "1", now=1_800_000_000)
    args = (SECRET, BODY, headers[signing.TIMESTAMP], headers[signing.SIGNATURE])
    assert signing.verify(*args, now=1_800_000_000 + 299)
    assert not signing.verify(*args, now=1_800_000_000 + 301)
