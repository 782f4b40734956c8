class ApiError(Exception):
    """A 4xx answer with a message that says what to change."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message
