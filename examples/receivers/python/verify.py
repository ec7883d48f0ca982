"""Verifies a Cloud Elements event notification (Python 3, standard library)."""
import base64
import hashlib
import hmac


def valid_signature(raw_body: bytes, header: str, key: str) -> bool:
    digest = hmac.new(key.encode(), raw_body, hashlib.sha256).digest()
    want = "sha256=" + base64.b64encode(digest).decode()
    return hmac.compare_digest(header or "", want)

# With Flask: raw = request.get_data(); header = request.headers.get("Elements-Webhook-Signature")
