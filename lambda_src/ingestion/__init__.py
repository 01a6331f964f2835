"""Writes student.enrolled / student.submitAssignment events to the Interactions table."""
