import pytest


@pytest.fixture
def app_env(monkeypatch, corpus_index, tmp_path):
    """The app pointed at the indexed sample corpus and a data folder of its own."""
    monkeypatch.setenv("REVSOK_INDEX_DIR", str(corpus_index))
    monkeypatch.setenv("REVSOK_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"
