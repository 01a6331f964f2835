"""EventBridge Scheduler schedules fired on demand.

moto 5.2.5 stores schedules but never runs them, and a nightly schedule cannot be waited
for. `POST /_iackit/scheduler/fire` with `{"name": ..., "group": "default"}` (or
`iackit fire <name> --group <group>`) does now what Scheduler does when the schedule is
due: it takes the target's execution role (which must exist and trust
`scheduler.amazonaws.com`, as Scheduler requires) and sends the target its `Input`:

- a Step Functions state machine: StartExecution (the execution then runs, see
  `patches/stepfunctions.py`);
- a Lambda function: an asynchronous invoke of the deployed function;
- an SQS queue: SendMessage; an EventBridge bus: PutEvents with the target's
  `EventBridgeParameters`.

A target that cannot be reached is not retried here (Scheduler would retry it for up to
`RetryPolicy`'s limits): it goes to the target's dead-letter queue at once, with the
attributes Scheduler sets, and the call answers 502 with the error. A schedule's state
(ENABLED/DISABLED) does not stop an on-demand fire: it is a test of the target, not a clock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


class FireError(Exception):
    """The schedule cannot fire (`status` is the HTTP answer)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Fired:
    schedule_arn: str
    target_arn: str
    result: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"ScheduleArn": self.schedule_arn, "TargetArn": self.target_arn, **self.result}


def _schedule(account: str, region: str, group: str, name: str) -> Any:
    from moto.scheduler.models import scheduler_backends  # noqa: PLC0415

    try:
        return scheduler_backends[account][region].get_schedule(group, name)
    except Exception as missing:
        raise FireError(404, f"Schedule {group}/{name} does not exist.") from missing


def _check_role(account: str, role_arn: str) -> None:
    from moto.iam.models import iam_backends  # noqa: PLC0415

    name = role_arn.rsplit("/", 1)[-1]
    try:
        role = iam_backends[account]["global"].get_role(name)
    except Exception as missing:
        raise RuntimeError(f"The execution role {role_arn} does not exist.") from missing
    if "scheduler.amazonaws.com" not in (role.assume_role_policy_document or ""):
        raise RuntimeError(
            f"The execution role {role_arn} does not allow scheduler.amazonaws.com to assume it."
        )


def _send(account: str, region: str, target: dict[str, Any]) -> dict[str, Any]:
    from iackit.emulator.lambda_runtime import service  # noqa: PLC0415
    from iackit.emulator.patches.stepfunctions import start_execution  # noqa: PLC0415

    arn, payload = str(target["Arn"]), str(target.get("Input") or "{}")
    kind = arn.split(":")[2]
    if kind == "states":
        return {"ExecutionArn": start_execution(arn, payload)}
    if kind == "lambda":
        return {"RequestId": service.invoke_async(service.lambda_function(arn), payload.encode())}
    if kind == "sqs":
        service.deliver(arn, payload, {}, None)
        return {}
    if kind == "events":
        from moto.events.models import events_backends  # noqa: PLC0415

        params = target.get("EventBridgeParameters") or {}
        entry = {
            "EventBusName": arn,
            "Source": params.get("Source", "aws.scheduler"),
            "DetailType": params.get("DetailType", "Scheduled Event"),
            "Detail": payload,
        }
        return dict(events_backends[account][region].put_events([entry])[0])
    raise FireError(400, f"The emulator cannot fire targets of {kind} ({arn}).")


def _dead_letter(schedule: Any, target: dict[str, Any], error: Exception) -> None:
    from iackit.emulator.lambda_runtime import service  # noqa: PLC0415

    dlq = (target.get("DeadLetterConfig") or {}).get("Arn")
    if not dlq:
        return
    attributes = {
        "X-Amz-Scheduler-Schedule-Arn": schedule.arn,
        "X-Amz-Scheduler-Attempt": "1",
        "X-Amz-Scheduler-Error-Code": type(error).__name__,
        "X-Amz-Scheduler-Error-Message": str(error)[:1024],
    }
    service.deliver(
        dlq,
        str(target.get("Input") or ""),
        {k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()},
        None,
    )


def fire(account: str, region: str, group: str, name: str) -> Fired:
    from iackit.emulator.lambda_runtime import log  # noqa: PLC0415

    schedule = _schedule(account, region, group, name)
    target = dict(schedule.target)
    try:
        _check_role(account, str(target.get("RoleArn", "")))
        result = _send(account, region, target)
    except FireError:
        raise
    except Exception as error:
        log(f"schedule {group}/{name}: target {target.get('Arn')} failed: {error}")
        _dead_letter(schedule, target, error)
        raise FireError(502, f"{type(error).__name__}: {error}") from error
    log(f"schedule {group}/{name} fired: {target['Arn']} {json.dumps(result)}")
    return Fired(schedule.arn, str(target["Arn"]), result)
