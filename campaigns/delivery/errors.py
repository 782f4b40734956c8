class DeliveryError(Exception):
    """A letter could not be sent through one channel.

    permanent=True means sending the same letter again cannot succeed (the
    office rejected it, the address does not exist): the next channel is
    tried, and the letter fails when none is left. permanent=False means the
    failure is the moment's (a time-out, a 5xx): the letter is retried later.

    answer is what the gateway (CWC, the mail server) said, when it said
    anything: a permanent error with an answer is the gateway refusing this
    message (the letter ends REJECTED), one without is ours (no address, a
    message that breaks the schema: it ends FAILED). channel is the channel
    that raised it, once sending.send knows.
    """

    def __init__(self, message, *, permanent=False, answer="", channel=""):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.answer = answer
        self.channel = channel


class NotNow(Exception):
    """The endpoint may not be sent to yet (a maintenance window, the rate
    limit): the letter waits until `until` without spending an attempt."""

    def __init__(self, until, reason):
        super().__init__(reason)
        self.until = until
        self.reason = reason
