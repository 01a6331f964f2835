# The example with its optional Lambda (notifier) and Step Functions (ranking) targets.
notifier_function_arn     = "arn:aws:lambda:us-east-1:123456789012:function:plan-notifier"
ranking_state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:plan-ranking"
# A closed bus: only the publisher API (client event types) and the pipeline (ranking.*).
publishers = {
  publisher-api = {
    principal_arns = ["arn:aws:iam::123456789012:role/plan-event-publisher-lambda"]
    events = {
      "api.student"    = ["student.enrolled", "student.registered"]
      "api.assignment" = ["student.submitAssignment"]
      "api.teacher"    = ["teacher.sendAnnouncement"]
    }
  }
  pipeline = {
    principal_arns = ["arn:aws:iam::123456789012:role/plan-ranking-publish-lambda"]
    events         = { "api.ranking" = ["ranking.updated"] }
  }
}
