"""Publish step against the emulator: SSM parameter, ranking.updated on the bus, batch index."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ranking.app import Caches, RankingSettings, rank
from student_platform.catalog import validate_event
from tests.unit.ranking import factories as f
from tests.unit.ranking.conftest import offline_client
from training.publish import PublishError, PublishSettings, publish

pytestmark = pytest.mark.unit

CAMPAIGN_ARN = "arn:aws:personalize:us-east-1:123456789012:campaign/dev-sp-student-ranking"
SV_ARN = "arn:aws:personalize:us-east-1:123456789012:solution/dev-sp-student-ranking-x/abcd"
NOW = datetime(2025, 1, 7, 3, 15, tzinfo=UTC)
SETTINGS = PublishSettings(parameter_name=f.RANKING_PARAM, event_bus_name=f.BUS)


@pytest.fixture
def clients(aws: Any) -> dict[str, Any]:
    c = {name: boto3.client(name) for name in ("ssm", "events", "s3", "sqs", "dynamodb")}
    f.create_bucket(c["s3"])
    c["events"].create_event_bus(Name=f.BUS)
    queue = c["sqs"].create_queue(QueueName="ranking-updated")["QueueUrl"]
    arn = c["sqs"].get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    c["events"].put_rule(
        Name="ranking-updated",
        EventBusName=f.BUS,
        EventPattern=json.dumps({"source": ["api.ranking"], "detail-type": ["ranking.updated"]}),
    )
    c["events"].put_targets(
        Rule="ranking-updated",
        EventBusName=f.BUS,
        Targets=[{"Id": "q", "Arn": arn["Attributes"]["QueueArn"]}],
    )
    c["queue"] = queue
    return c


def received_events(clients: dict[str, Any]) -> list[dict[str, Any]]:
    messages = clients["sqs"].receive_message(
        QueueUrl=clients["queue"], MaxNumberOfMessages=10, WaitTimeSeconds=1
    )
    return [json.loads(m["Body"]) for m in messages.get("Messages", [])]


def run_publish(clients: dict[str, Any], deployment: dict[str, Any]) -> dict[str, Any]:
    return publish(
        SETTINGS,
        deployment,
        ssm=clients["ssm"],
        events=clients["events"],
        s3=clients["s3"],
        now=NOW,
    )


def test_campaign_publish_writes_parameter_and_emits_event(clients: dict[str, Any]) -> None:
    deployment = {"mode": "campaign", "campaignArn": CAMPAIGN_ARN, "solutionVersionArn": SV_ARN}

    result = run_publish(clients, deployment)

    stored = clients["ssm"].get_parameter(Name=f.RANKING_PARAM)["Parameter"]
    assert json.loads(stored["Value"]) == {
        "mode": "campaign",
        "campaignArn": CAMPAIGN_ARN,
        "solutionVersionArn": SV_ARN,
        "updatedAt": "2025-01-07T03:15:00Z",
    }
    assert result["parameterVersion"] == stored["Version"] == 1
    events = received_events(clients)
    assert len(events) == 1
    assert events[0]["source"] == "api.ranking"
    assert events[0]["detail-type"] == "ranking.updated"
    assert events[0]["detail"] == {"mode": "campaign", "location": CAMPAIGN_ARN}
    assert events[0]["id"] == result["eventId"]
    validate_event(events[0])  # the catalog's consumer-side schema

    # nightly: the parameter is overwritten, not duplicated
    assert run_publish(clients, deployment)["parameterVersion"] == 2


def test_batch_publish_indexes_output_per_user_for_the_api(clients: dict[str, Any]) -> None:
    output = f"s3://{f.BUCKET}/personalize/batch/output/20250107T020000Z/"
    lines = [
        {
            "input": {"userId": "stu-1"},
            "output": {"recommendedItems": ["c3", "c1"], "scores": [0.7, 0.2]},
            "error": None,
        },
        {"input": {"userId": "stu-2"}, "output": {"recommendedItems": ["c9"], "scores": [0.9]}},
        {"input": {"userId": "stu-3"}, "error": "User not found"},
    ]
    body = "\n".join(json.dumps(line) for line in lines) + "\n"
    key = "personalize/batch/output/20250107T020000Z/users.jsonl.out"
    clients["s3"].put_object(Bucket=f.BUCKET, Key=key, Body=body.encode())
    deployment = {"mode": "batch", "outputUri": output, "solutionVersionArn": SV_ARN}

    result = run_publish(clients, deployment)

    index = f"{output}by-user/"
    assert result["batchIndex"] == {"userIndexUri": index, "users": 2, "errors": 1}
    listed = clients["s3"].list_objects_v2(
        Bucket=f.BUCKET, Prefix=f"{key.rsplit('/', 1)[0]}/by-user/"
    )
    assert sorted(o["Key"].rsplit("/", 1)[1] for o in listed["Contents"]) == [
        "stu-1.json",
        "stu-2.json",
    ]
    value = json.loads(clients["ssm"].get_parameter(Name=f.RANKING_PARAM)["Parameter"]["Value"])
    assert value == {
        "mode": "batch",
        "outputUri": output,
        "solutionVersionArn": SV_ARN,
        "updatedAt": "2025-01-07T03:15:00Z",
        "userIndexUri": index,
    }
    assert [e["detail"] for e in received_events(clients)] == [
        {"mode": "batch", "location": output}
    ]

    # the ranking API serves the indexed entry
    served = serve(clients, "stu-1")
    ranked = [{"itemId": "c3", "score": 0.7}, {"itemId": "c1", "score": 0.2}]
    # `recommendations` is the seed's name for the same list (issue 15.8).
    assert served == {
        "userId": "stu-1",
        "source": "batch",
        "type": None,
        "items": ranked,
        "recommendations": ranked,
    }


def serve(clients: dict[str, Any], user_id: str, item_type: str | None = None) -> dict[str, Any]:
    return rank(
        user_id,
        settings=RankingSettings(parameter_name=f.RANKING_PARAM),
        ssm=clients["ssm"],
        personalize_runtime=None,
        s3=clients["s3"],
        caches=Caches(),
        item_type=item_type,
    )


def test_batch_publish_indexes_each_types_own_job_for_the_api(clients: dict[str, Any]) -> None:
    """Each item type's filtered batch job (deploy.typeJobs) gets its own per-user index, named
    in the parameter's typeUserIndexUris, next to the type filters; ?type=quiz reads it."""
    output = f"s3://{f.BUCKET}/personalize/batch/output/20250107T020000Z"
    for suffix, items in (("", ["c3", "q1"]), ("-quiz", ["q1", "q2"])):
        line = {"input": {"userId": "stu-1"}, "output": {"recommendedItems": items}}
        key = f"personalize/batch/output/20250107T020000Z{suffix}/users.jsonl.out"
        clients["s3"].put_object(Bucket=f.BUCKET, Key=key, Body=json.dumps(line).encode())
    deployment = {
        "mode": "batch",
        "outputUri": f"{output}/",
        "solutionVersionArn": SV_ARN,
        "typeJobs": {"quiz": {"outputUri": f"{output}-quiz/", "jobName": "j"}},
    }
    filters = {"quiz": "arn:f-quiz"}
    result = publish(
        SETTINGS,
        deployment,
        ssm=clients["ssm"],
        events=clients["events"],
        s3=clients["s3"],
        now=NOW,
        type_filters=filters,
    )
    assert result["batchIndex"]["users"] == 1  # the unfiltered output only: types never mix
    assert result["typeBatchIndexes"]["quiz"]["users"] == 1
    value = json.loads(clients["ssm"].get_parameter(Name=f.RANKING_PARAM)["Parameter"]["Value"])
    assert value["typeFilters"] == filters
    assert value["userIndexUri"] == f"{output}/by-user/"
    assert value["typeUserIndexUris"] == {"quiz": f"{output}-quiz/by-user/"}
    assert [i["itemId"] for i in serve(clients, "stu-1")["items"]] == ["c3", "q1"]
    quizzes = serve(clients, "stu-1", "quiz")
    assert (quizzes["source"], quizzes["type"]) == ("batch", "quiz")
    assert [i["itemId"] for i in quizzes["items"]] == ["q1", "q2"]


def test_rejected_event_fails_the_step(clients: dict[str, Any]) -> None:
    events = offline_client("events")
    with Stubber(events) as stub:
        stub.add_response(
            "put_events",
            {
                "FailedEntryCount": 1,
                "Entries": [{"ErrorCode": "InternalFailure", "ErrorMessage": "boom"}],
            },
            {
                "Entries": [
                    {
                        "Source": "api.ranking",
                        "DetailType": "ranking.updated",
                        "Detail": json.dumps(
                            {"mode": "campaign", "location": CAMPAIGN_ARN}, separators=(",", ":")
                        ),
                        "EventBusName": f.BUS,
                    }
                ]
            },
        )
        with pytest.raises(PublishError, match="InternalFailure: boom"):
            publish(
                SETTINGS,
                {"mode": "campaign", "campaignArn": CAMPAIGN_ARN, "solutionVersionArn": SV_ARN},
                ssm=clients["ssm"],
                events=events,
                s3=clients["s3"],
                now=NOW,
            )
        stub.assert_no_pending_responses()
