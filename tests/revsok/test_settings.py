from pathlib import Path

import pytest

from revsok.settings import Settings, load_settings, setting_help

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_documented_in_readme():
    readme = README.read_text(encoding="utf-8")
    for name in setting_help():
        assert f"`{name}`" in readme, f"inställningen {name} saknas i README"
        assert f"REVSOK_{name.upper()}" in readme


def test_environment_overrides_defaults():
    settings = load_settings({"REVSOK_CHUNK_SIZE": "200", "REVSOK_MASK_PERSONAL_NUMBERS": "nej"})
    assert settings.chunk_size == 200
    assert settings.mask_personal_numbers is False
    assert settings.chunk_overlap == Settings().chunk_overlap


def test_serving_the_original_pdfs_can_be_turned_off():
    assert Settings().serve_originals is True
    assert load_settings({"REVSOK_SERVE_ORIGINALS": "0"}).serve_originals is False


def test_bad_environment_value_names_the_variable():
    with pytest.raises(ValueError, match="REVSOK_CHUNK_SIZE"):
        load_settings({"REVSOK_CHUNK_SIZE": "många"})


def test_hnsw_candidates_reach_the_index_settings():
    from revsok.settings import index_settings

    settings = load_settings({"REVSOK_HNSW_EF_SEARCH": "512", "REVSOK_APPROXIMATE_ABOVE": "10"})
    dense = index_settings(settings).dense
    assert (dense.hnsw_ef_search, dense.approximate_above) == (512, 10)
    settings = load_settings(
        {"REVSOK_APPROXIMATE_ABOVE": "10", "REVSOK_IVF_ABOVE": "20", "REVSOK_IVF_NPROBE": "8"}
    )
    dense = index_settings(settings).dense
    assert (dense.ivf_above, dense.ivf_nprobe) == (20, 8)
    assert [dense.kind_for(n) for n in (5, 15, 30)] == ["flat", "hnsw", "ivf"]


def test_ranking_settings_follow_the_declared_settings_and_the_environment():
    from index.ranking import RankingSettings
    from revsok.settings import load_settings, ranking_settings

    assert ranking_settings(load_settings({})) == RankingSettings()
    changed = ranking_settings(
        load_settings(
            {
                "REVSOK_STRIP_LEXICAL": "kommun, år",
                "REVSOK_BOOST_KOMMUN": "0",
                "REVSOK_WEAK_BELOW": "0",
            }
        )
    )
    assert changed.strip_lexical == ("kommun", "år")
    assert changed.boost_kommun == 0.0 and changed.weak_below == 0.0
    assert ranking_settings(load_settings({"REVSOK_STRIP_LEXICAL": ""})).strip_lexical == ()
