"""POST /events/{type}: validate against the event catalog and publish to EventBridge."""
