"""Work done by several threads at the same moment, as several workers or
requests would do it: for the tests of what the database must keep apart."""

import threading

from django.db import connection


def at_once(*works):
    """Run each callable in a thread of its own, all released together; their
    results, in order. The first exception any of them raised is raised here,
    once all have ended. Each thread closes the database connection it opened."""
    start = threading.Barrier(len(works))
    results = [None] * len(works)
    errors = []

    def run(index, work):
        try:
            start.wait()
            results[index] = work()
        except Exception as error:  # raised below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
