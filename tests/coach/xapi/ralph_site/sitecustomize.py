"""Loaded by every Python process of the test's ralph (``PYTHONPATH``), never by ours.

ralph 5.1.0's file-system LRS backend writes each POST into its one statements file with
the ``create`` operation, which refuses a file that exists: the first POST is stored, every
later one answers 500 ("Statements bulk indexation failed"). Its ``append`` operation is
what a development LRS needs; everything else (HTTP, auth, duplicate ids, queries) stays
ralph's own.
"""

try:
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.data.fs import FSDataBackend
except ImportError:  # not ralph's venv
    pass
else:
    FSDataBackend.default_operation_type = BaseOperationType.APPEND
