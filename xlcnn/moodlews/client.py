"""A small client for Moodle's REST web services, with the standard library only: every call a
POST (the token in the body, never in a URL), parameters flattened the way PHP reads them
(``plugindata[assignfeedbackcomments_editor][text]``), every reply parsed for the errors Moodle
returns with HTTP 200, files uploaded to the token user's draft area (``webservice/upload.php``) and
downloaded (``webservice/pluginfile.php``) by streaming, within a size limit.

Every failure is one :class:`MoodleError` line that says what to do; the token never appears in it."""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from ..errors import XlcnnError
from .credentials import Credentials

TIMEOUT = 60.0  # seconds for one call
CHUNK = 1 << 16


class MoodleError(XlcnnError):
    """Moodle refused a call, or could not be reached."""


class WebServicesOff(MoodleError):
    """HTTP 403 from the REST server: web services or REST are off on the site."""


class InvalidToken(MoodleError):
    """The token is wrong, deleted or expired."""


class NotAllowed(MoodleError):
    """The token's service may not call a function, or upload or download files."""


def flatten(params: dict, prefix: str = "") -> list[tuple[str, str]]:
    """``{"a": {"b": [1, 2]}}`` -> ``[("a[b][0]", "1"), ("a[b][1]", "2")]``, as PHP reads form fields."""
    out: list[tuple[str, str]] = []
    items = params.items() if isinstance(params, dict) else enumerate(params)
    for key, value in items:
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, (dict, list, tuple)):
            out.extend(flatten(value if isinstance(value, dict) else list(value), name))
        elif isinstance(value, bool):
            out.append((name, "1" if value else "0"))  # Moodle's BOOL takes 0/1, not true/false
        elif isinstance(value, float):
            out.append((name, f"{value:.5f}".rstrip("0").rstrip(".") or "0"))  # '.' decimals, as PARAM_FLOAT wants
        elif value is None:
            continue
        else:
            out.append((name, str(value)))
    return out


def _multipart(fields: list[tuple[str, str]], files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "xlcnn-" + secrets.token_hex(16)
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for i, (filename, data) in enumerate(files, 1):
        safe = filename.replace('"', "").replace("\r", "").replace("\n", "")
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file_{i}"; filename="{safe}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client:
    """One site, one token."""

    def __init__(self, creds: Credentials, timeout: float = TIMEOUT):
        self.creds = creds
        self.base = creds.url
        self.timeout = timeout
        self.siteurl = ""  # the site's own idea of its address (fileurls start with it)
        self.calls = 0  # how many requests were made (tests count the writes)
        self.writes: list[str] = []  # the functions called that change something

    # -------------------------------------------------------------- transport

    def _post(self, path: str, body: bytes, content_type: str, what: str):
        request = urllib.request.Request(self.base + path, data=body, method="POST",
                                         headers={"Content-Type": content_type, "Accept": "application/json",
                                                  "User-Agent": "xlcnn"})
        self.calls += 1
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as err:
            if err.code == 403:
                raise WebServicesOff(f"{self.base}: {what}: HTTP 403: web services or the REST protocol are off on "
                                     "this site; a site administrator turns them on (Site administration > Server > "
                                     "Web services)") from None
            raise MoodleError(f"{self.base}: {what}: HTTP {err.code} {self.creds.redact(str(err.reason))}") from None
        except urllib.error.URLError as err:
            raise MoodleError(f"{self.base}: {what}: cannot reach the site "
                              f"({self.creds.redact(str(err.reason))})") from None
        except (TimeoutError, OSError) as err:
            raise MoodleError(f"{self.base}: {what}: {self.creds.redact(str(err))}") from None

    def _json(self, response, what: str) -> Any:
        with response:
            raw = response.read(64 * 2**20 + 1)
        if len(raw) > 64 * 2**20:
            raise MoodleError(f"{self.base}: {what}: a reply of more than 64 MB")
        text = raw.decode("utf-8", "replace")
        try:
            data = json.loads(text) if text.strip() else None
        except json.JSONDecodeError:
            raise MoodleError(f"{self.base}: {what}: not a web-service reply (is {self.base} the site's address?): "
                              f"{self.creds.redact(text[:120])!r}") from None
        if isinstance(data, dict) and ("exception" in data or "errorcode" in data or "error" in data):
            self._raise(data, what)
        return data

    def _raise(self, data: dict, what: str) -> None:
        code = str(data.get("errorcode", ""))
        message = self.creds.redact(str(data.get("message") or data.get("error") or ""))
        if code == "invalidtoken" or "invalid token" in message.lower():
            expired = "expired" in message.lower()
            raise InvalidToken(f"{self.base}: the token is {'expired' if expired else 'not valid (wrong or deleted)'}"
                               ": get a new one with `xlcnn moodle login`, or ask the site's administrator")
        if code in ("accessexception", "webservice_access_exception") or "access control exception" in message.lower():
            raise NotAllowed(f"{self.base}: {what}: the token's service may not do this ({message}); the service "
                             "needs the functions `xlcnn moodle check` lists")
        if code in ("nofile", "uploadfiles", "servicerequireslogin") or "upload" in code:
            raise NotAllowed(f"{self.base}: {what}: {message} ({code})")
        raise MoodleError(f"{self.base}: {what}: Moodle says: {message}" + (f" ({code})" if code else ""))

    # -------------------------------------------------------------- the API

    def call(self, function: str, params: dict | None = None, raw: bool = False) -> Any:
        """``function`` with ``params``; the parsed reply. ``raw``: texts as stored, not formatted."""
        fields = [("wstoken", self.creds.token), ("wsfunction", function), ("moodlewsrestformat", "json")]
        if raw:
            fields.append(("moodlewssettingraw", "1"))
        fields += flatten(params or {})
        body = urlencode(fields).encode()
        if function.split("_", 2)[-1].startswith(("save", "submit", "delete", "update", "set")):
            self.writes.append(function)
        return self._json(self._post("/webservice/rest/server.php", body, "application/x-www-form-urlencoded",
                                     function), function)

    def upload(self, files: list[tuple[str, bytes]], itemid: int = 0) -> int:
        """The files, into the token user's draft area (``itemid`` 0: a new one); the area's id."""
        body, ctype = _multipart([("token", self.creds.token), ("itemid", str(itemid)), ("filepath", "/")], files)
        self.writes.append("upload")
        reply = self._json(self._post("/webservice/upload.php", body, ctype, "upload"), "upload")
        if not isinstance(reply, list) or len(reply) != len(files):
            raise MoodleError(f"{self.base}: upload: an unexpected reply ({str(reply)[:120]})")
        for entry in reply:
            if not isinstance(entry, dict) or "errortype" in entry or "itemid" not in entry:
                why = entry.get("error", entry.get("errortype")) if isinstance(entry, dict) else entry
                raise NotAllowed(f"{self.base}: upload of a feedback file refused: {self.creds.redact(str(why))}")
        return int(reply[0]["itemid"])

    def rebase(self, fileurl: str) -> str:
        """A file's URL as Moodle wrote it (from its own wwwroot) on the address this client uses."""
        if self.siteurl and fileurl.startswith(self.siteurl):
            return self.base + fileurl[len(self.siteurl):]
        parts, base = urlsplit(fileurl), urlsplit(self.base)
        if parts.path.startswith(base.path):
            return self.base + parts.path[len(base.path):] + (f"?{parts.query}" if parts.query else "")
        raise MoodleError(f"{self.base}: a file address outside the site: {fileurl[:160]}")

    def download(self, fileurl: str, dest: Path, limit: int) -> int:
        """A submitted file into ``dest``, streamed; refused past ``limit`` bytes. Its size."""
        url = self.rebase(fileurl)
        body = urlencode([("token", self.creds.token)]).encode()
        path = url[len(self.base):]
        response = self._post(path, body, "application/x-www-form-urlencoded", "download")
        size = 0
        dest.parent.mkdir(parents=True, exist_ok=True)
        with response, open(dest, "wb") as fh:
            if "json" in (response.headers.get("Content-Type") or ""):
                self._json(response, "download")
            while True:
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    fh.close()
                    dest.unlink(missing_ok=True)
                    raise MoodleError(f"{dest.name}: larger than the {limit // 2**20} MB a submitted file may have; "
                                      "not downloaded")
                fh.write(chunk)
        return size


def request_token(url: str, username: str, password: str, service: str = "moodle_mobile_app",
                  timeout: float = TIMEOUT) -> str:
    """A token from ``login/token.php``, as the Moodle app gets one (the password in the POST body)."""
    body = urlencode([("username", username), ("password", password), ("service", service)]).encode()
    request = urllib.request.Request(url + "/login/token.php", data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "User-Agent": "xlcnn"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read(1 << 20).decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        raise MoodleError(f"{url}: login/token.php: HTTP {err.code}" + (
            ": web services are off on this site" if err.code == 403 else "")) from None
    except (urllib.error.URLError, OSError) as err:
        raise MoodleError(f"{url}: cannot reach the site ({getattr(err, 'reason', err)})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise MoodleError(f"{url}: login/token.php did not answer as Moodle does (is it the site's address?)") from None
    if data.get("token"):
        return str(data["token"])
    code, message = data.get("errorcode", ""), str(data.get("error") or data.get("message") or "")
    if code == "invalidlogin":
        raise MoodleError(f"{url}: wrong username or password") from None
    if code in ("servicenotavailable", "enablewsdescription") or "web service" in message.lower():
        raise WebServicesOff(f"{url}: the site gives no token for the service {service!r} ({message}); a site "
                             "administrator turns on 'Web services for mobile devices', or creates a token for you")
    raise MoodleError(f"{url}: no token: {message or code}")
