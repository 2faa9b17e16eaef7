from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def realpages() -> Path:
    path = SHARED / "realpages"
    if not path.is_dir():
        pytest.skip(f"the shared real pages are not beside the repo ({path})")
    return path
