"""Emails students on student.enrolled and teacher.sendAnnouncement (SES v2)."""
