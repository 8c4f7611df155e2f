#!/usr/bin/python3
"""http_fixture_server.py: a stand-in for CelesTrak's GP service on 127.0.0.1,
for the tests of `orbnet fetch` (tests/test_fetch.c).  Standard library only.

Binds 127.0.0.1 on an ephemeral port, prints the port on the first line of
stdout, serves until killed, and exits by itself after --lifetime seconds
(default 60) so that a crashed test never leaves it running.

URLs are /MODE/gp.php?GROUP=starlink&FORMAT=tle|csv|json; MODE picks the
behaviour:
  ok         200, the fixture with Content-Length (403 unless the User-Agent
             starts with "orbnet/", so a passing fetch proves the header)
  redirect   301 to /ok/gp.php with the same query
  nolength   200, the fixture without Content-Length (body ends at close)
  e500       500 Internal Server Error with an HTML body
  e404       404 Not Found
  garbage    200 with an HTML page instead of element sets
  nodata     200 "No GP data found" (plain text)
  truncated  200, Content-Length of the whole fixture, half of it sent, then
             the connection is closed
  cut        200 without Content-Length, cut in the middle of a line (of the
             one-line JSON: halfway), then closed: HTTP cannot tell the client
             that data is missing, only the parsers can
  slow       waits --slow seconds (default 20) before answering
/echo-ua answers 200 with the request's User-Agent as text/plain.
"""
import argparse
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "data", "fetch")
FIXTURES = {"tle": ("starlink_20.tle", "text/plain"),
            "csv": ("starlink_20.csv", "text/csv"),
            "json": ("starlink_4.json", "application/json")}
GARBAGE = (b"<!DOCTYPE html>\n<html><head><title>Hotel WiFi</title></head>\n"
           b"<body><p>Please accept the terms of use to continue.</p></body>"
           b"</html>\n")


def cut_mid_line(body):
    """The body stopped 12 bytes into its 11th line (mid-record in the TLE
    and CSV fixtures), or halfway through when it has fewer lines (JSON)."""
    ends = [i for i, c in enumerate(body) if c == 0x0A]
    return body[:ends[9] + 12] if len(ends) > 10 else body[:len(body) // 2]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "orbnet-fixture/1"

    def log_message(self, fmt, *args):  # quiet unless --verbose
        if self.server.verbose:
            sys.stderr.write("fixture: " + (fmt % args) + "\n")

    def reply(self, status, body, ctype="text/plain", length=True, close=False):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        if close or not length:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def fixture(self, query):
        q = parse_qs(query)
        group = q.get("GROUP", [""])[0].lower()
        fmt = q.get("FORMAT", [""])[0].lower()
        if group != "starlink":
            return None, "unknown group '%s'\n" % group
        if fmt not in FIXTURES:
            return None, "unknown format '%s'\n" % fmt
        name, ctype = FIXTURES[fmt]
        with open(os.path.join(self.server.data_dir, name), "rb") as f:
            return (f.read(), ctype), None

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/echo-ua":
            ua = self.headers.get("User-Agent", "")
            return self.reply(200, ua.encode())
        parts = url.path.strip("/").split("/")
        if len(parts) != 2 or parts[1] != "gp.php":
            return self.reply(404, b"not found\n")
        mode = parts[0]
        if mode == "slow":
            time.sleep(self.server.slow_s)
        if mode == "redirect":
            self.send_response(301)
            self.send_header("Location", "/ok/gp.php?" + url.query)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if mode == "e500":
            return self.reply(500, b"<html><body>Internal Server Error</body></html>\n",
                              "text/html")
        if mode == "e404":
            return self.reply(404, b"not found\n")
        if mode == "garbage":
            return self.reply(200, GARBAGE, "text/html")
        if mode == "nodata":
            return self.reply(200, b"No GP data found\n")
        found, why = self.fixture(url.query)
        if not found:
            return self.reply(400, why.encode())
        body, ctype = found
        if mode in ("ok", "slow"):
            if not self.headers.get("User-Agent", "").startswith("orbnet/"):
                return self.reply(403, b"bad User-Agent\n")
            return self.reply(200, body, ctype)
        if mode == "nolength":
            return self.reply(200, body, ctype, length=False)
        if mode == "truncated":
            return self.send_truncated(body, ctype)
        if mode == "cut":
            return self.reply(200, cut_mid_line(body), ctype, length=False)
        return self.reply(404, b"unknown mode\n")

    def send_truncated(self, body, ctype):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:len(body) // 2])
        self.wfile.flush()
        self.close_connection = True
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA, help="fixture folder")
    ap.add_argument("--lifetime", type=float, default=60.0,
                    help="exit after this many seconds (safety net)")
    ap.add_argument("--slow", type=float, default=20.0,
                    help="delay of the 'slow' mode in seconds")
    ap.add_argument("--verbose", action="store_true", help="log requests")
    args = ap.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.data_dir = args.data
    server.slow_s = args.slow
    server.verbose = args.verbose
    timer = threading.Timer(args.lifetime, lambda: os._exit(0))
    timer.daemon = True
    timer.start()
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
