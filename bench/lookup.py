"""By hand, not a test: district lookup latency, in process, on PostgreSQL
and the Redis cache, against the round trips it cannot avoid.

    .venv/bin/python bench/lookup.py [--calls 2000] [--rounds 5]

- ZIP table: find_representation(...) with DISTRICT_LOOKUP_BACKENDS=zipcode
  over single-district ZIPs across the country (two queries: the ZIP's
  districts, then the members).
- Cached address: find_representation(...) for a street address whose Census
  answer is in the cache (the recorded Census response in LOCAL_DATA_DIR,
  parsed and cached once): the cache read, then the members query. Target:
  under 1 ms.
- Baselines, same run: a `SELECT 1` round trip through Django, and a cache
  read (Redis GET) of the same kind of key.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import stack

CENSUS_RESPONSE = "census-geocoder/census_geographies_onelineaddress_4600-silver-hill-rd_cd111.json"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    with stack.Stack(reset=False):
        from django.conf import settings
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import override_settings

        from legislators.lookup import Status, find_representation

        zips = [state["supporter"] for state in stack.lookup_states(200)]
        address = {"line": "4600 Silver Hill Rd, Washington, DC 20233"}
        recorded = json.loads((settings.LOCAL_DATA_DIR / CENSUS_RESPONSE).read_text())
        with (
            override_settings(DISTRICT_LOOKUP_BACKENDS=["census"]),
            mock.patch("legislators.lookup.census.get_json", return_value=recorded),
        ):
            first = find_representation(**address)  # parsed once, then cached
        assert first.status in (Status.OK, Status.AMBIGUOUS), first.message
        cache.set("bench:probe", "x")

        def select_one():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")

        def zip_lookup(i):
            s = zips[i % len(zips)]
            found = find_representation(
                street=s["street"], city=s["city"], state=s["state"], zip_code=s["zip_code"]
            )
            assert found.status == Status.OK

        def cached_address(i):
            with mock.patch("legislators.lookup.census.get_json", side_effect=AssertionError):
                assert find_representation(**address).status == first.status

        cases = {
            "baseline SELECT 1": lambda i: select_one(),
            "baseline cache GET": lambda i: cache.get("bench:probe"),
            "ZIP table lookup": zip_lookup,
        }
        results = {"machine": stack.machine(), "args": vars(args), "rounds": []}
        with override_settings(DISTRICT_LOOKUP_BACKENDS=["zipcode"]):
            for case in cases.values():
                for i in range(100):
                    case(i)  # warm up
            for _ in range(args.rounds):
                results["rounds"].append({n: timed(c, args.calls) for n, c in cases.items()})
        with override_settings(DISTRICT_LOOKUP_BACKENDS=["census"]):
            for i in range(100):
                cached_address(i)
            for row in results["rounds"]:
                row["cached address lookup"] = timed(cached_address, args.calls)

        summary = {}
        for name in results["rounds"][0]:
            for q in ("p50", "p99"):
                summary[f"{name} {q} ms"] = stack.spread(r[name][q] for r in results["rounds"])
        for name in ("ZIP table lookup", "cached address lookup"):
            summary[f"{name} p50 / SELECT 1 p50"] = stack.spread(
                r[name]["p50"] / r["baseline SELECT 1"]["p50"] for r in results["rounds"]
            )
        results["summary"] = summary
        stack.save("lookup", results)
        for name, value in summary.items():
            print(f"{name:<45} median {value['median']:7.3f}  "
                  f"min {value['min']:7.3f}  max {value['max']:7.3f}")  # fmt: skip


def timed(function, calls):
    durations = []
    for i in range(calls):
        started = time.perf_counter()
        function(i)
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return {
        "p50": statistics.median(durations),
        "p90": durations[int(calls * 0.9)],
        "p99": durations[int(calls * 0.99)],
        "max": durations[-1],
    }


if __name__ == "__main__":
    main()
