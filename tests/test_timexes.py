"""Behaviour of the temporal tagger on real sentences: seed articles (with their metadata dates) and
general English news sentences, one group per rule family."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import timeline
from timeline import timex3
from timeline.timexes import rule_names, tag


def found(text: str, dct=None) -> dict[str, tuple]:
    """expression text -> (type, value, mod) for every expression found (last one wins)."""
    out = {}
    for t in tag(text, dct):
        assert text[t.start:t.end] == t.text
        out[t.text] = (t.type, t.value, t.mod)
    return out


def one(text: str, expr: str, dct=None):
    hits = [t for t in tag(text, dct) if t.text == expr]
    assert hits, f"{expr!r} not found in {[t.text for t in tag(text, dct)]}"
    return hits[0]


# ----------------------------------------------------------------------------- API
def test_public_api_example():
    (t,) = timeline.tag("Special forces retook Lithi on Tuesday.", dct="2016-02-23")
    assert (t.start, t.end, t.text, t.type, t.value, t.mod) == (31, 38, "Tuesday", "DATE", "2016-02-23", None)
    assert t.rule.startswith("weekday")
    assert t.first_day == t.last_day == date(2016, 2, 23)
    assert t.granularity == "day"


# What ``pip install .`` gives (dateparser, no extras): the pipeline's libraries made unimportable in a
# fresh interpreter, the temporal core still loads a folder, dates an article and tags it.
CORE_ONLY = """
import sys
HEAVY = ("numpy", "spacy", "torch", "transformers", "pandas", "matplotlib", "plotly", "tqdm", "trafilatura")
class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HEAVY:
            raise ImportError(f"No module named {name!r} (not installed without the pipeline extras)")
sys.meta_path.insert(0, NotInstalled())
import timeline
(article,) = timeline.load_corpus(sys.argv[1]).articles
print(timeline.infer_reference_date(article.body).best)
print([(t.text, t.value) for t in timeline.tag(article.body, "2016-02-23")])
print(sorted({m.split(".")[0] for m in sys.modules} & {*HEAVY, "dateparser"}))
"""


def test_the_temporal_core_needs_only_dateparser(tmp_path):
    (tmp_path / "a.txt").write_text("WASHINGTON, Feb. 23, 2016 (AP) -- Talks that began on March 3, 2015 "
                                    "resumed on Tuesday and will run for two weeks, officials said.\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-c", CORE_ONLY, str(tmp_path)], capture_output=True, text=True,
                          cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    refdate, tags, loaded = proc.stdout.splitlines()
    assert refdate == "2016-02-23"
    assert tags == str([("Feb. 23, 2016", "2016-02-23"), ("March 3, 2015", "2015-03-03"), ("Tuesday", "2016-02-23"),
                        ("two weeks", "P2W")])
    assert loaded == "['dateparser']"  # the absolute date went through dateparser; nothing heavy loaded


def test_dct_as_date_and_string_agree():
    text = "The talks resumed last week and will end next month."
    assert tag(text, "2016-02-23") == tag(text, date(2016, 2, 23))


@pytest.mark.parametrize("bad", ["2016-13-01", "yesterday", "23/02/2016", "2016-02-30", ""])
def test_invalid_dct_string_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="dct"):
        tag("on Tuesday", bad)


def test_dct_out_of_supported_range_is_a_clear_error():
    with pytest.raises(ValueError, match="outside the supported"):
        tag("on Tuesday", date(1, 1, 1))


def test_extreme_reference_dates_do_not_crash():
    text = "Last year, ten centuries ago, next week, the next 5 years, next summer, on Dec. 31, Christmas."
    for day in (date(100, 1, 1), date(9899, 12, 31)):
        for t in tag(text, day):
            assert timex3.is_valid_value(t.value)


def test_invalid_dct_type_is_a_clear_error():
    with pytest.raises(ValueError, match="dct"):
        tag("on Tuesday", 20160223)


def test_every_rule_has_a_unique_name_and_provenance_uses_it():
    names = rule_names()
    assert len(names) == len(set(names))
    text = "On Tuesday, last week, in June 2014 and for three years, every day since 2001."
    for t in tag(text, "2016-02-23"):
        assert any(t.rule == n or t.rule.startswith(n + ":") for n in names), t.rule


def test_a_rule_naming_an_unknown_resolver_is_refused_when_the_rules_load(monkeypatch):
    from timeline.timexes import rules

    real = rules._load_toml

    def load(name):
        spec = real(name)
        if name == "timex_rules.toml":  # the shipped rules plus one whose resolver name has a typo
            typo = {"name": "test:typo", "pattern": r"(?P<t>fortnightly)", "resolve": "wekday"}
            spec = dict(spec, rule=[*spec["rule"], typo])
        return spec

    monkeypatch.setattr(rules, "_load_toml", load)
    with pytest.raises(ValueError, match=r"timex_rules\.toml: unknown resolver\(s\) \['wekday'\]"):
        rules._Resources()


def test_same_input_same_output():
    text = "The army said on Friday it had retaken the port, months after the 2014 offensive."
    assert tag(text, "2015-02-08") == tag(text, "2015-02-08")


# ----------------------------------------------------------------------------- seed 000 (2016-02-23, Tuesday)
D000 = "2016-02-23"


@pytest.mark.parametrize("text, expr, value", [
    ("Forces loyal to Libya's internationally recognised government seized a key central neighbourhood of "
     "second city Benghazi from Islamist militias on Tuesday, the military said.", "Tuesday", "2016-02-23"),
    ("US warplanes flying from a Royal Air Force base in Britain attacked an IS training camp in the western "
     "Libyan city of Sabratha last week, killing more than 40 people.", "last week", "2016-W07"),
    ("Lawmaker Ali Al-Qaidi said a new session would be held next week.", "next week", "2016-W09"),
    ("After launching a major Benghazi offensive at the weekend, loyalists seized Al-Marayseh port.",
     "the weekend", "2016-W07-WE"),
    ("Libya has had rival administrations since the summer of 2014 when the recognised government fled Tripoli.",
     "the summer of 2014", "2014-SU"),
    ("A power vacuum since the 2011 toppling of dictator Moamer Kadhafi has fostered the rise of IS.", "2011", "2011"),
    ("some of the worst insurgent attacks since the US invasion of 2001.", "2001", "2001"),
    ('"Today we came back to our house, after a long time, almost one year," one resident said.', "Today",
     "2016-02-23"),
])
def test_seed_000(text, expr, value):
    assert one(text, expr, D000).value == value


def test_seed_000_almost_one_year_is_a_hedged_duration():
    t = one('"Today we came back to our house, after a long time, almost one year," one resident said.',
            "almost one year", D000)
    assert (t.type, t.value) == ("DURATION", "P1Y")
    assert t.mod in ("LESS_THAN", "APPROX")


def test_seed_000_weekend_interval():
    t = one("After launching a major Benghazi offensive at the weekend, loyalists seized the port.", "the weekend", D000)
    assert (t.first_day, t.last_day) == (date(2016, 2, 20), date(2016, 2, 21))


@pytest.mark.parametrize("text", [
    '"The required quorum (89 members of parliament) was not reached," MP Mohamed al-Abbani told AFP.',
    "establishing a bridgehead just 300 kilometres (190 miles) from Europe.",
    "Defence minister Roberta Pinotti told the daily Il Messaggero that any strike would be subject to approval.",
    "seized a key central neighbourhood of second city Benghazi from Islamist militias",
])
def test_seed_000_no_false_positives(text):
    assert tag(text, D000) == []


# ----------------------------------------------------------------------------- seed 001 (2016-08-11, Thursday)
D001 = "2016-08-11"


@pytest.mark.parametrize("text, expr, value", [
    ("the city's southern and western sections are under control of the Libyan fighters as of Thursday.",
     "Thursday", "2016-08-11"),
    ("In a statement on Wednesday, the US Africa Command said 29 strikes had been carried out against IS "
     "positions as of Tuesday.", "Wednesday", "2016-08-10"),
    ("In a statement on Wednesday, the US Africa Command said 29 strikes had been carried out against IS "
     "positions as of Tuesday.", "Tuesday", "2016-08-09"),
    ("The Pentagon last week announced it had started an air campaign in Sirte.", "last week", "2016-W31"),
    ("Militants seized control of the city past year.", "past year", "2015"),
    ("IS seized Sirte in 2015 and Libyan pro-government forces launched an operation to retake it in June.",
     "2015", "2015"),
    ("IS seized Sirte in 2015 and Libyan pro-government forces launched an operation to retake it in June.",
     "June", "2016-06"),
])
def test_seed_001(text, expr, value):
    assert one(text, expr, D001).value == value


def test_seed_001_percent_in_quotes_is_not_a_year():
    assert tag("Libyan official: ’70 percent’ of last IS bastion liberated", D001) == []
    assert tag("forces in Libya have liberated “70 percent” of the city of Sirte", D001) == []


# ----------------------------------------------------------------------------- seed 002 (2016-04-20, Wednesday)
D002 = "2016-04-20"


@pytest.mark.parametrize("text, expr, type_, value", [
    ("Islamic State fighters retreated from long-held positions around the port city of Derna on Wednesday.",
     "Wednesday", "DATE", "2016-04-20"),
    ("The militant group lost control of the city last June to rival armed Islamists.", "last June", "DATE", "2015-06"),
    ("Last month, a U.N.-backed unity government arrived in Tripoli.", "Last month", "DATE", "2016-03"),
    ("including when they tried to convene on Monday.", "Monday", "DATE", "2016-04-18"),
    ("armed factions battled to control the country in the past two years.", "the past two years", "DURATION", "P2Y"),
    ("have carried out occasional strikes against Islamist rivals around Derna in recent months.", "recent months",
     "DURATION", "PXM"),
])
def test_seed_002(text, expr, type_, value):
    t = one(text, expr, D002)
    assert (t.type, t.value) == (type_, value)


def test_seed_002_no_false_positives():
    text = ("Islamic State had retreated from Derna's 400 neighborhood and al-Fatayeh, 20 km (12 miles) south of "
            "the city. Eastern military forces have also been involved in heavy fighting around 250 km "
            "(155 miles) to the west.")
    assert tag(text, D002) == []


# ----------------------------------------------------------------------------- seed 003 (2015-02-08, Sunday)
D003 = "2015-02-08"


@pytest.mark.parametrize("text, expr, value", [
    ("as witnesses saw corpses on the streets Sunday and ambulances racing by, AP reports.", "Sunday", "2015-02-08"),
    ("a medical official said at least 10 people had been killed since Friday.", "Friday", "2015-02-06"),
    ("An official with the special forces said their campaign began early on Saturday.", "Saturday", "2015-02-07"),
    ("which the US blames for the September 2012 attack on the US Consulate there", "September 2012", "2012-09"),
    ("Last year, renegade General Khalifa Hifter led a unilateral offensive against the Benghazi militias.",
     "Last year", "2014"),
    ("On 15 October, Hifter formally joined ranks with Libya's elected government.", "15 October", "2014-10-15"),
    ("hold up their guns as they fight in the eastern Libyan city of Benghazi on December 17, 2014.",
     "December 17, 2014", "2014-12-17"),
])
def test_seed_003(text, expr, value):
    assert one(text, expr, D003).value == value


def test_seed_003_less_than_four_years():
    t = one("The violence has plunged Libya into chaos less than four years after a Nato-backed uprising toppled "
            "and killed longtime dictator Muammar Gaddafi.", "less than four years", D003)
    assert (t.type, t.value, t.mod) == ("DURATION", "P4Y", "LESS_THAN")


def test_seed_003_since_then_is_not_an_expression():
    assert tag("Since then, they say they have managed to take control of most of the city.", D003) == []


def test_seed_003_since_friday_runs_to_the_reference_date():
    t = one("at least 10 people had been killed since Friday", "Friday", D003)
    assert (t.first_day, t.last_day) == (date(2015, 2, 6), date(2015, 2, 8))


# ----------------------------------------------------------------------------- seed 004 (2016-08-11, Thursday)
D004 = "2016-08-11"


@pytest.mark.parametrize("text, expr, type_, value, mod", [
    ("The Washington Post newspaper reported on Tuesday.", "Tuesday", "DATE", "2016-08-09", None),
    ("who repelled an Islamic State advance south of their city in early May before pushing eastward",
     "early May", "DATE", "2016-05", "START"),
    ("a source said on Wednesday.", "Wednesday", "DATE", "2016-08-10", None),
    ("since the last round of fighting began Wednesday morning.", "Wednesday morning", "TIME", "2016-08-10TMO", None),
    ("In recent weeks, they have launched an offensive created to break Isil's grip on Sirte.", "recent weeks",
     "DURATION", "PXW", None),
    ("Pro-GNA forces entered Sirte in June, but their advance slowed.", "June", "DATE", "2016-06", None),
    ("“Our forces today managed to achieve a significant advance”, he said.", "today", "DATE", "2016-08-11", None),
    ("since Gaddafi was ousted and killed in October 2011", "October 2011", "DATE", "2011-10", None),
])
def test_seed_004(text, expr, type_, value, mod):
    t = one(text, expr, D004)
    assert (t.type, t.value, t.mod) == (type_, value, mod)


def test_seed_004_last_ten_days_is_an_anchored_duration():
    text = "Over the last 10 days, the militias have been supported by heavy United States airstrikes."
    t = one(text, "the last 10 days", D004)
    assert (t.type, t.value) == ("DURATION", "P10D")
    # convention: the N whole days before the reference date
    assert (t.first_day, t.last_day) == (date(2016, 8, 1), date(2016, 8, 10))
    assert all(x.text != "Over the last 10 days" for x in tag(text, D004))


def test_seed_004_since_august_1():
    t = one("US drones and fighter jets have carried out 36 strikes over Sirte since August 1.", "August 1", D004)
    assert t.value == "2016-08-01"
    assert t.mod == "ON_OR_AFTER"
    assert (t.first_day, t.last_day) == (date(2016, 8, 1), date(2016, 8, 11))


def test_seed_004_first_time_is_not_an_expression():
    assert tag("American special operations troops have for the first time started directly supporting "
               "the Libyan forces.", D004) == []


# ----------------------------------------------------------------------------- weekdays and tense
def test_weekday_past_and_future_tense():
    dct = "2021-03-10"  # a Wednesday
    assert one("The minister resigned on Monday.", "Monday", dct).value == "2021-03-08"
    assert one("The minister will resign on Friday.", "Friday", dct).value == "2021-03-12"
    assert one("The committee is expected to vote on Monday.", "Monday", dct).value == "2021-03-15"
    assert one("Police said on Wednesday that two men were arrested.", "Wednesday", dct).value == "2021-03-10"
    assert one("The offer expires as soon as Tuesday.", "Tuesday", dct).value == "2021-03-16"


def test_last_and_next_weekday():
    dct = "2021-03-10"
    assert one("Rebels shelled the town last Friday.", "last Friday", dct).value == "2021-03-05"
    assert one("Talks open next Monday.", "next Monday", dct).value == "2021-03-15"


def test_weekday_with_part_of_day():
    t = one("Fighting resumed on Sunday night near the airport.", "Sunday night", "2021-03-10")
    assert (t.type, t.value) == ("TIME", "2021-03-07TNI")


# ----------------------------------------------------------------------------- months, days, years
def test_yearless_dates_take_the_year_from_tense_and_distance():
    assert one("The bridge was destroyed in November.", "November", "2021-02-03").value == "2020-11"
    assert one("Elections are planned for April 5.", "April 5", "2021-02-03").value == "2021-04-05"
    assert one("The dividend is payable Dec. 15 to holders of record.", "Dec. 15", "1989-11-02").value == "1989-12-15"


def test_relative_month_names():
    assert one("The rebels withdrew last June.", "last June", "2016-08-11").value == "2016-06"
    assert one("The rebels withdrew last June.", "last June", "2016-04-20").value == "2015-06"
    assert one("Voting starts next March.", "next March", "2016-04-20").value == "2017-03"


def test_may_and_march_the_verbs_are_not_months():
    assert tag("The government may decide to march on the capital.", "2016-04-20") == []
    assert tag("Protesters March through the city, and officials say it May rain.", "2016-04-20") == []
    assert one("The law was passed in May.", "May", "2016-08-11").value == "2016-05"


def test_year_in_same_clause_anchors_a_yearless_month_only_there():
    # same clause: the stated year anchors the month
    assert one("In 2012, in July, the group seized the port.", "July", "2016-04-20").value == "2012-07"
    assert one("The town fell on March 3, 2014, and on March 9 the army withdrew.", "March 9",
               "2016-04-20").value == "2014-03-09"
    # a separate clause ("... in 2015 and ... in June") keeps the news reading
    assert one("IS seized the town in 2015 and troops retook it in June.", "June", "2016-08-11").value == "2016-06"
    # a new paragraph does not inherit the year
    assert one("The town fell on March 3, 2014.\nOn March 9 the army withdrew.", "March 9",
               "2016-04-20").value == "2016-03-09"


def test_absolute_dates():
    f = found("The accord signed on 12 July 2011 lapsed on Jan. 5, 2013; the 2015-10-01 report followed.")
    assert f["12 July 2011"][1] == "2011-07-12"
    assert f["Jan. 5, 2013"][1] == "2013-01-05"
    assert f["2015-10-01"][1] == "2015-10-01"


def test_impossible_date_is_not_resolved():
    assert all(t.value != "2015-02-30" for t in tag("It happened on February 30, 2015.", "2016-01-01"))


def test_counts_and_measures_are_not_years():
    assert tag("About 2000 people fled and 1500 troops moved 1200 km.", "2016-01-01") == []
    assert [t.value for t in tag("The war began in 1990 and ended in 1995.", None)] == ["1990", "1995"]


# ----------------------------------------------------------------------------- relative units
@pytest.mark.parametrize("text, expr, value", [
    ("Prices rose this year.", "this year", "2016"),
    ("Prices rose this month.", "this month", "2016-04"),
    ("Talks resume next month.", "next month", "2016-05"),
    ("The plant closed last year.", "last year", "2015"),
    ("The plant closed this week.", "this week", "2016-W16"),
    ("The plant closed yesterday.", "yesterday", "2016-04-19"),
    ("The plant reopens tomorrow.", "tomorrow", "2016-04-21"),
    ("The plant closed three years ago.", "three years ago", "2013"),
    ("The plant closed two months ago.", "two months ago", "2016-02"),
    ("Sales rose earlier this year.", "earlier this year", "2016"),
    ("Shares fell in the third quarter.", "the third quarter", "2015-Q3"),
    ("They grew up in the 1990s.", "the 1990s", "199"),
    ("It was built in the 19th century.", "the 19th century", "18"),
])
def test_relative_units(text, expr, value):
    assert one(text, expr, "2016-04-20").value == value


def test_quarters_follow_reporting_context():
    text = "Net income rose to $5 million in the third quarter from $3 million a year earlier."
    f = found(text, "1989-11-02")
    assert f["the third quarter"][1] == "1989-Q3"
    assert f["a year earlier"][1] == "1988-Q3"


def test_edges_set_mod():
    assert found("Sales peaked in late November.", "2016-12-10")["late November"][1:] == ("2016-11", "END")
    assert found("The offensive began in mid-2014.", "2016-12-10")["mid-2014"][1:] == ("2014", "MID")
    assert found("Costs fell at the end of 1990.", "2016-12-10")["the end of 1990"][1:] == ("1990", "END")


def test_seasons():
    assert one("Fighting eased last summer.", "last summer", "2016-02-23").value == "2015-SU"
    assert one("The offensive started in the spring of 2015.", "the spring of 2015", "2016-02-23").value == "2015-SP"
    assert tag("Prices may fall further.", "2016-02-23") == []


# ----------------------------------------------------------------------------- general references
@pytest.mark.parametrize("text, expr, value", [
    ("The town is now under army control.", "now", "PRESENT_REF"),
    ("The rebels recently withdrew.", "recently", "PAST_REF"),
    ("Such attacks were rare in the past.", "the past", "PAST_REF"),
    ("The talks may resume in the future.", "the future", "FUTURE_REF"),
])
def test_general_references(text, expr, value):
    assert one(text, expr, "2016-04-20").value == value


# ----------------------------------------------------------------------------- durations and sets
@pytest.mark.parametrize("text, expr, value, mod", [
    ("The siege lasted two years.", "two years", "P2Y", None),
    ("The siege lasted 18 months.", "18 months", "P18M", None),
    ("It took more than three weeks.", "more than three weeks", "P3W", "MORE_THAN"),
    ("It took about five hours.", "five hours", "PT5H", "APPROX"),  # TimeBank keeps "about" outside
    ("It took nearly five hours.", "nearly five hours", "PT5H", "LESS_THAN"),
    ("They fought for several days.", "several days", "PXD", None),
    ("They fought for years.", "years", "PXY", None),
    ("A two-year truce was signed.", "two-year", "P2Y", None),
    ("The talks will take a week.", "a week", "P1W", None),
    ("The truce held for two and a half years.", "two and a half years", "P2Y6M", None),
])
def test_durations(text, expr, value, mod):
    t = one(text, expr, "2016-04-20")
    assert (t.type, t.value, t.mod) == ("DURATION", value, mod)


def test_ages_and_rates_are_not_durations():
    assert tag("A 6-year-old boy and his 52-year-old father were rescued.", "2016-04-20") == []
    assert tag("The airline runs four flights a week at $1.76 a year.", "2016-04-20") == []


@pytest.mark.parametrize("text, expr, value", [
    ("Patrols go out every day.", "every day", "P1D"),
    ("The council meets each year.", "each year", "P1Y"),
    ("The market opens every Friday.", "every Friday", "XXXX-WXX-5"),
    ("Prices are reviewed twice a year.", "a year", "P1Y"),
    ("The rate is reset annually.", "annually", "P1Y"),
])
def test_sets(text, expr, value):
    t = one(text, expr, "2016-04-20")
    assert (t.type, t.value) == ("SET", value)


def test_adjective_frequency_words_are_not_sets():
    assert tag("The board raised the quarterly dividend and daily volume fell.", "2016-04-20") == []


# ----------------------------------------------------------------------------- times
def test_clock_times():
    t = one("The blast happened at 2 p.m. on Tuesday.", "2 p.m. on Tuesday", "2016-02-25")
    assert (t.type, t.value) == ("TIME", "2016-02-23T14:00")
    assert one("The curfew starts at 10:30 p.m.", "10:30 p.m.", "2016-02-25").value == "2016-02-25T22:30"
    assert one("Police arrived this morning.", "this morning", "2016-02-25").value == "2016-02-25TMO"


# ----------------------------------------------------------------------------- no reference date
def test_without_dct_relative_values_are_underspecified_absolute_ones_resolve():
    f = found("In June and on Tuesday, talks resumed last week, a year after the 2014 war; they end "
              "tomorrow. The first round was on December 17, 2014.")
    assert f["Tuesday"][1] == "XXXX-WXX-2"
    assert f["last week"][1] == "XXXX-WXX"
    assert f["2014"][1] == "2014"
    assert f["December 17, 2014"][1] == "2014-12-17"
    assert f["June"][1] == "XXXX-06"
    assert f["tomorrow"][1] == "XXXX-XX-XX"
    for t in tag("On Tuesday, last week, in June and tomorrow."):
        assert t.first_day is None and t.last_day is None


# ----------------------------------------------------------------------------- timex3 helpers
@pytest.mark.parametrize("value, gran, first, last", [
    ("2016-W07", "week", date(2016, 2, 15), date(2016, 2, 21)),
    ("2016-W07-WE", "weekend", date(2016, 2, 20), date(2016, 2, 21)),
    ("2014-SU", "season", date(2014, 6, 1), date(2014, 8, 31)),
    ("2014-WI", "season", date(2014, 12, 1), date(2015, 2, 28)),
    ("1998-Q3", "quarter", date(1998, 7, 1), date(1998, 9, 30)),
    ("199", "decade", date(1990, 1, 1), date(1999, 12, 31)),
    ("2016-08-10TMO", "part-of-day", date(2016, 8, 10), date(2016, 8, 10)),
    ("2016-02", "month", date(2016, 2, 1), date(2016, 2, 29)),
])
def test_timex3_intervals(value, gran, first, last):
    assert timex3.granularity(value) == gran
    assert timex3.interval(value) == (first, last)


@pytest.mark.parametrize("value, ok", [
    ("2016-02-23", True), ("P10D", True), ("PT3H", True), ("PXY", True), ("XXXX-WXX-2", True),
    ("PRESENT_REF", True), ("2016-02-23T14:30", True), ("P2Y6M", True),
    ("2016-2-23", False), ("P", False), ("yesterday", False), ("2016-W7", False), ("", False),
])
def test_timex3_well_formedness(value, ok):
    assert timex3.is_valid_value(value) is ok


# ----------------------------------------------------------------------------- more rule families
@pytest.mark.parametrize("text, dct, expr, value", [
    ("Protests continued this past weekend.", "2016-04-20", "this past weekend", "2016-W15-WE"),
    ("The talks were held in the first week of May.", "2016-06-20", "the first week of May", "2016-W18"),
    ("Growth slowed in the second half of 2015.", "2016-06-20", "the second half of 2015", "2015-H2"),
    ("Prices fell at the end of last year.", "2016-06-20", "the end of last year", "2015"),
    ("The boy was found on Thanksgiving Day.", "1999-12-01", "Thanksgiving Day", "1999-11-25"),
    ("Shops close on Christmas Day.", "2016-12-01", "Christmas Day", "2016-12-25"),
    ("In nineteen ninety-six a bomb shook Atlanta.", "1998-01-08", "nineteen ninety-six", "1996"),
    ("He fled in June 1998 and returned later that year.", "2000-01-07", "later that year", "1998"),
    ("The summit is on April 24 and 25.", "1999-02-10", "25", "1999-04-25"),
    ("Inflation was high in the seventies.", "1999-02-10", "the seventies", "197"),
])
def test_more_rule_families(text, dct, expr, value):
    assert one(text, dct=dct, expr=expr).value == value


def test_clock_time_after_a_stated_day_takes_that_day():
    t = one("The offensive began on April 18, 2016 at 10:30 a.m.", "10:30 a.m.", "2016-04-20")
    assert t.value == "2016-04-18T10:30"


def test_every_other_and_every_n():
    assert one("The council meets every two weeks.", "every two weeks", "2016-04-20").value == "P2W"
    assert one("Inspectors visit every other month.", "every other month", "2016-04-20").value == "P2M"


def test_year_earlier_in_earnings_reports():
    f = found("Profit rose in the third quarter. The year-earlier period included a charge.", "1989-11-02")
    assert f["the third quarter"][1] == "1989-Q3"
    assert f["The year-earlier period"][1] == "1988-Q3"


def test_wire_dateline_is_a_date():
    f = found("WARSAW, March 12 (Xinhua) -- Poland joined NATO on Friday.", "1999-03-13")
    assert f["March 12"][1] == "1999-03-12"
    assert f["Friday"][1] == "1999-03-12"


def test_seed_files_tag_cleanly():
    """Every seed article tags without error and with offsets that point at the expression."""
    import csv
    from pathlib import Path
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    rows = list(csv.DictReader((seeds / "metadata.csv").open(encoding="utf-8")))
    assert rows
    for row in rows:
        text = (seeds / row["file"]).read_text(encoding="utf-8")
        result = tag(text, row["published"])
        assert result, row["file"]
        for t in result:
            assert text[t.start:t.end] == t.text
            assert timex3.is_valid_value(t.value)


# ----------------------------------------------------------------------------- TempEval scorer (synthetic file)
def test_tempeval_scorer_on_a_small_timeml_file(tmp_path, capsys):
    import json

    from timeline.evaluate import tempeval

    tml = tmp_path / "doc.tml"
    tml.write_text(
        '<?xml version="1.0" ?>\n<TimeML>\n<DCT><TIMEX3 tid="t0" type="DATE" value="2016-02-23" '
        'functionInDocument="CREATION_TIME">20160223</TIMEX3></DCT>\n<TEXT>\nForces retook the town on '
        '<TIMEX3 tid="t1" type="DATE" value="2016-02-23">Tuesday</TIMEX3> after '
        '<TIMEX3 tid="t2" type="DURATION" value="P3D">three days</TIMEX3> of fighting &amp; shelling '
        'that began <TIMEX3 tid="t3" type="DATE" value="2016-W07">last week</TIMEX3>.\n</TEXT>\n</TimeML>\n',
        encoding="utf-8")
    doc = tempeval.read_tml(tml)
    assert doc.dct == "2016-02-23"
    assert [doc.text[g.start:g.end] for g in doc.timexes] == ["Tuesday", "three days", "last week"]
    assert "&" in doc.text and "&amp;" not in doc.text
    errors = tmp_path / "errors.tsv"
    assert tempeval.main([str(tmp_path), "--errors", str(errors)]) == 0
    summary = json.loads(capsys.readouterr().out)["all"]
    assert summary["gold"] == 3 and summary["documents"] == 1
    assert summary["relaxed"]["f1"] == 1.0 and summary["value"]["f1"] == 1.0
    assert errors.exists()


def test_tempeval_scorer_counts_gold_values_left_open_without_changing_the_score(tmp_path, capsys):
    import json

    from timeline.evaluate import tempeval

    (tmp_path / "doc.tml").write_text(
        '<?xml version="1.0" ?>\n<TimeML>\n<DCT><TIMEX3 tid="t0" type="DATE" value="2016-02-23" '
        'functionInDocument="CREATION_TIME">20160223</TIMEX3></DCT>\n<TEXT>\nTalks began '
        '<TIMEX3 tid="t1" type="DATE" value="2016-WXX">last week</TIMEX3> and resumed on '
        '<TIMEX3 tid="t2" type="DATE" value="2016-02-20">Tuesday</TIMEX3>.\n</TEXT>\n</TimeML>\n',
        encoding="utf-8")
    assert tempeval.main([str(tmp_path)]) == 0
    summary = json.loads(capsys.readouterr().out)["all"]
    # both values differ from ours (2016-W07, 2016-02-23); only the first gold value is left open
    assert summary["value"]["accuracy"] == 0.0
    assert summary["diagnostics"] == {"value_mismatches": 2, "value_mismatches_gold_left_open": 1}


def test_tempeval_scorer_reports_missing_input(tmp_path, capsys):
    from timeline.evaluate import tempeval

    assert tempeval.main([str(tmp_path / "nowhere")]) == 1
    assert "no such file or directory" in capsys.readouterr().err


def test_named_days_and_districts_are_not_dates():
    assert tag("Tourists crowd the Latin Quarter and fighting hit the Christian quarter.", "2016-04-20") == []
    assert tag("He scored in the second half of the match.", "2016-04-20") == []
    assert tag("The Sunday Times reported on Black Tuesday and Super Tuesday.", "2016-04-20") == []
    assert one("Profit rose 5% in the quarter.", "the quarter", "2016-04-20").value == "2016-Q1"


def test_easter_based_holidays():
    assert one("Good Friday prayers were held.", "Good Friday", "2016-04-20").value == "2016-03-25"
    assert one("Easter 2015 was late.", "Easter 2015", "2016-04-20").value == "2015-04-05"


def test_weekday_and_yearless_date_agree_on_the_year():
    t = one("The talks opened on Monday, March 3.", "Monday, March 3", "2015-01-20")
    assert t.value == "2014-03-03"  # 3 March 2014 was a Monday; in 2015 it is a Tuesday


def test_past_decade_is_a_duration_up_to_the_reference_date():
    t = one("Violence rose over the past decade.", "the past decade", "2016-04-20")
    assert (t.type, t.value) == ("DURATION", "P10Y")
    assert t.last_day == date(2016, 4, 19)


def test_fiscal_year_ended_is_a_duration():
    t = one("Net income for the year ended Sept. 30 rose.", "the year", "1989-11-02")
    assert (t.type, t.value) == ("DURATION", "P1Y")


def test_quarter_without_year_is_the_latest_such_quarter():
    assert one("Profit fell in the fourth quarter.", "the fourth quarter", "1998-01-26").value == "1997-Q4"
    assert one("Profit will rise in the first quarter.", "the first quarter", "1989-11-02").value == "1990-Q1"


def test_overnight_is_the_night_before():
    t = one("Rebels shelled the port overnight.", "overnight", "2016-04-20")
    assert (t.type, t.value) == ("TIME", "2016-04-19TNI")


@pytest.mark.parametrize("text, expr, value", [
    ("The market opens on Fridays.", "Fridays", "XXXX-WXX-5"),
    ("Flights leave on Tuesday nights.", "Tuesday nights", "XXXX-WXX-2TNI"),
    ("Floods come each July.", "each July", "XXXX-07"),
])
def test_weekly_and_yearly_recurrences(text, expr, value):
    t = one(text, expr, "2016-04-20")
    assert (t.type, t.value) == ("SET", value)


# ----------------------------------------------------------------------------- second round of general rules
@pytest.mark.parametrize("text, expr", [
    ("Thousands joined the daily rally outside the court.", "daily"),
    ("The mayor gave his weekly radio address on Saturday.", "weekly"),
    ("Guards count the prisoners on a daily basis.", "daily"),
])
def test_recurring_event_adjectives_are_sets(text, expr):
    t = one(text, expr, "2016-04-20")
    assert (t.type, t.value) == ("SET", {"daily": "P1D", "weekly": "P1W"}[expr])


def test_measures_rates_and_newspapers_are_not_sets():
    text = ("Average daily turnover fell, weekly sales rose 20% annually, the plant makes 400 units annually "
            "and the party daily Granma said so.")
    assert [t.text for t in tag(text, "2016-04-20") if t.type == "SET"] == []


@pytest.mark.parametrize("text, dct, expr, value", [
    # a story's "the following year" counts from the story's own last date, not from the reference date
    ("The mill closed on June 3, 1998, and reopened the following year.", "2016-04-20", "the following year",
     "1999"),
    ("The strike began in March. The following month, the owners gave in.", "2016-10-20",
     "The following month", "2016-04"),
    ("He was arrested on Tuesday and was in court the next day.", "2016-04-22", "the next day", "2016-04-20"),
    # with no date in the story it is read from the reference date
    ("Prices will rise the following year.", "2016-04-20", "the following year", "2017"),
])
def test_following_unit_counts_from_the_narrative(text, dct, expr, value):
    assert one(text, dct=dct, expr=expr).value == value


@pytest.mark.parametrize("text, expr, value", [
    ("Voters go to the polls on Sunday.", "Sunday", "2016-04-24"),
    ("The two leaders meet Monday in Geneva.", "Monday", "2016-04-25"),
    # a past-tense verb still wins, and a noun is not a verb: "at the close of business Tuesday"
    ("The two leaders met Monday in Geneva.", "Monday", "2016-04-18"),
    ("Shares held at the close of business Tuesday were counted.", "Tuesday", "2016-04-19"),
])
def test_present_tense_scheduled_weekdays_are_ahead(text, expr, value):
    assert one(text, expr, "2016-04-20").value == value  # a Wednesday


@pytest.mark.parametrize("text, expr, value", [
    ("The rally is set for this coming Sunday.", "this coming Sunday", "2016-04-24"),
    ("The council voted this past Monday.", "this past Monday", "2016-04-18"),
])
def test_this_coming_and_this_past_weekdays(text, expr, value):
    assert one(text, expr, "2016-04-20").value == value


@pytest.mark.parametrize("text, expr, value", [
    ("The doctor was shot last Oct. 23 at his home.", "Oct. 23", "2015-10-23"),
    ("The referendum is next Jan. 5, officials said.", "Jan. 5", "2017-01-05"),
])
def test_last_and_next_before_a_month_day(text, expr, value):
    found_ = found(text, "2016-04-20")
    assert found_[expr][1] == value
    assert not any(k.startswith(("last", "next")) for k in found_)


def test_the_week_of_a_date_is_that_week():
    t = one("A hearing is planned for the week of March 6.", "the week of March 6", "2000-02-24")
    assert (t.type, t.value) == ("DATE", "2000-W10")


@pytest.mark.parametrize("text, expr, value", [
    ("The pilot called back a minute and a half later.", "a minute and a half", "PT1M30S"),
    ("The meeting lasted an hour and a half.", "an hour and a half", "PT1H30M"),
    ("The siege lasted a year and a half.", "a year and a half", "P1Y6M"),
    ("The search went on for three days and a half.", "three days and a half", "P3DT12H"),
])
def test_and_a_half_adds_half_a_unit(text, expr, value):
    assert one(text, expr, "2016-04-20").value == value


def test_generic_today_and_show_titles_are_not_dates():
    text = ('Life is hard in today\'s world, he told CBS\'s "60 Minutes" and ABC\'s "This Week" program.')
    assert tag(text, "2016-04-20") == []
    assert one("The offer appears in today's editions.", "today", "2016-04-20").value == "2016-04-20"


# One real sentence per rule: every rule can fire and resolve (its pattern's groups fit its resolver).
RULE_EXAMPLES = {
    "date:iso": ("The report is dated 2015-10-01.", "2015-10-01"),
    "date:numeric-us": ("The memo was sent on 4/19/2016.", "4/19/2016"),
    "date:month-day-year": ("The city fell on December 17, 2014.", "December 17, 2014"),
    "date:day-month-year": ("The accord was signed on 12 July 2011.", "12 July 2011"),
    "date:month-day": ("The vote was held on March 9.", "March 9"),
    "date:day-month": ("Hifter joined the government on 15 October.", "15 October"),
    "date:month-year": ("The attack took place in September 2012.", "September 2012"),
    "date:month": ("The port reopened in November.", "November"),
    "date:month-relative-year": ("The port reopened in July last year.", "July last year"),
    "date:season-year": ("The government fled in the summer of 2014.", "the summer of 2014"),
    "date:year-season": ("Talks stalled in the 2014 summer.", "the 2014 summer"),
    "date:season": ("The front was quiet last winter.", "last winter"),
    "date:season-bare": ("The offensive began in spring.", "spring"),
    "date:year": ("The dictator was toppled in 2011.", "2011"),
    "date:year-spoken": ("In nineteen ninety-one he was convicted.", "nineteen ninety-one"),
    "date:year-span": ("The report covers 2010-2015.", "2010"),
    "date:decade": ("The group was founded in the 1990s.", "the 1990s"),
    "date:decade-words": ("Oil was cheap in the eighties.", "the eighties"),
    "date:century": ("The fort dates from the 19th century.", "the 19th century"),
    "deictic:day": ("The minister resigned yesterday.", "yesterday"),
    "deictic:this-part-of-day": ("Shelling resumed this morning.", "this morning"),
    "deictic:overnight": ("Rebels shelled the port overnight.", "overnight"),
    "weekday": ("Forces retook the town on Tuesday.", "Tuesday"),
    "weekday:part-of-day-first": ("Fighting began on the night of Friday.", "night of Friday"),
    "relative:unit": ("Airstrikes hit the camp last week.", "last week"),
    "relative:nth-week-of-month": ("Talks were held in the first week of May.", "the first week of May"),
    "relative:the-weekend": ("The offensive began at the weekend.", "the weekend"),
    "relative:edge-of-this": ("Prices rose earlier this year.", "earlier this year"),
    "relative:year-end": ("The plant will close by year-end.", "year-end"),
    "relative:month-name": ("The militants lost the city last June.", "last June"),
    "relative:ago": ("The town fell three years ago.", "three years ago"),
    "relative:year-earlier": ("Profit rose in the third quarter. The year-earlier period was weak.",
                              "The year-earlier period"),
    "relative:quarter": ("Profit rose in the third quarter.", "the third quarter"),
    "relative:the-year": ("Sales fell in the full year.", "the full year"),
    "ref:present": ("The town is now quiet.", "now"),
    "ref:past": ("The rebels recently withdrew.", "recently"),
    "ref:past-years": ("Violence grew in recent years.", "recent years"),
    "ref:future": ("Talks may resume in the future.", "the future"),
    "duration:anchored": ("The truce held for the past 18 months.", "the past 18 months"),
    "duration:amount": ("The siege lasted two years.", "two years"),
    "duration:a-unit": ("The talks will take a week.", "a week"),
    "duration:adjective": ("A two-year truce was signed.", "two-year"),
    "duration:fuzzy": ("They fought for several days.", "several days"),
    "duration:bare-plural": ("They fought for years.", "years"),
    "duration:half": ("The talks took half an hour.", "half an hour"),
    "time:clock": ("The blast happened at 2 p.m.", "2 p.m."),
    "time:clock-24h": ("The curfew starts at 22:30 GMT.", "22:30 GMT"),
    "time:noon": ("The deadline expired at noon.", "noon"),
    "set:every": ("Patrols go out every day.", "every day"),
    "set:plural-weekday": ("The market opens on Fridays.", "Fridays"),
    "set:frequency": ("Prices are reviewed twice a year.", "a year"),
    "set:adverb": ("The rate is reset annually.", "annually"),
    "relative:fiscal-year-ended": ("Net income for the year ended Sept. 30 rose.", "the year"),
    "relative:for-the-year": ("For the year, profit was flat.", "the year"),
    "date:holiday": ("Shops close on Christmas Day.", "Christmas Day"),
    "date:second-day-of-pair": ("The summit is on April 24 and 25.", "25"),
    "narrative:that-unit": ("He fled in June 1998 and returned later that year.", "later that year"),
    "duration:plural-adjective": ("The decades-long feud ended.", "decades-long"),
    "duration:unit-long": ("A day-long meeting ended.", "day-long"),
    "ref:future-phrase": ("The bonds will be sold at a later date.", "a later date"),
    "deictic:edge-part-of-day": ("By mid-afternoon the shelling stopped.", "mid-afternoon"),
    "set:adjective": ("The mayor gave his weekly radio address.", "weekly"),
    "narrative:following-unit": ("The mill closed on June 3, 1998, and reopened the following year.",
                                 "the following year"),
    "relative:week-of-date": ("The trial opens the week of March 6.", "the week of March 6"),
    "duration:vague": ("The troops will stay in the region for some time.", "some time"),
    "duration:ahead": ("Fuel prices may climb in the weeks ahead.", "the weeks ahead"),
    "ref:then-current": ("Holders could buy shares at the then current price.", "then current"),
    "duration:the-years": ("The village has changed a lot over the years.", "the years"),
    "narrative:part-of-day": ("Shares fell on Oct. 27, 1989. Dealers sold heavily in the morning.",
                              "the morning"),
    "relative:since-year-end": ("The index has risen 12% since year-end.", "year-end"),
    "relative:two-quarters": ("Sales should recover in the first two quarters of 2001.",
                              "the first two quarters of 2001"),
    "ref:one-day": ("The town hopes it will one day host the games.", "one day"),
    "deictic:nth-day-of": ("Today is the fifth day of the strike.", "the fifth day"),
    "narrative:that-quarter": ("Profit fell in the second quarter of 1998. Sales for that quarter were flat.",
                               "that quarter"),
}


def test_every_rule_has_an_example():
    assert sorted(RULE_EXAMPLES) == sorted(rule_names())


@pytest.mark.parametrize("name", sorted(RULE_EXAMPLES))
def test_rule_fires_on_its_example(name):
    text, expr = RULE_EXAMPLES[name]
    for dct in ("1999-06-15", None):
        hits = [t for t in tag(text, dct) if t.text == expr]
        assert hits, f"{name}: {expr!r} not in {[t.text for t in tag(text, dct)]}"
        assert hits[0].rule == name or hits[0].rule.startswith(name + ":"), hits[0].rule


# ----------------------------------------------------------------------------- vague stretches and anaphora
@pytest.mark.parametrize("text, expr, value", [
    ("The troops will stay in the region for some time.", "some time", "PXX"),
    ("They will have to live without power for a while.", "a while", "PXX"),
    ("We are there to stay for a fairly lengthy period.", "a fairly lengthy period", "PXX"),
    ("Fuel prices may climb in the weeks ahead.", "the weeks ahead", "PXW"),
    ("The village has changed a lot over the years.", "the years", "PXY"),
    ("Few patients were saved in the early years, doctors said.", "the early years", "PXY"),
    ("He joined the firm after a several-year stint abroad.", "several-year", "PXY"),
    ("The firm returned to profit after several quarters of losses.", "several quarters", "PXQ"),
])
def test_vague_durations(text, expr, value):
    t = one(text, expr, "2016-04-20")
    assert (t.type, t.value) == ("DURATION", value)


def test_vague_stretch_needs_for_and_fractions_stay_fractions():
    assert found("It was a time when the West feared the Soviet army.", "2016-04-20") == {}
    assert found("Nearly three quarters of voters backed the plan.", "2016-04-20") == {}
    assert found("The years of war left the city in ruins.", "2016-04-20") == {}


def test_then_current_is_a_past_present():
    assert one("Holders could buy shares at the then current price.", "then current",
               "2016-04-20").value == "PAST_REF"


def test_the_future_of_something_is_not_a_time():
    assert "the future" not in found("The talks matter for the future of both peoples.", "2016-04-20")
    assert found("Talks may resume in the future.", "2016-04-20")["the future"][1] == "FUTURE_REF"


def test_part_of_day_after_a_named_day():
    text = "Shares fell on Friday. Dealers had placed heavy buy orders in the morning."
    assert one(text, "the morning", "2016-04-25").value == "2016-04-22TMO"
    # no day named just before: nothing to anchor the morning to
    assert "the morning" not in found("Dealers like to buy in the morning.", "2016-04-25")


def test_clock_time_takes_the_story_day_or_a_day_after_a_parenthesis():
    text = "The bomb went off at about 10:35 a.m. (0735 GMT) Friday, killing dozens."
    assert one(text, "10:35 a.m.", "2016-04-23").value == "2016-04-22T10:35"
    text = "The doctor was shot on April 18. He was hit at 10 p.m. as he stood in his kitchen."
    assert one(text, "10 p.m.", "2016-04-23").value == "2016-04-18T22:00"
    assert one("The shop closes at 6 p.m.", "6 p.m.", "2016-04-23").value == "2016-04-23T18:00"


def test_edges_and_halves_of_years():
    assert one("The index has risen 12% since year-end.", "year-end", "2016-10-30").value == "2015-12-31"
    assert one("Sales should recover in the first two quarters of 2001.", "the first two quarters of 2001",
               "2000-10-30").value == "2001-H1"
    assert one("Margins will fall in the last two quarters of this year.", "the last two quarters of this year",
               "2016-03-30").value == "2016-H2"
    assert one("Earnings will be lower for the last half of 1989.", "the last half of 1989",
               "1989-10-26").value == "1989-H2"
    t = one("Planting was delayed earlier in the year by heavy rain.", "earlier in the year", "2016-10-26")
    assert (t.value, t.mod) == ("2016", "START")


@pytest.mark.parametrize("dct, value", [
    ("2016-03-01", "2015-02"),  # the month just gone would be "last month"
    ("2016-03-25", "2016-02"),  # late in March, "last February" can be the one just ended
    ("2016-02-20", "2015-02"),  # the current month: a year back
    ("2016-10-27", "2016-02"),
])
def test_last_month_name_skips_the_current_and_just_ended_month(dct, value):
    assert one("Two helicopters crashed last February.", "last February", dct).value == value


def test_plans_reported_in_the_past_or_after_the_day_still_look_ahead():
    # 2000-01-07 is a Friday
    text = "Protesters planned a march in Miami on Saturday and were planning to block the airport."
    assert one(text, "Saturday", "2000-01-07").value == "2000-01-08"
    text = "On Tuesday, the league plans to hold a news conference."
    assert one(text, "Tuesday", "1998-10-26").value == "1998-10-27"
    # a past verb right after the day still reads the day as past
    assert one("On Tuesday, the league held a news conference.", "Tuesday", "1998-10-26").value == "1998-10-20"


def test_previous_and_following_weekday_count_from_the_story_day():
    # the story tells about Friday April 22, 2016; the paper is dated Monday April 25
    text = "Shares slid on Friday, April 22, as oil fell. The index closed down 4% from the previous Friday."
    assert one(text, "the previous Friday", "2016-04-25").value == "2016-04-15"
    text = "The strike began on Friday, April 22. Talks resumed the following Tuesday."
    assert one(text, "the following Tuesday", "2016-04-25").value == "2016-04-26"
    # with no day in the story, "previous" counts from the reference date
    assert one("Prices were lower than the previous Friday.", "the previous Friday", "2016-04-25").value \
        == "2016-04-22"


def test_one_day_as_someday_and_as_a_stretch():
    assert one("Islam will one day be the largest faith in the town.", "one day", "1998-03-03").value \
        == "FUTURE_REF"
    t = one("The minister had been in the job one day.", "one day", "1998-03-03")
    assert (t.type, t.value) == ("DURATION", "P1D")


def test_that_quarter_is_the_quarter_named_last():
    text = "Profit fell in the second quarter of 1998. Sales for that quarter were flat."
    assert one(text, "that quarter", "1998-10-27").value == "1998-Q2"
    assert "that quarter" not in found("Sales for that quarter were flat.", "1998-10-27")


def test_nth_day_of_an_ongoing_event_is_today():
    assert one("It's the second day of an offensive against the villages.", "the second day",
               "1998-03-06").value == "1998-03-06"
    assert "the third day" not in found("He resigned on the third day of the talks.", "1998-03-06")


def test_names_ending_in_today_are_not_dates():
    assert found("He told USA Today the plan was dead.", "2016-04-20") == {}
    assert found("This is VOA Today.", "2016-04-20") == {}
    assert found("Police said today the road is closed.", "2016-04-20")["today"][1] == "2016-04-20"


# ----------------------------------------------------------------------------- earnings-report comparisons
def test_year_ago_comparison_ignores_forecast_quarters():
    text = ("Analysts expect losses through the third quarter of 1990. "
            "The mill earned $4 million. In the year-ago period, it earned $9 million.")
    assert one(text, "the year-ago period", "1989-10-26").value == "1988-Q3"


def test_year_ago_comparison_does_not_go_back_from_an_earlier_comparison():
    text = ("Profit rose in the third quarter. Net was $5 million, against $3 million in the 1988 period. "
            "The year-ago figures included a gain.")
    assert one(text, "year-ago", "1989-11-02").value == "1988-Q3"


def test_part_year_span_makes_the_comparison_a_year():
    text = ("Profit rose in the third quarter. In the first nine months, net rose to $9 million from "
            "$7 million a year earlier.")
    assert one(text, "a year earlier", "1989-10-26").value == "1988"
    text = ("Profit rose in the third quarter. In the first nine months, net was $306 million, compared with "
            "a loss in the 1988 period.")
    assert one(text, "the 1988 period", "1989-11-02").value == "1988"
    # without the span, the comparison stays a quarter
    assert one("Profit rose in the third quarter, up from a year earlier.", "a year earlier",
               "1989-10-26").value == "1988-Q3"


def test_explicit_year_period_takes_the_quarter_last_named():
    text = "There were no gains in the latest period, but a gain of $8 million in the 1988 period."
    assert one(text, "the 1988 period", "1989-11-02").value == "1988-Q3"


@pytest.mark.parametrize("text, value", [
    ("In the quarter ended July 31, the chain had 5.6 million shares outstanding.", "1989-Q2"),
    ("Sales rose in the quarter ended Sept. 30.", "1989-Q3"),
    ("The grocer lost $2 million in the quarter ended Jan. 31, 1989.", "1988-Q4"),
])
def test_quarter_named_by_its_closing_date(text, value):
    assert one(text, "the quarter", "1989-10-30").value == value


def test_appositive_ordinal_quarter_renames_the_year_ago_quarter():
    text = ("In the comparable year-ago quarter, the second quarter ended Oct. 31, the firm lost $2 million. "
            "Results for that quarter included a write-down.")
    f = found(text, "1989-10-27")
    assert f["the comparable year-ago quarter"][1] == "1988-Q2"
    assert f["the second quarter"][1] == "1988-Q2"
    assert f["that quarter"][1] == "1988-Q2"
    # a quarter not set off after a comparison keeps the reporting year
    assert one("Profit fell in the second quarter.", "the second quarter", "1989-10-27").value == "1989-Q2"


def test_a_high_for_the_year_of_an_amount_is_this_year():
    assert one("The stock hit a high for the year of $42.875 in June.", "the year", "1989-10-30").value == "1989"
    assert not [t for t in tag("It was the year of the tiger for the year of reform.", "1989-10-30")
                if t.text == "the year"]


def test_overnight_after_a_named_day_is_the_night_before_it():
    text = "London shares closed lower Friday. They were hit by overnight losses in New York."
    t = one(text, "overnight", "1989-10-30")
    assert (t.type, t.value) == ("TIME", "1989-10-26TNI")


def test_last_of_another_expression_does_not_push_a_near_date_back_a_year():
    text = "It said it would extend its offer, due to expire last Thursday, to Nov. 6."
    assert one(text, "Nov. 6", "1989-10-30").value == "1989-11-06"
    # a past verb right before still decides: the fiscal year that ended, not the coming Jan. 31
    assert one("The fiscal year ended Jan. 31.", "Jan. 31", "1989-12-20").value == "1989-01-31"


def test_the_quarter_a_year_ago_is_one_expression():
    text = "Profit rose in the third quarter. For the quarter a year earlier, the bank earned $16 million."
    f = found(text, "1989-10-26")
    assert f["the quarter a year earlier"][1] == "1988-Q3"
    assert "a year earlier" not in f
    assert found("Sales fell in the first quarter a year ago.", "1989-10-26")["the first quarter a year ago"][1] \
        == "1988-Q1"


# ----------------------------------------------------------------------------- narrative anchoring guards
def test_year_in_a_modifier_before_a_comma_does_not_anchor_the_main_clause():
    text = ("Under a buyback plan adopted by the board in 2011 that set no ceiling, the bank had repurchased "
            "2 million shares through Sept. 29.")
    assert one(text, "Sept. 29", "2014-10-30").value == "2014-09-29"


def test_fronted_year_still_anchors_after_a_comma():
    text = "In 2011, the bank repurchased 2 million shares through Sept. 29."
    assert one(text, "Sept. 29", "2014-10-30").value == "2011-09-29"


def test_the_following_year_ends_the_old_year_anchor():
    text = ("On May 22, 2009, she was promoted to colonel, and the following year she was posted to Rome. "
            "Stopped by traffic police in December, she was recalled and retired.")
    hits = found(text, "2012-04-18")
    assert hits["the following year"][1] == "2010"
    assert hits["December"][1] == "2011-12"


# ----------------------------------------------------------------------------- tense cues
def test_future_verb_beats_the_nearest_occurrence_of_a_month():
    text = "The veteran pilot will be named commander of the station for a mission in December."
    assert one(text, "December", "2016-03-04").value == "2016-12"


def test_irregular_past_verbs_count_as_past():
    # "broke" is past tense although it does not end in -ed: the May before a March report
    assert one("Talks broke down in May.", "May", "2016-03-04").value == "2015-05"
    assert one("Talks break down in May.", "May", "2016-03-04").value == "2016-05"


def test_fronted_month_takes_the_tense_of_its_main_clause():
    # "In January," sets the scene; the verb after the comma says which January (said in October)
    text = "In January, the company brought in a new chief executive to cut costs."
    hit = one(text, "January", "2016-10-27")
    assert (hit.value, hit.rule.rsplit(":", 1)[-1]) == ("2016-01", "fronted-past")
    text = "In January, the company will bring in a new chief executive to cut costs."
    assert one(text, "January", "2016-10-27").value == "2017-01"
    # not fronted: the verb is far from the month, so the nearest January still wins
    text = "The company brought in a new chief executive to cut costs, whose contract starts in January."
    assert one(text, "January", "2016-10-27").value == "2017-01"


def test_present_passive_is_not_a_past_tense_cue():
    text = "The family may lose the case when it is heard in May in the appeals court."
    assert one(text, "May", "2016-03-29").value == "2016-05"


def test_weekend_after_a_deadline_word_is_ahead():
    text = "Negotiators hope to close the deal by the weekend."
    assert one(text, "the weekend", "2016-02-23").value == "2016-W08-WE"
