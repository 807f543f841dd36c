from sirocco.match.profile import Kind
from sirocco.match.warmup import warm_up


def test_warm_up_touches_every_lazily_loaded_table() -> None:
    person, namesake, vehicle = warm_up()
    assert person.nationalities == {"af", "sy"}  # territory names, written and coded
    assert namesake.nationalities == {"af"}  # the same, in Cyrillic
    assert person.phones == {"+36301234567", "+436641234567"}  # numbering plans
    assert person.names and namesake.names  # transliteration of Cyrillic and Arabic
    assert vehicle.kind is Kind.VEHICLE and vehicle.plates[0].sign_country == "bg"
