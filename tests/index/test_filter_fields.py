"""The filter table ``FILTER_FIELDS`` is the one declaration of the filters: every other shape
that holds one value per filter is built from it, and these checks fail when one drifts."""

from __future__ import annotations

from dataclasses import fields

from index.models import FILTER_FIELDS, YEAR_PARAMS, Filters
from ingest.models import Chunk, DocumentRecord
from search_app.core.facets import FilterOptions, filter_options


def test_filters_hold_exactly_the_tables_fields_and_the_years():
    names = {f.name for f in FILTER_FIELDS}
    assert {x.name for x in fields(Filters)} == names | {"year_from", "year_to"}
    assert {x.name for x in fields(FilterOptions)} == names | {"years"}


def test_each_field_names_a_chunk_field_and_has_its_own_names():
    on_chunks = {f.chunk_field for f in FILTER_FIELDS}
    assert on_chunks <= {x.name for x in fields(Chunk)}
    # A document has every field but the section kind, which is its chunks'.
    assert on_chunks - {x.name for x in fields(DocumentRecord)} == {"section_kind"}
    params = [f.param for f in FILTER_FIELDS] + list(YEAR_PARAMS)
    assert len(params) == len(set(params))
    flags = [flag for f in FILTER_FIELDS for flag in f.cli_flags]
    assert len(flags) == len(set(flags))
    assert "--from" not in flags and "--to" not in flags


def test_facet_options_come_in_report_order_and_swedish_alphabetical_order():
    options = filter_options(
        {
            "municipality": ["Östersunds kommun", "Ale kommun", None],
            "year": [2022, 2019],
            "doc_type": ["protokoll", "granskningsrapport"],
            "section_kind": [],
        }
    )
    assert options.municipalities == ("Ale kommun", "Östersunds kommun")
    assert options.years == (2019, 2022)
    assert options.doc_types == ("granskningsrapport", "protokoll")
    assert options.section_kinds == () and options.audit_firms == ()
