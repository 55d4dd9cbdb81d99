"""Where the site's URL and the token come from: ``XLCNN_MOODLE_URL`` and ``XLCNN_MOODLE_TOKEN``, or
a config file only its owner can read (``~/.config/xlcnn/moodle.toml``: ``url``, ``token``). Never
the command line (shell history, ``ps``), never a URL or a log line: :func:`redact` hides the token
in any text before it is shown. ``https://`` is required except on loopback."""

from __future__ import annotations

import ipaddress
import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import XlcnnError

URL_ENV, TOKEN_ENV, CONFIG_ENV = "XLCNN_MOODLE_URL", "XLCNN_MOODLE_TOKEN", "XLCNN_MOODLE_CONFIG"


class CredentialsError(XlcnnError):
    """No usable URL or token, or a config file others can read."""


def config_path() -> Path:
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "xlcnn" / "moodle.toml"


@dataclass(frozen=True)
class Credentials:
    url: str  # the site's base URL, without a trailing slash: https://moodle.example.edu
    token: str = ""
    source: str = ""  # where they came from, for messages (never the token itself)

    def __repr__(self) -> str:  # a token never shows in a traceback or a log
        return f"Credentials(url={self.url!r}, token={'***' if self.token else ''!r}, source={self.source!r})"

    def redact(self, text: str) -> str:
        return redact(text, self.token)


def redact(text: str, token: str) -> str:
    """``text`` with the token (and any part of it longer than 8 characters) replaced by ***."""
    return text.replace(token, "***") if token else text


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str, source: str) -> str:
    """The base URL, checked: http(s), a host, https unless on loopback; no query, no credentials."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CredentialsError(f"{source}: {url!r} is not a Moodle site's address (https://moodle.example.edu)")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise CredentialsError(f"{source}: the site's address must not hold a user, a password, a query or a "
                               "fragment (the token goes in XLCNN_MOODLE_TOKEN or the config file)")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise CredentialsError(f"{source}: {url} is plain http: the token would travel unencrypted; use https:// "
                               "(plain http is accepted on this machine's loopback only)")
    return url


def read_config(path: Path) -> dict:
    """The config file's table; refused when others can read or write it (as ssh refuses a key)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return {}
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialsError(f"{path}: readable by others (mode {stat.S_IMODE(info.st_mode):o}); it holds a token: "
                               f"chmod 600 {path}")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise CredentialsError(f"{path}: not owned by you; it holds a token")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise CredentialsError(f"{path}: not a valid TOML file ({str(err)[:120]})") from None
    return data


def load(require_token: bool = True) -> Credentials:
    """The URL and token: the environment first, then the config file."""
    path = config_path()
    data = read_config(path)
    url = os.environ.get(URL_ENV) or data.get("url", "")
    token = os.environ.get(TOKEN_ENV) or data.get("token", "")
    where = URL_ENV if os.environ.get(URL_ENV) else str(path)
    if not url:
        raise CredentialsError(f"no Moodle site: set {URL_ENV} (https://moodle.example.edu) or write url = \"...\" "
                               f"in {path} (chmod 600)")
    if require_token and not token:
        raise CredentialsError(f"no Moodle token: set {TOKEN_ENV}, or run `xlcnn moodle login` (it writes {path})")
    if not isinstance(url, str) or not isinstance(token, str):
        raise CredentialsError(f"{path}: url and token must be strings")
    source = "the environment" if os.environ.get(TOKEN_ENV) else str(path)
    return Credentials(check_url(url, where), token.strip(), source)


def save(url: str, token: str) -> Path:
    """Write the config file, readable by its owner only (created so from the start)."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = f'url = "{url}"\ntoken = "{token}"\n'
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path
