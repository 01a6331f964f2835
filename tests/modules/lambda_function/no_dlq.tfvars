dead_letter_queue_enabled = false
