"""Shared code bundled into every Lambda package of the student event platform.

Zip layout: the function package directory plus this ``student_platform/`` package at the
zip root, so handlers import it as ``from student_platform.catalog import validate_detail``.
"""
