dead_letter_queue = { enabled = false }
