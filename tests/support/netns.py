"""Separate network hosts on one machine: Linux network namespaces on a bridge.

`Network` makes a bridge with an address of its own (the "host", where the
database, Redis and the CWC server listen) and hosts on it, each a namespace
with one veth link and its own address; `run` starts a process on a host,
`kill_host` SIGKILLs everything running there, as a lost machine would.
`close` removes all of it. Needs root and iproute2; `unavailable()` says why
not, for a skip.
"""

import contextlib
import os
import random
import secrets
import shutil
import signal
import subprocess


def unavailable():
    """Why namespaces cannot be made here, or None."""
    if shutil.which("ip") is None:
        return "iproute2 (`ip`) is not installed"
    if os.geteuid() != 0:
        return "making network namespaces needs root"
    return None


def ip(*arguments):
    subprocess.run(["ip", *arguments], check=True, capture_output=True)


class Network:
    def __init__(self):
        # A /24 nobody on this machine routes yet, and names unique to this run.
        routes = subprocess.run(["ip", "route"], capture_output=True, text=True).stdout
        self.tag = secrets.token_hex(2)
        while True:
            self.subnet = f"10.213.{random.randint(1, 254)}"
            if f"{self.subnet}." not in routes:
                break
        self.bridge = f"ctbr{self.tag}"
        self.address = f"{self.subnet}.1"
        self.hosts = {}
        self.addresses = {}
        ip("link", "add", self.bridge, "type", "bridge")
        ip("addr", "add", f"{self.address}/24", "dev", self.bridge)
        ip("link", "set", self.bridge, "up")

    def add_host(self, name):
        """A new host on the bridge; returns its address."""
        number = 10 + len(self.hosts)
        namespace = f"ct{self.tag}{name}"
        outside, inside = f"ctv{self.tag}{number}", f"ctp{self.tag}{number}"
        ip("netns", "add", namespace)
        self.hosts[name] = namespace
        ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        ip("link", "set", inside, "netns", namespace)
        ip("link", "set", outside, "master", self.bridge, "up")
        address = f"{self.subnet}.{number}"
        self.addresses[name] = address
        ip("-n", namespace, "addr", "add", f"{address}/24", "dev", inside)
        ip("-n", namespace, "link", "set", inside, "up")
        ip("-n", namespace, "link", "set", "lo", "up")
        return address

    def address_of(self, host):
        return self.addresses[host]

    def run(self, host, command, **options):
        """Popen of `command` on `host`, in a session of its own."""
        return subprocess.Popen(
            ["ip", "netns", "exec", self.hosts[host], *command],
            start_new_session=True,
            **options,
        )

    def pids(self, host):
        listed = subprocess.run(
            ["ip", "netns", "pids", self.hosts[host]], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in listed.split()]

    def kill_host(self, host):
        """SIGKILL every process on the host: no goodbyes, no acknowledgements."""
        for pid in self.pids(host):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def close(self):
        for host, namespace in self.hosts.items():
            self.kill_host(host)
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)
