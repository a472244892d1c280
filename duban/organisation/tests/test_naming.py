"""Which units a text names, the leading one first: by full name, short name, alias or the short forms
of a name, preferring the unit named after 由/请/责成 … 牵头/负责."""

from duban.organisation.naming import UnitNames, lead_rank, short_forms

FINANCE, HOUSING, DEVELOPMENT, COUNTY_FINANCE, WATER = 1, 2, 3, 4, 5

NAMES = UnitNames(
    [
        (FINANCE, ["云泽市财政局", "市财政局", "市财政"]),
        (HOUSING, ["云泽市住房和城乡建设局", "市住建局", "住建局"]),
        (DEVELOPMENT, ["云泽市发展和改革委员会", "市发改委"]),
        (COUNTY_FINANCE, ["南屏县财政局"]),
        (WATER, ["云泽市水利局"]),
    ]
)


def test_a_name_gives_its_common_short_forms():
    assert short_forms("云泽市财政局") == ["市财政局", "财政局"]
    assert short_forms("市财政局") == ["财政局"]
    assert short_forms("南屏县财政局") == []


def test_the_unit_asked_to_lead_comes_first_whatever_the_order_named():
    text = "会同市发改委做好资金测算，由财政局牵头，住建局配合。"
    assert NAMES.named(text) == [FINANCE, DEVELOPMENT, HOUSING]
    assert NAMES.leading("请市住建局会同市财政局负责老旧小区改造。") == HOUSING
    assert NAMES.leading("责成云泽市水利局牵头，限期整改。") == WATER


def test_a_unit_named_just_before_taking_the_lead_comes_next():
    assert NAMES.leading("市发改委、市财政局牵头，各县区配合。") == FINANCE
    assert NAMES.leading("加快市发改委项目储备，市住建局负责审核。") == HOUSING


def test_without_a_word_of_leading_the_first_unit_named_is_suggested():
    assert NAMES.leading("市住建局和市财政局要加快进度。") == HOUSING
    assert NAMES.leading("加快推进项目建设。") is None


def test_a_short_form_inside_another_units_name_is_not_that_unit():
    assert NAMES.named("由南屏县财政局牵头。") == [COUNTY_FINANCE]
    # A county body the directory does not know is not the city's bureau.
    assert NAMES.named("由青石县财政局牵头。") == []


def test_a_short_form_two_units_share_names_neither():
    names = UnitNames([(1, ["云泽市财政局"]), (2, ["青州市财政局"])])
    assert names.named("由财政局牵头。") == []
    assert names.named("由青州市财政局牵头。") == [2]


def test_the_rank_reads_one_clause():
    text = "由财政局牵头，会同发改委负责。"
    assert lead_rank(text, 1, 4) == 0
    assert lead_rank(text, 9, 12) == 1  # “会同发改委负责”: no 由/请/责成 in its own clause
