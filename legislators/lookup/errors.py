class DistrictLookupError(Exception):
    """A backend could not answer. Like healthchecks' TransportError:
    transient ones (timeouts, 5xx, no network) may work on a later try;
    permanent ones (4xx, an answer we cannot read, missing data) will not."""

    def __init__(self, message, permanent=False):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class InvalidQuery(ValueError):
    """The supporter's input cannot be looked up; `errors` maps each field
    (street, city, state, zip, address, lat, lon) to what to fix."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors
