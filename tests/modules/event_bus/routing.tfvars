# The example with its optional Lambda (notifier) and Step Functions (ranking) targets.
notifier_function_arn     = "arn:aws:lambda:us-east-1:123456789012:function:plan-notifier"
ranking_state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:plan-ranking"
# A closed bus: only the publisher API (client event types) and the pipeline (ranking.*).
publishers = {
  publisher-api = {
    principal_arns = ["arn:aws:iam::123456789012:role/plan-event-publisher-lambda"]
    detail_types   = ["student.enrolled", "student.submitAssignment", "teacher.sendAnnouncement"]
    sources        = ["api.student", "api.assignment", "api.teacher"]
  }
  pipeline = {
    principal_arns = ["arn:aws:iam::123456789012:role/plan-ranking-publish-lambda"]
    detail_types   = ["ranking.updated"]
  }
}
