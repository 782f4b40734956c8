"""A load generator for the multi-node test: supporters writing through
several web nodes, as browsers behind a load balancer would.

Several supporters write at once (--parallel); each is a browser session
(cookies kept) whose requests go to the nodes in turn, so one step lands on
one node and the next on another. A request a node does not answer (it
died) is tried again on the next node, as a load balancer would; the send
keeps its form key, so a retried send never makes a second letter.

    python -m tests.support.loadgen --campaign SLUG --supporters 40 \
        http://10.0.0.11:8000 http://10.0.0.12:8000

prints one JSON line: supporters sent, requests that failed over, errors.
"""

import argparse
import html
import itertools
import json
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

TIMEOUT = 15


class Nodes:
    """The web nodes, tried in turn; one that does not answer is skipped."""

    def __init__(self, urls):
        self.cycle = itertools.cycle(urls)
        self.count = len(urls)
        self.failovers = 0
        self.lock = threading.Lock()

    def next(self):
        with self.lock:
            return next(self.cycle)

    def failed_over(self):
        with self.lock:
            self.failovers += 1

    def request(self, session, method, path, **kwargs):
        for _ in range(self.count * 20):
            base = self.next()
            try:
                response = session.request(
                    method, base + path, timeout=TIMEOUT, allow_redirects=False, **kwargs
                )
            except (requests.ConnectionError, requests.Timeout) as error:
                print(f"{method} {base}{path}: {error}", file=sys.stderr, flush=True)
                self.failed_over()
                time.sleep(0.2)
                continue
            if response.status_code >= 500:
                print(f"{method} {base}{path}: {response.status_code}", file=sys.stderr, flush=True)
                self.failed_over()
                time.sleep(0.2)
                continue
            # The balancer ends TLS: the browser's cookies are https-only,
            # its leg to the node is plain HTTP (X-Forwarded-Proto says so).
            for cookie in session.cookies:
                cookie.secure = False
            return response
        raise RuntimeError(f"no node answered {method} {path}")


def write_letters(nodes, slug, number, host):
    session = requests.Session()
    session.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) loadgen"
    session.headers["Host"] = host
    session.headers["X-Forwarded-Proto"] = "https"
    page = f"/c/{slug}/"
    referer = {"Referer": f"https://{host}{page}"}
    nodes.request(session, "GET", page)
    token = session.cookies.get("csrftoken", "")
    supporter = {
        "csrfmiddlewaretoken": token,
        "prefix": "Ms.",
        "first_name": "Load",
        "last_name": f"Tester{number}",
        "email": f"load{number}@example.org",
        "street": f"{number} Church St",
        "city": "Burlington",
        "state": "VT",
        "zip_code": "05401",
        "phone": "",
    }
    answer = nodes.request(session, "POST", page, data=supporter, headers=referer)
    if answer.status_code != 302:
        raise RuntimeError(f"lookup answered {answer.status_code}")
    form = nodes.request(session, "GET", page).text
    letter = {
        "csrfmiddlewaretoken": token,
        "key": re.search(r'name="key" value="([0-9a-f]{32})"', form).group(1),
        "subject": html.unescape(re.search(r'name="subject" value="([^"]*)"', form).group(1)),
        "body": html.unescape(
            re.search(r'<textarea name="body"[^>]*>\n?(.*?)</textarea>', form, re.S).group(1)
        ),
    }
    sent = nodes.request(session, "POST", f"{page}send/", data=letter, headers=referer)
    if sent.status_code != 302 or "/thanks/" not in sent.headers.get("Location", ""):
        raise RuntimeError(f"send answered {sent.status_code}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--campaign", required=True)
    parser.add_argument("--supporters", type=int, required=True)
    parser.add_argument("--first", type=int, default=0, help="number of the first supporter")
    parser.add_argument("--parallel", type=int, default=4, help="supporters writing at once")
    parser.add_argument("--host", default="letters.test", help="the Host header every node serves")
    parser.add_argument("nodes", nargs="+")
    options = parser.parse_args()
    nodes = Nodes(options.nodes)

    def supporter(number):
        try:
            write_letters(nodes, options.campaign, number, options.host)
        except (RuntimeError, AttributeError) as error:
            print(f"supporter {number}: {error}", file=sys.stderr, flush=True)
            return f"supporter {number}: {error}"
        return None

    numbers = range(options.first, options.first + options.supporters)
    with ThreadPoolExecutor(max_workers=options.parallel) as pool:
        outcomes = list(pool.map(supporter, numbers))
    errors = [outcome for outcome in outcomes if outcome]
    sent = len(outcomes) - len(errors)
    print(json.dumps({"sent": sent, "failovers": nodes.failovers, "errors": errors}), flush=True)


if __name__ == "__main__":
    main()
