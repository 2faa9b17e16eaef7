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


@pytest.fixture(scope="session")
def attachment_files(tmp_path_factory) -> dict[str, dict]:
    """Real attachment files made from the seed reports (tests/attachment_files.py), built once
    per session for every test module that needs them (LibreOffice takes seconds)."""
    from attachment_files import build_all

    return build_all(tmp_path_factory.mktemp("attachment-files"))
