"""The notifier paces its SendEmail calls to its share of the SES sending rate
(``SES_SEND_INTERVAL_MS``, set by modules/student-notifier from ``sending``)."""

from __future__ import annotations

from typing import Any

import pytest

from notifier.notify import (
    ConfigurationError,
    OutgoingEmail,
    Pacer,
    Recipient,
    Settings,
    deliver,
)
from notifier.rendering import RenderedMessage

pytestmark = pytest.mark.unit


class FakeTime:
    """A clock that only moves when slept on (and by the cost of each send)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


class TimedSes:
    """An SES client whose SendEmail takes `cost` seconds of the fake clock."""

    def __init__(self, time: FakeTime, cost: float) -> None:
        self.time, self.cost, self.sent_at = time, cost, []  # type: ignore[var-annotated]

    def send_email(self, **_: Any) -> dict[str, str]:
        self.sent_at.append(round(self.time.now, 6))
        self.time.now += self.cost
        return {"MessageId": f"m{len(self.sent_at)}"}


def emails(count: int) -> list[OutgoingEmail]:
    return [
        OutgoingEmail(Recipient(f"S{i}", f"s{i}@example.com"), RenderedMessage("s", "b"))
        for i in range(count)
    ]


@pytest.mark.parametrize(
    ("interval", "cost", "expected_starts"),
    [
        (1.0, 0.1, [100.0, 101.0, 102.0, 103.0]),  # sandbox: 1 email/s
        (0.25, 0.1, [100.0, 100.25, 100.5, 100.75]),
        (0.05, 0.1, [100.0, 100.1, 100.2, 100.3]),  # SES slower than the pace: no waits
        (0.0, 0.1, [100.0, 100.1, 100.2, 100.3]),  # not paced
    ],
)
def test_sends_are_spaced_by_the_interval(
    interval: float, cost: float, expected_starts: list[float]
) -> None:
    time = FakeTime()
    ses = TimedSes(time, cost)
    settings = Settings(sender="no-reply@example.com", send_interval=interval)

    outcome = deliver(
        emails(4),
        ses=ses,
        settings=settings,
        ledger=None,
        event_id="e1",
        pacer=Pacer(settings.send_interval, time.clock, time.sleep),
    )

    assert outcome.message_ids == ["m1", "m2", "m3", "m4"]
    assert ses.sent_at == expected_starts


def test_the_first_send_never_waits() -> None:
    time = FakeTime()
    pacer = Pacer(5.0, time.clock, time.sleep)

    pacer.wait()

    assert time.slept == []


@pytest.mark.parametrize(("raw", "seconds"), [(None, 0.0), ("", 0.0), ("1000", 1.0), ("72", 0.072)])
def test_the_interval_comes_from_the_environment(raw: str | None, seconds: float) -> None:
    environ = {"SENDER_EMAIL": "no-reply@example.com"}
    if raw is not None:
        environ["SES_SEND_INTERVAL_MS"] = raw

    assert Settings.from_env(environ).send_interval == seconds


@pytest.mark.parametrize("raw", ["-5", "1.5", "١٠٠", "fast"])
def test_a_bad_interval_is_a_configuration_error(raw: str) -> None:
    environ = {"SENDER_EMAIL": "no-reply@example.com", "SES_SEND_INTERVAL_MS": raw}

    with pytest.raises(ConfigurationError, match="SES_SEND_INTERVAL_MS"):
        Settings.from_env(environ)
