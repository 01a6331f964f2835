"""Nightly Amazon Personalize training pipeline: one Lambda handler per Step Functions step.

Every step is a plain function taking injected boto3 clients (so tests attach
``botocore.stub.Stubber`` or point them at the emulator); the ``*_handler`` functions are
thin wrappers that read the environment, build clients and call them.
"""
