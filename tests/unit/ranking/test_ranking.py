"""The ranking API: Personalize (Stubber on personalize-runtime), batch output, popularity
fallback (the published popularity object in the emulator's S3), item types, input
validation."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iackit.lambda_events import http_request
from ranking import app
from ranking.app import Caches, RankingSettings, TtlCache, rank
from tests.unit.ranking import factories as f

pytestmark = pytest.mark.unit

CAMPAIGN_ARN = "arn:aws:personalize:us-east-1:123456789012:campaign/dev-sp-student-ranking"
SV_ARN = "arn:aws:personalize:us-east-1:123456789012:solution/s/1"
POPULARITY_KEY = "personalize/batch/popularity/current.json"
SETTINGS = RankingSettings(
    parameter_name=f.RANKING_PARAM, popularity_bucket=f.BUCKET, popularity_key=POPULARITY_KEY
)
QUIZ_FILTER = "arn:aws:personalize:us-east-1:123456789012:filter/dev-sp-student-ranking-type-quiz"


def ranking(*counts: tuple[str, int]) -> dict[str, Any]:
    return {
        "interactions": sum(c for _, c in counts),
        "items": [{"itemId": i, "count": c} for i, c in counts],
    }


# What the pipeline's Export step publishes (training/popularity.py): 6 x class-a,
# 4 x class-b, 3 x class-c, 1 x class-d (14 interactions) plus 2 quizzes.
POPULARITY_DOCUMENT = {
    "runId": "20250107T020000Z",
    "updatedAt": "2025-01-07T02:00:05Z",
    "rankings": {
        "all": ranking(("class-a", 6), ("class-b", 4), ("class-c", 3), ("class-d", 1)),
        "class": ranking(("class-a", 6), ("class-b", 4)),
        "material": ranking(),
        "quiz": ranking(("class-c", 3), ("class-d", 1)),
    },
}


def publish_popularity(s3: Any, document: Any = POPULARITY_DOCUMENT) -> None:
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    s3.put_object(Bucket=f.BUCKET, Key=POPULARITY_KEY, Body=body)


@pytest.fixture
def emulator(aws: Any) -> dict[str, Any]:
    clients = {name: boto3.client(name) for name in ("s3", "ssm")}
    f.create_bucket(clients["s3"])
    publish_popularity(clients["s3"])
    return clients


def publish_campaign(ssm: Any, **extra: Any) -> None:
    value = {
        "mode": "campaign",
        "campaignArn": CAMPAIGN_ARN,
        "solutionVersionArn": SV_ARN,
        "updatedAt": "2025-01-07T03:00:00Z",
        **extra,
    }
    ssm.put_parameter(Name=f.RANKING_PARAM, Type="String", Value=json.dumps(value), Overwrite=True)


def call_rank(
    clients: dict[str, Any],
    runtime: Any,
    user_id: str = "stu-1",
    num_results: int | None = None,
    settings: RankingSettings = SETTINGS,
    **kwargs: Any,
) -> dict[str, Any]:
    return rank(
        user_id,
        num_results,
        settings=settings,
        ssm=clients["ssm"],
        personalize_runtime=runtime,
        s3=clients["s3"],
        caches=kwargs.pop("caches", Caches()),
        **kwargs,
    )


POPULAR = [
    {"itemId": "class-a", "score": round(6 / 14, 6)},
    {"itemId": "class-b", "score": round(4 / 14, 6)},
    {"itemId": "class-c", "score": round(3 / 14, 6)},
    {"itemId": "class-d", "score": round(1 / 14, 6)},
]


def test_campaign_mode_answers_from_personalize(
    emulator: dict[str, Any], personalize_runtime: tuple[Any, Stubber]
) -> None:
    runtime, stub = personalize_runtime
    publish_campaign(emulator["ssm"])
    stub.add_response(
        "get_recommendations",
        {"itemList": [{"itemId": "class-9", "score": 0.61}, {"itemId": "class-4", "score": 0.2}]},
        {"campaignArn": CAMPAIGN_ARN, "userId": "stu-1", "numResults": 5},
    )

    body = call_rank(emulator, runtime, num_results=5)

    assert body == {
        "userId": "stu-1",
        "source": "personalize",
        "type": None,
        "items": [{"itemId": "class-9", "score": 0.61}, {"itemId": "class-4", "score": 0.2}],
        "recommendations": [
            {"itemId": "class-9", "score": 0.61},
            {"itemId": "class-4", "score": 0.2},
        ],
    }
    stub.assert_no_pending_responses()


def test_default_num_results_is_the_fallback_limit(
    emulator: dict[str, Any], personalize_runtime: tuple[Any, Stubber]
) -> None:
    runtime, stub = personalize_runtime
    publish_campaign(emulator["ssm"])
    stub.add_response(
        "get_recommendations",
        {"itemList": [{"itemId": "class-9"}]},
        {"campaignArn": CAMPAIGN_ARN, "userId": "stu-1", "numResults": 10},
    )
    assert call_rank(emulator, runtime)["items"] == [{"itemId": "class-9"}]
    stub.assert_no_pending_responses()


def test_personalized_ranking_ranks_popular_candidates(
    emulator: dict[str, Any], personalize_runtime: tuple[Any, Stubber]
) -> None:
    runtime, stub = personalize_runtime
    publish_campaign(emulator["ssm"])
    settings = RankingSettings(
        parameter_name=f.RANKING_PARAM,
        popularity_bucket=f.BUCKET,
        popularity_key=POPULARITY_KEY,
        personalized_ranking=True,
        candidates_limit=3,
    )
    stub.add_response(
        "get_personalized_ranking",
        {
            "personalizedRanking": [
                {"itemId": "class-c", "score": 0.5},
                {"itemId": "class-a", "score": 0.3},
                {"itemId": "class-b", "score": 0.2},
            ]
        },
        {
            "campaignArn": CAMPAIGN_ARN,
            "userId": "stu-1",
            "inputList": ["class-a", "class-b", "class-c"],
        },
    )
    body = call_rank(emulator, runtime, num_results=2, settings=settings)
    assert body["source"] == "personalize"
    assert body["items"] == [
        {"itemId": "class-c", "score": 0.5},
        {"itemId": "class-a", "score": 0.3},
    ]
    # explicit candidates are sent as given
    stub.add_response(
        "get_personalized_ranking",
        {"personalizedRanking": [{"itemId": "x2"}, {"itemId": "x1"}]},
        {"campaignArn": CAMPAIGN_ARN, "userId": "stu-1", "inputList": ["x1", "x2"]},
    )
    body = call_rank(emulator, runtime, settings=settings, candidates=["x1", "x2"])
    assert [i["itemId"] for i in body["items"]] == ["x2", "x1"]
    stub.assert_no_pending_responses()


def test_fallback_when_no_ranking_is_published(emulator: dict[str, Any]) -> None:
    runtime = boto3.client("personalize-runtime")
    with Stubber(runtime) as stub:  # any Personalize call would fail the test
        body = call_rank(emulator, runtime)
        stub.assert_no_pending_responses()
    assert body == {
        "userId": "stu-1",
        "source": "fallback-popularity",
        "type": None,
        "items": POPULAR,
        "recommendations": POPULAR,
        "reason": "no ranking published yet",
    }


def test_fallback_on_personalize_error(
    emulator: dict[str, Any], personalize_runtime: tuple[Any, Stubber]
) -> None:
    runtime, stub = personalize_runtime
    publish_campaign(emulator["ssm"])
    stub.add_client_error(
        "get_recommendations",
        service_error_code="ResourceNotFoundException",
        service_message="Campaign not found",
        http_status_code=404,
        expected_params={"campaignArn": CAMPAIGN_ARN, "userId": "stu-1", "numResults": 2},
    )
    body = call_rank(emulator, runtime, num_results=2)
    assert body == {
        "userId": "stu-1",
        "source": "fallback-popularity",
        "type": None,
        "items": POPULAR[:2],
        "recommendations": POPULAR[:2],
        "reason": "personalize error: ResourceNotFoundException",
    }
    stub.assert_no_pending_responses()


def test_fallback_on_invalid_parameter(emulator: dict[str, Any]) -> None:
    emulator["ssm"].put_parameter(Name=f.RANKING_PARAM, Type="String", Value='{"mode": "campaign"}')
    body = call_rank(emulator, None, num_results=1)
    assert body["source"] == "fallback-popularity"
    assert body["items"] == POPULAR[:1]
    assert body["reason"] == "invalid ranking parameter: mode campaign without campaignArn"


def test_batch_mode_reads_the_users_entry(emulator: dict[str, Any]) -> None:
    index = "personalize/batch/output/20250107T020000Z/by-user/"
    emulator["ssm"].put_parameter(
        Name=f.RANKING_PARAM,
        Type="String",
        Value=json.dumps(
            {
                "mode": "batch",
                "outputUri": f"s3://{f.BUCKET}/personalize/batch/output/20250107T020000Z/",
                "userIndexUri": f"s3://{f.BUCKET}/{index}",
                "solutionVersionArn": SV_ARN,
            }
        ),
    )
    entry = {
        "userId": "stu-7",
        "items": [{"itemId": f"class-{i}", "score": 1 / (i + 1)} for i in range(5)],
    }
    emulator["s3"].put_object(Bucket=f.BUCKET, Key=f"{index}stu-7.json", Body=json.dumps(entry))

    body = call_rank(emulator, None, user_id="stu-7", num_results=3)
    assert body == {
        "userId": "stu-7",
        "source": "batch",
        "type": None,
        "items": entry["items"][:3],
        "recommendations": entry["items"][:3],
    }

    missing = call_rank(emulator, None, user_id="stu-8", num_results=3)
    assert missing["source"] == "fallback-popularity"
    assert missing["reason"] == "user not in batch output"
    assert missing["items"] == POPULAR[:3]


def test_parameter_is_cached_with_a_ttl(
    emulator: dict[str, Any], personalize_runtime: tuple[Any, Stubber]
) -> None:
    runtime, stub = personalize_runtime
    now = [1000.0]
    caches = Caches(parameter=TtlCache(60.0, clock=lambda: now[0]))
    # 1st call: no parameter (cached as "none"), fallback
    assert call_rank(emulator, runtime, caches=caches)["source"] == "fallback-popularity"
    publish_campaign(emulator["ssm"])
    now[0] += 30  # still cached: no SSM read, no Personalize call
    assert call_rank(emulator, runtime, caches=caches)["reason"] == "no ranking published yet"
    now[0] += 31  # expired: reads the new parameter
    stub.add_response(
        "get_recommendations",
        {"itemList": [{"itemId": "class-9"}]},
        {"campaignArn": CAMPAIGN_ARN, "userId": "stu-1", "numResults": 10},
    )
    assert call_rank(emulator, runtime, caches=caches)["source"] == "personalize"
    stub.assert_no_pending_responses()


# --- item types (?type=) and the published popularity ----------------------------------------


def test_campaign_mode_asks_personalize_with_the_types_filter(
    emulator: dict[str, Any], personalize_runtime: tuple[Any, Stubber]
) -> None:
    runtime, stub = personalize_runtime
    publish_campaign(emulator["ssm"], typeFilters={"quiz": QUIZ_FILTER})
    stub.add_response(
        "get_recommendations",
        {"itemList": [{"itemId": "C01-Q1", "score": 0.7}]},
        {"campaignArn": CAMPAIGN_ARN, "userId": "stu-1", "numResults": 3, "filterArn": QUIZ_FILTER},
    )
    body = call_rank(emulator, runtime, num_results=3, item_type="quiz")
    assert (body["source"], body["type"], body["items"]) == (
        "personalize",
        "quiz",
        [{"itemId": "C01-Q1", "score": 0.7}],
    )
    stub.assert_no_pending_responses()


@pytest.mark.parametrize(
    "published",
    [
        pytest.param({"typeFilters": {"class": "arn:f-class"}}, id="other types only"),
        pytest.param({}, id="no typeFilters (a parameter from before the type filters)"),
    ],
)
def test_a_type_without_a_published_filter_serves_the_types_popularity(
    published: dict[str, Any], emulator: dict[str, Any]
) -> None:
    publish_campaign(emulator["ssm"], **published)
    runtime = boto3.client("personalize-runtime")
    with Stubber(runtime) as stub:  # no Personalize call: it would mix the types
        body = call_rank(emulator, runtime, item_type="quiz")
        stub.assert_no_pending_responses()
    assert body == {
        "userId": "stu-1",
        "source": "fallback-popularity",
        "type": "quiz",
        "items": [{"itemId": "class-c", "score": 0.75}, {"itemId": "class-d", "score": 0.25}],
        "recommendations": [
            {"itemId": "class-c", "score": 0.75},
            {"itemId": "class-d", "score": 0.25},
        ],
        "reason": "no filter published for type quiz",
    }


def test_personalized_ranking_ranks_the_types_popular_candidates_with_its_filter(
    emulator: dict[str, Any], personalize_runtime: tuple[Any, Stubber]
) -> None:
    runtime, stub = personalize_runtime
    publish_campaign(emulator["ssm"], typeFilters={"quiz": QUIZ_FILTER})
    settings = RankingSettings(
        parameter_name=f.RANKING_PARAM,
        popularity_bucket=f.BUCKET,
        popularity_key=POPULARITY_KEY,
        personalized_ranking=True,
    )
    stub.add_response(
        "get_personalized_ranking",
        {"personalizedRanking": [{"itemId": "class-d"}, {"itemId": "class-c"}]},
        {
            "campaignArn": CAMPAIGN_ARN,
            "userId": "stu-1",
            "inputList": ["class-c", "class-d"],
            "filterArn": QUIZ_FILTER,
        },
    )
    body = call_rank(emulator, runtime, settings=settings, item_type="quiz")
    assert [i["itemId"] for i in body["items"]] == ["class-d", "class-c"]
    assert body["type"] == "quiz"
    stub.assert_no_pending_responses()


def test_batch_mode_reads_the_index_of_the_types_own_batch_job(emulator: dict[str, Any]) -> None:
    output = f"s3://{f.BUCKET}/personalize/batch/output/20250107T020000Z"
    emulator["ssm"].put_parameter(
        Name=f.RANKING_PARAM,
        Type="String",
        Value=json.dumps(
            {
                "mode": "batch",
                "outputUri": f"{output}/",
                "userIndexUri": f"{output}/by-user/",
                "typeUserIndexUris": {"quiz": f"{output}-quiz/by-user/"},
                "solutionVersionArn": SV_ARN,
            }
        ),
    )
    quizzes = {"userId": "stu-7", "items": [{"itemId": "C01-Q1", "score": 0.5}]}
    emulator["s3"].put_object(
        Bucket=f.BUCKET,
        Key="personalize/batch/output/20250107T020000Z-quiz/by-user/stu-7.json",
        Body=json.dumps(quizzes),
    )
    body = call_rank(emulator, None, user_id="stu-7", item_type="quiz")
    assert (body["source"], body["type"], body["items"]) == ("batch", "quiz", quizzes["items"])
    # no batch output of that type: its popularity (none published for materials yet)
    body = call_rank(emulator, None, user_id="stu-7", item_type="material")
    assert (body["source"], body["type"], body["items"]) == ("fallback-popularity", "material", [])
    assert body["reason"] == "no batch output published for type material"


def test_no_popularity_published_yet_is_an_empty_answer_with_the_reason(
    emulator: dict[str, Any],
) -> None:
    emulator["s3"].delete_object(Bucket=f.BUCKET, Key=POPULARITY_KEY)
    body = call_rank(emulator, None)
    assert body == {
        "userId": "stu-1",
        "source": "fallback-popularity",
        "type": None,
        "items": [],
        "recommendations": [],
        "reason": "no ranking published yet; no popularity published yet",
    }


def test_a_corrupt_popularity_object_is_an_empty_answer_with_the_reason(
    emulator: dict[str, Any],
) -> None:
    publish_popularity(emulator["s3"], {"rankings": {"all": {"items": [{"itemId": 7}]}}})
    body = call_rank(emulator, None)
    assert body["items"] == []
    assert body["reason"] == (
        "no ranking published yet; invalid popularity object: rankings.all has an invalid item"
    )


def test_no_popularity_configured_is_an_empty_answer_with_the_reason(
    emulator: dict[str, Any],
) -> None:
    body = call_rank(emulator, None, settings=RankingSettings(parameter_name=f.RANKING_PARAM))
    assert body["items"] == []
    assert body["reason"] == "no ranking published yet; no popularity object configured"


def test_popularity_is_one_cached_get_object(emulator: dict[str, Any]) -> None:
    now = [1000.0]
    caches = Caches(popularity=TtlCache(300.0, clock=lambda: now[0]))
    assert call_rank(emulator, None, caches=caches)["items"] == POPULAR[:10]
    emulator["s3"].delete_object(Bucket=f.BUCKET, Key=POPULARITY_KEY)
    now[0] += 299  # cached: the deleted object is not read again
    assert call_rank(emulator, None, caches=caches)["items"] == POPULAR[:10]
    now[0] += 2  # expired: read again, now missing
    assert call_rank(emulator, None, caches=caches)["items"] == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ({"typeFilters": ["arn:f"]}, "typeFilters must map item types to strings"),
        ({"typeFilters": {"quiz": 7}}, "typeFilters must map item types to strings"),
        ({"typeFilters": {"quiz": ""}}, "typeFilters must map item types to strings"),
        ({"typeUserIndexUris": "s3://b/k"}, "typeUserIndexUris must map item types to strings"),
    ],
)
def test_invalid_type_maps_in_the_parameter_fall_back(
    value: dict[str, Any], reason: str, emulator: dict[str, Any]
) -> None:
    publish_campaign(emulator["ssm"], **value)
    body = call_rank(emulator, None, item_type="quiz")
    assert body["source"] == "fallback-popularity"
    assert body["reason"] == f"invalid ranking parameter: {reason}"
    assert [i["itemId"] for i in body["items"]] == ["class-c", "class-d"]


def test_the_parameter_without_type_maps_parses_to_empty_maps() -> None:
    config = app.RankingConfig.parse(json.dumps({"mode": "campaign", "campaignArn": CAMPAIGN_ARN}))
    assert config is not None
    assert (config.type_filters, config.type_user_index_uris) == ({}, {})


# --- the HTTP handler ----------------------------------------------------------------------


def http_event(user_id: str | None, query: dict[str, str] | None = None) -> dict[str, Any]:
    path_parameters = None if user_id is None else {"userId": user_id}
    return http_request("GET", "/ranking/{userId}", path_parameters, query=query)


@pytest.fixture
def handler_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RANKING_PARAMETER_NAME", f.RANKING_PARAM)
    monkeypatch.setenv("POPULARITY_BUCKET", f.BUCKET)
    monkeypatch.setenv("POPULARITY_KEY", POPULARITY_KEY)
    monkeypatch.setenv("FALLBACK_LIMIT", "3")
    app.CACHES.clear()


@pytest.mark.parametrize("user_id", ["a/b", "x" * 65, "stu 1", "stü", "../etc", "a.b", None])
def test_bad_user_id_is_400_naming_user_id(
    user_id: str | None, handler_env: None, lambda_context: Any
) -> None:
    response = app.lambda_handler(http_event(user_id), lambda_context)
    assert response["statusCode"] == 400
    body = json.loads(response["body"])
    assert body["field"] == "userId"
    assert "userId" in body["error"]


@pytest.mark.parametrize("value", ["0", "101", "abc", "-1", "1.5", ""])
def test_bad_num_results_is_400(value: str, handler_env: None, lambda_context: Any) -> None:
    response = app.lambda_handler(http_event("stu-1", {"numResults": value}), lambda_context)
    assert response["statusCode"] == 400
    assert json.loads(response["body"])["field"] == "numResults"


@pytest.mark.parametrize(
    "value", ["Quiz", "quiz ", " quiz", "quiz,class", "", "all", "quiz\n", "quizzes", "classes"]
)
def test_bad_type_is_400_naming_type(value: str, handler_env: None, lambda_context: Any) -> None:
    response = app.lambda_handler(http_event("stu-1", {"type": value}), lambda_context)
    assert response["statusCode"] == 400
    assert json.loads(response["body"]) == {
        "error": "type must be one of class, material, quiz",
        "field": "type",
    }


@pytest.mark.parametrize("value", ["class", "material", "quiz"])
def test_each_known_type_is_served_and_named_in_the_answer(
    value: str, emulator: dict[str, Any], handler_env: None, lambda_context: Any
) -> None:
    response = app.lambda_handler(http_event("stu-1", {"type": value}), lambda_context)
    assert response["statusCode"] == 200
    body = json.loads(response["body"])
    assert (body["type"], body["source"]) == (value, "fallback-popularity")
    expected = POPULARITY_DOCUMENT["rankings"][value]["items"][:3]  # type: ignore[index]
    assert [i["itemId"] for i in body["items"]] == [i["itemId"] for i in expected]


def test_handler_serves_the_fallback_over_http(
    emulator: dict[str, Any], handler_env: None, lambda_context: Any
) -> None:
    response = app.lambda_handler(http_event("stu_1-X"), lambda_context)
    assert response["statusCode"] == 200
    assert response["headers"]["Content-Type"].startswith("application/json")
    assert (
        json.loads(response["body"])
        == {
            "userId": "stu_1-X",
            "source": "fallback-popularity",
            "type": None,
            "items": POPULAR[:3],  # FALLBACK_LIMIT=3
            "recommendations": POPULAR[:3],  # the seed's field name, same list
            "reason": "no ranking published yet",
        }
    )
    response = app.lambda_handler(http_event("stu-1", {"numResults": "100"}), lambda_context)
    assert len(json.loads(response["body"])["items"]) == 4


def test_handler_uses_personalize_runtime(
    emulator: dict[str, Any],
    handler_env: None,
    lambda_context: Any,
    personalize_runtime: tuple[Any, Stubber],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runtime, stub = personalize_runtime
    monkeypatch.setattr(app, "personalize_runtime_client", lambda: runtime)
    publish_campaign(emulator["ssm"])
    stub.add_response(
        "get_recommendations",
        {"itemList": [{"itemId": "class-2", "score": 0.9}]},
        {"campaignArn": CAMPAIGN_ARN, "userId": "stu-42", "numResults": 7},
    )
    response = app.lambda_handler(http_event("stu-42", {"numResults": "7"}), lambda_context)
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {
        "userId": "stu-42",
        "source": "personalize",
        "type": None,
        "items": [{"itemId": "class-2", "score": 0.9}],
        "recommendations": [{"itemId": "class-2", "score": 0.9}],
    }
    stub.assert_no_pending_responses()


def test_handler_is_503_when_the_popularity_object_cannot_be_read(
    aws: Any, handler_env: None, lambda_context: Any
) -> None:
    # no data bucket in the emulator: GetObject fails with NoSuchBucket (not a missing key)
    response = app.lambda_handler(http_event("stu-1"), lambda_context)
    assert response["statusCode"] == 503
    assert json.loads(response["body"]) == {"error": "ranking unavailable"}


def test_fallback_before_the_first_training_run(emulator: dict[str, Any]) -> None:
    # The ranking-pipeline module creates the parameter with this value.
    emulator["ssm"].put_parameter(Name=f.RANKING_PARAM, Type="String", Value='{"mode": "none"}')
    runtime = boto3.client("personalize-runtime")
    with Stubber(runtime) as stub:  # any Personalize call would fail the test
        body = call_rank(emulator, runtime)
        stub.assert_no_pending_responses()
    assert body["source"] == "fallback-popularity"
    assert body["reason"] == "no ranking published yet"


# --- hostile and unlucky input (issue 16) ---------------------------------------------------

RANKING_TABLE: list[tuple[str, str | None, dict[str, str] | None, tuple[int, str | None]]] = [
    ("userId 'S1\\n' (was read as an S3 key)", "S1\n", None, (400, "userId")),
    ("userId with a NUL", "S1\x00", None, (400, "userId")),
    ("userId of Arabic-Indic digits", "١٢٣", None, (400, "userId")),
    ("userId of fullwidth letters", "ＳＴＵ", None, (400, "userId")),
    ("userId 65 chars", "s" * 65, None, (400, "userId")),
    ("userId empty: no route", "", None, (404, "path")),
    ("userId 5,000 digits", "9" * 5000, None, (400, "userId")),
    ("numResults superscript two", "stu-1", {"numResults": "²"}, (400, "numResults")),
    ("numResults Arabic-Indic three", "stu-1", {"numResults": "٣"}, (400, "numResults")),
    ("numResults 5,000 digits", "stu-1", {"numResults": "9" * 5000}, (400, "numResults")),
    ("numResults with a plus", "stu-1", {"numResults": "+5"}, (400, "numResults")),
    ("numResults with a space", "stu-1", {"numResults": " 5"}, (400, "numResults")),
    ("numResults with a newline", "stu-1", {"numResults": "5\n"}, (400, "numResults")),
    ("numResults leading zeros", "stu-1", {"numResults": "007"}, (200, None)),
    ("itemIds ' a\\n' (spaces around ids are trimmed)", "stu-1", {"itemIds": " a\n"}, (200, None)),
    ("itemIds with a NUL", "stu-1", {"itemIds": "a\x00b"}, (400, "itemIds")),
    (
        "itemIds 501 ids",
        "stu-1",
        {"itemIds": ",".join(f"c{i}" for i in range(501))},
        (400, "itemIds"),
    ),
    ("itemIds 1 MB", "stu-1", {"itemIds": "a" * 1_000_000}, (400, "itemIds")),
    ("itemIds only commas", "stu-1", {"itemIds": ",,,"}, (400, "itemIds")),
    ("unknown query parameter ignored", "stu-1", {"evil": "[" * 10_000}, (200, None)),
    ("type of another case", "stu-1", {"type": "QUIZ"}, (400, "type")),
    ("type repeated (comma-joined by API Gateway)", "stu-1", {"type": "quiz,quiz"}, (400, "type")),
    ("type 1 MB", "stu-1", {"type": "q" * 1_000_000}, (400, "type")),
    ("type with a NUL", "stu-1", {"type": "quiz\x00"}, (400, "type")),
    ("type of fullwidth letters", "stu-1", {"type": "ｑｕｉｚ"}, (400, "type")),
]


@pytest.mark.parametrize("case", [pytest.param(c[1:], id=c[0]) for c in RANKING_TABLE])
def test_ranking_adversarial_table(
    case: tuple[str | None, dict[str, str] | None, tuple[int, str | None]],
    emulator: dict[str, Any],
    handler_env: None,
    lambda_context: Any,
) -> None:
    user_id, query, expected = case
    response = app.lambda_handler(http_event(user_id, query), lambda_context)

    body = json.loads(response["body"])
    assert (response["statusCode"], body.get("field")) == expected, body
    if expected[0] == 400:
        assert expected[1] in body["error"]


def test_event_shape_oddities_are_400_not_500(
    emulator: dict[str, Any], handler_env: None, lambda_context: Any
) -> None:
    for odd in (
        {**http_event("stu-1"), "pathParameters": ["stu-1"]},
        {**http_event("stu-1"), "pathParameters": {"userId": 12}},
    ):
        assert app.lambda_handler(odd, lambda_context)["statusCode"] == 400
    shaped = {**http_event("stu-1"), "queryStringParameters": "numResults=5"}
    assert app.lambda_handler(shaped, lambda_context)["statusCode"] == 200


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    user_id=st.none()
    | st.text(max_size=70)
    | st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True),
    query=st.none()
    | st.dictionaries(
        st.sampled_from(["numResults", "itemIds", "type", "x"]) | st.text(max_size=10),
        st.text(max_size=40) | st.integers(-5, 200).map(str),
        max_size=3,
    ),
)
def test_ranking_never_answers_5xx_to_generated_requests(
    user_id: str | None,
    query: dict[str, str] | None,
    emulator: dict[str, Any],
    handler_env: None,
    lambda_context: Any,
) -> None:
    response = app.lambda_handler(http_event(user_id, query), lambda_context)

    body = json.loads(response["body"])
    assert response["statusCode"] in (200, 400, 404), body
    if response["statusCode"] == 404:  # an empty userId: no route (as API Gateway)
        assert (user_id, body["field"]) == ("", "path")
    elif response["statusCode"] == 400:
        assert body["field"] in ("userId", "numResults", "itemIds", "type")
    else:
        assert body["recommendations"] == body["items"]
