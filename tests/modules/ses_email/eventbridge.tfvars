# Bounces and complaints to the default event bus; no zone, no MAIL FROM domain.
configuration_set   = { event_destination = "eventbridge" }
route53_zone        = { enabled = false }
mail_from_subdomain = null
