# The example with its optional Lambda (notifier) and Step Functions (ranking) targets.
notifier_function_arn     = "arn:aws:lambda:us-east-1:123456789012:function:plan-notifier"
ranking_state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:plan-ranking"
