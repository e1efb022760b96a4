"""The local-authority register lookup (graph_service.ingest.councils) on the codes and names real files publish."""
import pytest

from graph_service.ingest.councils import council, council_code


@pytest.mark.parametrize("published, code", [
    ("http://statistics.data.gov.uk/doc/local-authority/00DA", "GB-LAE-LDS"),  # Leeds spend: old SNAC in a URI
    ("https://opendatacommunities.org/id/metropolitan-district-council/trafford", "GB-LAE-TRF"),  # Trafford spend
    ("E08000001           ", "GB-LAE-BOL"),  # Bolton (NWOD): GSS padded with spaces
    ("E07000096", "GB-LAE-DAC"),
    ("26UC", "GB-LAE-DAC"),
    ("GB-LAE-dac", "GB-LAE-DAC"),
    ("local-authority-eng:LDS", "GB-LAE-LDS"),
    ("Royal Borough of Windsor & Maidenhead", "GB-LAE-WNM"),
    ("Leeds City Council as Accountable Body", "GB-LAE-LDS"),
    ("Craven District Council", "GB-LAE-CRA"),  # a former authority (2023) is still itself
    ("Oxford City Council", "GB-LAE-OXO"),
    ("Lambeth", "GB-LAE-LBH"),
    ("Borough of Dacorum", "GB-LAE-DAC"),
    ("Tameside MBC", "GB-LAE-TAM"),
    ("Aberdeen City Council", "GB-LAS-ABE"),
    ("Wrexham County Borough Council", "GB-PLA-WRX"),
])
def test_published_forms_map_to_the_org_id(published, code):
    assert council_code(published) == code


@pytest.mark.parametrize("published", ["OCC", "SMBC", "Education Leeds", "East North East Homes Leeds", "Buckinghamshire",
                                       "", None, "http://example.org/nothing", "Acme Ltd"])
def test_abbreviations_other_bodies_and_ambiguous_names_are_not_guessed(published):
    assert council_code(published) is None


def test_the_register_knows_when_an_authority_ended():
    craven = council("GB-LAE-CRA")
    assert (craven.name, craven.end_date, craven.replaced_by) == ("Craven District Council", "2023-04-01", "GB-LAE-NYE")
