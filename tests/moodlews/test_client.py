"""The web-service client and the credentials, against a small HTTP server on loopback that answers
as Moodle does (its error bodies come with HTTP 200; REST off is an empty 403): every failure a
user can meet is one line that says what to do, and never shows the token."""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from xlcnn.moodlews.client import (
    Client,
    InvalidToken,
    MoodleError,
    NotAllowed,
    WebServicesOff,
    flatten,
)
from xlcnn.moodlews.credentials import (
    Credentials,
    CredentialsError,
    check_url,
    load,
    save,
)
from xlcnn.moodlews.pull import clean_filename, clean_path, folder_prefix
from xlcnn.moodlews.site import Assignment, AssignmentError, Participant, check_gradable

TOKEN = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6"
REPLIES = {
    "ok": (200, {"sitename": "x", "siteurl": "http://localhost/moodle", "functions": []}),
    "invalid": (200, {"exception": "moodle_exception", "errorcode": "invalidtoken",
                      "message": "Invalid token - token not found"}),
    "expired": (200, {"exception": "moodle_exception", "errorcode": "invalidtoken",
                      "message": "Invalid token - token expired - check validuntil time for the token"}),
    "access": (200, {"exception": "webservice_access_exception", "errorcode": "accessexception",
                     "message": "Access control exception"}),
    "other": (200, {"exception": "invalid_parameter_exception", "errorcode": "invalidparameter",
                    "message": f"Invalid parameter value detected ({TOKEN})"}),
    "off": (403, None),
    "html": (200, "<html>not moodle</html>"),
}


class Stub(BaseHTTPRequestHandler):
    seen: list = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Stub.seen.append((self.path, body))
        if self.path.endswith("/webservice/upload.php"):
            status, reply = 200, [{"filename": "a.xlsx", "errortype": "fileoversized", "error": "The file is too big"}]
        else:
            fields = parse_qs(body.decode())
            status, reply = REPLIES[fields["wsfunction"][0]]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if reply is not None:
            self.wfile.write((reply if isinstance(reply, str) else json.dumps(reply)).encode())


@pytest.fixture(scope="module")
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Client(Credentials(f"http://127.0.0.1:{server.server_port}/moodle", TOKEN))
    server.shutdown()


@pytest.mark.parametrize("function, error, words", [
    ("invalid", InvalidToken, "the token is not valid (wrong or deleted): get a new one with `xlcnn moodle login`"),
    ("expired", InvalidToken, "the token is expired: get a new one with `xlcnn moodle login`"),
    ("access", NotAllowed, "the token's service may not do this"),
    ("other", MoodleError, "Moodle says: Invalid parameter value detected (***) (invalidparameter)"),
    ("off", WebServicesOff, "HTTP 403: web services or the REST protocol are off on this site"),
    ("html", MoodleError, "not a web-service reply"),
], ids=["wrong-token", "expired-token", "function-not-in-service", "error-body-with-http-200", "rest-off-403",
        "not-moodle"])
def test_each_failure_is_one_line_without_the_token(stub, function, error, words):
    with pytest.raises(error) as info:
        stub.call(function)
    text = str(info.value)
    assert words in text and TOKEN not in text and "\n" not in text


def test_the_token_travels_in_the_body_never_in_the_url(stub):
    stub.call("ok", {"assignid": 3})
    path, body = Stub.seen[-1]
    assert TOKEN not in path and f"wstoken={TOKEN}".encode() in body


def test_an_upload_refused_file_by_file_is_a_failure(stub):
    with pytest.raises(NotAllowed, match="upload of a feedback file refused: The file is too big"):
        stub.upload([("a.xlsx", b"PK")])


def test_parameters_flattened_as_php_reads_them():
    assert flatten({"assignmentid": 4, "grade": 4.5, "addattempt": False, "skip": None,
                    "plugindata": {"assignfeedbackcomments_editor": {"text": "ok", "format": 1}},
                    "ids": [7, 8]}) == [
        ("assignmentid", "4"), ("grade", "4.5"), ("addattempt", "0"),
        ("plugindata[assignfeedbackcomments_editor][text]", "ok"),
        ("plugindata[assignfeedbackcomments_editor][format]", "1"), ("ids[0]", "7"), ("ids[1]", "8")]
    assert flatten({"g": 6.0, "h": 2 / 3}) == [("g", "6"), ("h", "0.66667")]


@pytest.mark.parametrize("url, ok", [
    ("https://moodle.example.edu/", True), ("http://localhost:8080/moodle", True), ("http://127.0.0.1/m", True),
    ("http://moodle.example.edu", False), ("ftp://moodle.example.edu", False), ("moodle.example.edu", False),
    ("https://user:pw@moodle.example.edu", False), ("https://moodle.example.edu/?wstoken=x", False)])
def test_https_except_on_loopback(url, ok):
    if ok:
        assert check_url(url, "test") == url.rstrip("/")
    else:
        with pytest.raises(CredentialsError):
            check_url(url, "test")


def test_credentials_from_a_private_file_only(tmp_path, monkeypatch):
    path = tmp_path / "xlcnn" / "moodle.toml"
    monkeypatch.setenv("XLCNN_MOODLE_CONFIG", str(path))
    monkeypatch.delenv("XLCNN_MOODLE_URL", raising=False)
    monkeypatch.delenv("XLCNN_MOODLE_TOKEN", raising=False)
    with pytest.raises(CredentialsError, match="no Moodle site"):
        load()
    save("https://moodle.example.edu", TOKEN)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    creds = load()
    assert (creds.url, creds.token) == ("https://moodle.example.edu", TOKEN) and TOKEN not in repr(creds)
    os.chmod(path, 0o640)
    with pytest.raises(CredentialsError, match="readable by others"):
        load()
    monkeypatch.setenv("XLCNN_MOODLE_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XLCNN_MOODLE_URL", "https://other.example.edu")
    monkeypatch.setenv("XLCNN_MOODLE_TOKEN", "t0k")
    assert (load().url, load().token, load().source) == ("https://other.example.edu", "t0k", "the environment")


@pytest.mark.parametrize("text, cleaned", [("Group 01_12", "Group 01_12"), ("A/B\\C:D", "ABCD"), ("it's", "its"),
                                           ("x<y>&z", "xyz"), ("..", ""), ("tab\there", "tabhere")])
def test_clean_filename_as_moodle(text, cleaned):
    assert clean_filename(text) == cleaned


def test_clean_path_as_moodle():
    assert clean_path("G_1_assignsubmission_file//sub/./a:b.xlsx") == "G_1_assignsubmission_file/sub/ab.xlsx"


A = Assignment(3, 40, 2, "PW04", "DL", 6, team=True, blind=False, workflow=False, comments=True, files=True)


@pytest.mark.parametrize("assignment, prefix", [
    (A, "Group A 9"), (Assignment(**{**A.__dict__, "team": False}), "Ann Lee Smith_17"),
    (Assignment(**{**A.__dict__, "team": False, "blind": True}), "Participant_17")],
    ids=["team-underscores-become-spaces", "individual", "blind"])
def test_folder_names_as_moodles_download(assignment, prefix):
    p = Participant(5, "Ann Lee_Smith", group=9, group_name="Group_A", uniqueid=17)
    got = folder_prefix(assignment, p, 9, "Group_A") if assignment.team else folder_prefix(assignment, p)
    assert got == (prefix if not assignment.team else "Group A_9")


@pytest.mark.parametrize("changes, words", [
    ({"max_grade": -3}, "graded on a Moodle scale: xlcnn writes numeric grades only"),
    ({"max_grade": 0}, "has no grade"),
    ({"advanced": "rubric"}, "graded with a rubric (advanced grading)"),
    ({"advanced": "guide"}, "graded with a marking guide (advanced grading)")],
    ids=["scale", "no-grade", "rubric", "marking-guide"])
def test_what_xlcnn_cannot_grade_is_refused(changes, words):
    with pytest.raises(AssignmentError, match=words.replace("(", r"\(").replace(")", r"\)")):
        check_gradable(Assignment(**{**A.__dict__, **changes}), "https://moodle.example.edu")
