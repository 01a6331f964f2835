# Bounces and complaints to the default event bus; no zone, no MAIL FROM domain.
event_destination   = "eventbridge"
create_zone         = false
mail_from_subdomain = null
