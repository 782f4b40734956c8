class DeliveryError(Exception):
    """A letter could not be sent through one channel.

    permanent=True means sending the same letter again cannot succeed (the
    office rejected it, the address does not exist): the next channel is
    tried, and the letter fails when none is left. permanent=False means the
    failure is the moment's (a time-out, a 5xx): the letter is retried later.
    """

    def __init__(self, message, *, permanent=False):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
