"""Why each column fills what it fills: the reasons the mapping page and a dry run show."""

from __future__ import annotations

from leaddesk.core.csv_import.mapping import ColumnMapping, suggest_mapping
from leaddesk.core.csv_import.mapping_explanation import explain_mapping
from tests.core.csv_import.csv_samples import sampled_file


def test_reasons_say_why_a_column_was_not_mapped_by_its_header() -> None:
    headers, samples = sampled_file("pipedrive_labels.csv")
    mapping = suggest_mapping(headers, samples)
    reasons = dict(zip(headers, explain_mapping(mapping, samples), strict=True))
    labels = reasons["Person - Label(s)"]
    assert labels.values_disagree
    assert labels.hint == "Values are not temperatures"
    assert labels.text == (
        "The header suggests Temperature, but most of its values do not read as "
        "temperatures (hot, warm, cold) (3 of 4 sampled), e.g. 'Customer, VIP', 'VIP', "
        "'Partner'. Its text is kept in each lead's notes."
    )
    value = reasons["Deal - Value"]
    assert not value.values_disagree
    assert value.text.startswith("Matched by its header, but some of its values do not read")
    assert "'lots'" in value.text
    assert "kept in the lead's notes" in value.text


def test_a_choice_by_hand_against_the_values_is_flagged() -> None:
    headers = ["Email", "Labels"]
    samples = [["a@b.example", "c@d.example"], ["VIP", "Friends"]]
    mapping = ColumnMapping(tuple(headers), ("email", "stage"))
    reason = explain_mapping(mapping, samples)[1]
    assert reason.values_disagree
    assert reason.hint == "Most values are not stages"
    assert reason.text.startswith("Chosen by hand, but its values do not read as stages")


def test_an_honorific_title_says_why() -> None:
    headers, samples = sampled_file("outlook_title_job_title.csv")
    reason = explain_mapping(suggest_mapping(headers, samples), samples)[0]
    assert reason.hint == "Values are not job titles"
    assert "'Mr.', 'Dr.', 'Mrs' (salutations)" in reason.text


def test_the_column_that_lost_its_target_names_the_one_that_took_it() -> None:
    headers = ["Email", "Rating", "Temperature"]
    samples = [["a@b.example"] * 3, ["Hot", "Tier 1", "Cold"], ["Hot", "Warm", "Cold"]]
    reasons = explain_mapping(suggest_mapping(headers, samples), samples)
    assert reasons[1].text == "Temperature comes from “Temperature”, which fits better."
    assert not reasons[1].values_disagree
