"""A localtrail for a pytest session, and assertions on what it recorded.

The server is the `localtrail` command (LOCALTRAIL_COMMAND, or this repository's bin/localtrail.js, or
`npx localtrail`) on a free port, in memory; records are read from GET /_localtrail/events.
"""
import json
import os
import re
import shlex
import subprocess
import urllib.request
from pathlib import Path

import boto3

REPO_BIN = Path(__file__).resolve().parents[2] / "bin" / "localtrail.js"


def _command():
    if os.environ.get("LOCALTRAIL_COMMAND"):
        return shlex.split(os.environ["LOCALTRAIL_COMMAND"])
    if REPO_BIN.exists():
        return ["node", str(REPO_BIN)]
    return ["npx", "--yes", "localtrail"]


class Localtrail:
    def __init__(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOCALTRAIL_")}
        self.process = subprocess.Popen(
            _command() + ["--port", "0", "--ephemeral", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )
        output = []
        for line in self.process.stdout:
            output.append(line)
            ready = re.match(r"localtrail ready on (http://\S+)", line)
            if ready:
                self.endpoint = ready.group(1)
            if line.strip() == "Ready." and hasattr(self, "endpoint"):
                break
        else:
            raise RuntimeError("localtrail exited before it was ready:\n" + "".join(output))

    def client(self, service, **kwargs):
        settings = dict(endpoint_url=self.endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")
        settings.update(kwargs)
        return boto3.client(service, **settings)

    def _call(self, path, body=None):
        request = urllib.request.Request(self.endpoint + path, data=body, method="POST" if body is not None else "GET")
        with urllib.request.urlopen(request) as answer:
            return json.load(answer)

    def reset(self):
        self._call("/_localtrail/reset", b"")

    def events(self, **filter):
        records, after, more = [], -1, True
        while more:
            page = self._call(f"/_localtrail/events?after={after}&limit=10000")
            records += page["records"]
            after, more = page["cursor"], page["more"]
        return [r for r in records if not differences(r, filter)]

    def stop(self):
        self.process.terminate()
        self.process.wait()


def differences(actual, expected, path=""):
    """The fields where a record departs from a partial record: [(path, expected, actual)]."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [(path, expected, actual)]
        return [d for k, v in expected.items() for d in differences(actual.get(k), v, f"{path}.{k}" if path else k)]
    if isinstance(expected, re.Pattern):
        return [] if isinstance(actual, str) and expected.search(actual) else [(path, expected.pattern, actual)]
    return [] if actual == expected else [(path, expected, actual)]


def assert_recorded(trail, times=None, **filter):
    """Asserts the history holds a record (or exactly `times` records) matching a partial record; a failure
    names the nearest records and the fields in which each differs."""
    everything = trail.events()
    found = [r for r in everything if not differences(r, filter)]
    if (times is None and found) or (times is not None and len(found) == times):
        return found
    wanted = "a record" if times is None else f"{times} records"
    lines = [f"expected {wanted} matching {json.dumps(filter, default=str)}, found {len(found)}."]
    nearest = sorted(reversed(everything), key=lambda r: len(differences(r, filter)))[:3]
    for r in nearest:
        lines.append(f"  {r['eventSource'].split('.')[0]}:{r['eventName']} at {r['eventTime']}, eventID {r['eventID']}")
        lines += [f"      {p}: expected {e!r}, received {a!r}" for p, e, a in differences(r, filter)]
    raise AssertionError("\n".join(lines))


def assert_not_recorded(trail, **filter):
    found = [r for r in trail.events() if not differences(r, filter)]
    assert not found, f"expected no record matching {filter}, found {len(found)}: " + ", ".join(r["eventID"] for r in found)
