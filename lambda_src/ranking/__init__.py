"""Ranking API: ``GET /ranking/{userId}`` (handler ``ranking.app.lambda_handler``)."""
