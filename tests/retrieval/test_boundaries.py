"""The libraries never import the service or the web framework."""

import subprocess
import sys


def test_retrieval_and_recommender_do_not_import_coach_or_fastapi() -> None:
    code = (
        "import sys, retrieval, retrieval.loaders, retrieval.index, recommender; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('coach', 'fastapi')]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
