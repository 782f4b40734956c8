from campaigns.delivery import ratelimit


class Clock:
    def __init__(self, start):
        self.now = start
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_the_sixth_send_in_a_second_waits_for_the_next_one():
    clock = Clock(1000.25)
    for _ in range(5):
        ratelimit.wait_for_turn("http://house", 5, clock=clock, sleep=clock.sleep)
    assert clock.slept == []
    ratelimit.wait_for_turn("http://house", 5, clock=clock, sleep=clock.sleep)
    assert clock.slept == [0.75]


def test_endpoints_have_their_own_budget():
    clock = Clock(2000.5)
    for url in ["http://house", "http://senate"] * 5:
        ratelimit.wait_for_turn(url, 5, clock=clock, sleep=clock.sleep)
    assert clock.slept == []


def test_zero_means_no_limit():
    clock = Clock(3000.0)
    for _ in range(100):
        ratelimit.wait_for_turn("http://house", 0, clock=clock, sleep=clock.sleep)
    assert clock.slept == []
