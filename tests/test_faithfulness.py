"""The meaning guard on real text: every named check fires on its own example, faithful seed summaries pass,
and the extractive fallback only removes clauses."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from timeline import faithfulness as F, nlp

ROOT = Path(__file__).resolve().parents[1]
PAIRS = [json.loads(line) for line in (ROOT / "tests" / "data" / "faithfulness_pairs.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("name", list(F.rules()["checks"]))
def test_every_check_fires_on_its_example(name):
    check = F.rules()["checks"][name]
    assert check["description"] and check["hint"]
    sources = check["example"].get("sources") or [check["example"]["source"]]  # a few checks compare two sentences
    found = F.check(check["example"]["summary"], sources,
                    other_dates=check["example"].get("other_dates", ()),
                    other_actions=check["example"].get("other_actions", ()),
                    claimed_by=check["example"].get("claimed_by", ()),
                    stretch_sources=check["example"].get("stretch_sources", ()))
    assert name in {f.check for f in found}, [str(f) for f in found]


def test_the_checks_in_the_data_are_the_checks_in_the_code():
    assert set(F.check_names()) == set(F.CHECKS) | set(F.CONTEXT_CHECKS)


def test_a_faithful_copy_passes():
    source = ("Forces loyal to Libya's internationally recognised government seized a key central neighbourhood "
              "of second city Benghazi from Islamist militias on Tuesday, the military said.")
    assert F.check(source, [source]) == []
    assert F.check("Forces loyal to Libya's internationally recognised government seized a key central "
                   "neighbourhood of Benghazi from Islamist militias, the military said.", [source]) == []


def test_dropping_the_attribution_of_a_party_fires_but_a_neutral_reporter_may_go():
    party = "Islamic State fighters retreated from Derna on Wednesday, military forces in eastern Libya said."
    assert [f.check for f in F.check("Islamic State fighters retreated from Derna.", [party])] == ["attribution"]
    neutral = "Residents said on Sunday that the military took control of large portions of al-Leiti."
    assert F.check("The military took control of large portions of al-Leiti.", [neutral]) == []


def test_a_number_keeps_whose_it_is():
    source = "Medical sources in Benghazi said that more than 20 loyalist fighters have died since the assault began."
    ok = F.check("More than 20 loyalist fighters have died since the assault began, medical sources said.", [source])
    assert ok == []
    bad = F.check("More than 20 fighters have died since the assault began, medical sources said.", [source])
    assert [f.check for f in bad] == ["number-role"]


def test_omission_is_not_misstatement():
    # the hedge bears on a clause the summary leaves out: nothing to keep
    sources = ["Clashes continued there on Wednesday, and the military said it had nearly full control of the "
               "southern district of Guwarsha.", "It said one commander had been killed in the fighting."]
    assert "hedge" not in {f.check for f in F.check("Clashes continued in Guwarsha on Wednesday.", sources)}


def test_an_action_the_sources_do_not_state_fires_but_a_paraphrase_passes():
    source = "Western powers are backing the GNA in a bid to bring stability to Libya."
    assert F.check("Western powers are supporting the GNA in Libya.", [source]) == []
    bad = F.check("Western powers are arming the GNA in Libya.", [source])
    assert "unsupported-action" in {f.check for f in bad}, [str(f) for f in bad]
    # after a light verb the complement carries the action
    assert "unsupported-action" in {f.check for f in F.check("The GNA is a success for Western powers.", [source])}


def test_a_date_stays_with_its_action_but_a_report_date_may_date_the_report():
    source = "The company announced the update, which is scheduled for public release in June."
    moved = F.check("The company announced the update in June.", [source])
    assert "date-binding" in {f.check for f in moved}, [str(f) for f in moved]
    assert "date-binding" not in {f.check for f in F.check("The update is scheduled for public release in June.", [source])}
    said = "Italy said on Tuesday it had given the US permission to use an airbase in Sicily."
    assert "date-binding" not in {f.check for f in F.check("Italy gave the US permission to use an airbase in Sicily on Tuesday.", [said])}


def test_a_claims_verb_must_be_repeated_for_the_claim_to_be_restated():
    # "They said government troops patrolled the streets": a summary about troops and streets that does
    # not say they patrolled does not restate that claim
    sources = ["Troops launched a new offensive on Benghazi, as witnesses saw corpses on the streets.",
               "They said government troops patrolled the neighbourhood's streets."]
    summary = "Government troops launched a new offensive on Benghazi, as witnesses saw corpses on the streets."
    assert "attribution" not in {f.check for f in F.check(summary, sources)}
    assert "attribution" in {f.check for f in F.check("Government troops patrolled the neighbourhood's streets.", sources)}


def test_labelled_pairs_are_well_formed():
    assert len(PAIRS) >= 60
    assert {p["split"] for p in PAIRS} == {"dev", "held-out"}
    assert len({p["id"] for p in PAIRS}) == len(PAIRS)
    kinds = set(F.check_names()) | {"meaning", "fragment"}
    for p in PAIRS:
        assert p["sources"] and p["summary"]
        assert p["faithful"] == (not p["errors"]), p["id"]
        assert set(p["errors"]) <= kinds, p["id"]
    assert sum(not p["faithful"] for p in PAIRS) >= 20 and sum(p["faithful"] for p in PAIRS) >= 20


def test_compress_removes_clauses_only():
    long = ("Libya has had rival administrations since the summer of 2014 when the recognised government fled "
            "Tripoli after the Fajr Libya militia alliance including Islamists overran the capital, which it has "
            "held ever since, a senior official said.")
    short = F.compress(long, max_words=20)
    assert short != long and len(short.split()) < len(long.split())
    words = long.replace(",", "").replace(".", "").split()
    kept = short.replace(",", "").replace(".", "").split()
    it = iter(words)
    assert all(w in it for w in kept)  # a subsequence of the source's words
    assert short.endswith("said.")  # the attribution stays
    assert F.compress("Special forces retook Lithi.") == "Special forces retook Lithi."


ISSUE_EXAMPLES = {  # the misstatements the issue quotes, in the committed seed outputs -> the check that must fire
    "seeds-18-2016-W07-WE": "number-role",  # "killing more than 20 fighters" (more than 20 loyalists died)
    "seeds-23-2016-02-23": "number-role",  # "killing four fighters" (four Fajr Libya fighters died)
    "seeds-27-2016-03": "modality",  # "trying to establish" -> "establishing"
    "seeds-32-2016-04-20": "hedge",  # "nearly full control" -> control
    "seeds-14-2015-02-08": "hedge",  # "most of the city" -> "the city"
    "seeds-30-2016-04-20": "own-voice-label",  # "liberated from apostates"
    "seeds-40-2016-08-10": "running-total",  # 29 strikes "as of Tuesday"
    "seeds-38-2016-08-09": "hygiene",  # "U. S."
    "seeds-45-2016-08-11": "unintroduced-referent",  # "Our forces"
    "seeds-04-2014": "actor-object",  # returned "from" Syria, not "to"
}


@pytest.mark.parametrize("pair_id, expected", sorted(ISSUE_EXAMPLES.items()))
def test_the_issues_examples_are_rejected_by_the_named_check(pair_id, expected):
    pair = next(p for p in PAIRS if p["id"] == pair_id)
    assert not pair["faithful"]
    assert expected in {f.check for f in F.check(pair["summary"], pair["sources"])}


def test_the_event_records_roles_catch_a_swapped_actor():
    from timeline import nlp

    roles = [F.Roles(actor="Forces loyal to Libya's internationally recognised government", action="seized",
                     object="a key central neighbourhood of second city Benghazi")]
    swapped = F._against_roles(nlp.parse("The neighbourhood seized the forces loyal to the government."), roles)
    assert swapped and "object of 'seized'" in swapped[0]
    assert F._against_roles(nlp.parse("Government forces seized a key neighbourhood of Benghazi."), roles) == []
    # through check(): the records are an extra reading for actor-object, never a new check name
    source = ("Forces loyal to Libya's internationally recognised government seized a key central neighbourhood "
              "of second city Benghazi from Islamist militias on Tuesday, the military said.")
    assert F.check(source, [source], roles=roles) == []


def test_a_place_lifted_out_of_its_modifier_or_an_added_object_fires_but_the_same_place_passes():
    src = ["Islamic State fighters retreated from long-held positions around the port city of Derna on "
           "Wednesday, military forces in eastern Libya said."]
    fired = {f.check for f in F.check("Military forces said Islamic State fighters retreated from Derna.", src)}
    assert "shifted-argument" in fired
    kept = "Military forces in eastern Libya said Islamic State fighters retreated from positions around Derna."
    assert "shifted-argument" not in {f.check for f in F.check(kept, src)}
    # an apposition or a name phrase is the place itself
    assert F._shifted_argument(*_docs("A unity government arrived in Tripoli.",
                                      "A unity government arrived in the capital, Tripoli, last month.")) == []
    seized = ["After launching a major Benghazi offensive at the weekend, loyalists seized Al-Marayseh port, as "
              "well as three army bases.", "Medical sources in Benghazi said that more than 20 loyalist fighters "
              "have died since the assault began."]
    joined = "Loyalists seized Al-Marayseh port and three army bases, as well as medical sources in Benghazi said."
    assert "shifted-argument" in {f.check for f in F.check(joined, seized)}


def test_a_pronoun_given_a_name_its_sentence_does_not_give_it_fires():
    src = ["In an apparent attempt to break the ice with the eastern military, the unity government's leadership "
           "released a statement on Wednesday congratulating it on its advances in Benghazi.",
           "But the government has yet to win approval from Libya's eastern parliament."]
    wrong = "The unity government's leadership released a statement congratulating Libya's eastern parliament."
    assert "resolved-pronoun" in {f.check for f in F.check(wrong, src)}
    right = "The unity government's leadership released a statement congratulating the eastern military."
    assert "resolved-pronoun" not in {f.check for f in F.check(right, src)}


def test_a_summary_without_a_main_verb_fires_unless_its_source_has_none():
    src = ["Libya's conflict has alarmed Western governments over the prospect of extremist groups including IS "
           "establishing a bridgehead just 300 kilometres (190 miles) from Europe."]
    assert "no-main-verb" in {f.check for f in F.check(
        "Western governments alarmed by Libya's conflict, noting a bridgehead 300 kilometres from Europe.", src)}
    assert "no-main-verb" not in {f.check for f in F.check(
        "Libya's conflict has alarmed Western governments.", src)}
    headline = ["Libyan official: '70 percent' of last IS bastion liberated"]
    assert F._no_main_verb(*_docs("Libyan official: '70 percent' of last IS bastion liberated", *headline)) == []


def _docs(summary: str, *sources: str):
    from timeline import nlp

    docs = nlp.parse_many([summary, *sources])
    return docs[0], docs[1:]


def test_a_doer_no_source_names_fires_but_a_general_word_for_a_named_one_passes():
    src = ["Lawmakers in the east say they have been threatened and physically impeded from holding a vote, "
           "including when they tried to convene on Monday."]
    fired = {f.check for f in F.check("The meeting was convened on Monday by the board of directors.", src)}
    assert "invented-participant" in fired
    assert "invented-participant" not in {f.check for f in F.check(
        "Lawmakers in the east say they were impeded from holding a vote on Monday.", src)}
    assert F._invented_participant(*_docs("Officials said the lawmakers were impeded.", *src)) == []


def test_a_summary_cut_off_before_its_end_fires_hygiene():
    src = ["As of Wednesday, U.S. drones and fighter jets had carried out 29 strikes in Sirte, according to "
           "statements by U.S. Africa Command."]
    cut = "As of Wednesday, U.S. drones and fighter jets had carried out 29 strikes in Sirte, according to statements"
    assert any(f.check == "hygiene" and f.detail.startswith("unfinished") for f in F.check(cut, src))
    assert not any(f.check == "hygiene" for f in F.check(src[0], src))


def test_a_copula_left_with_only_a_time_adjunct_is_not_a_sentence():
    rule = F.rules()["checks"]["no-main-verb"]["dangling_copula_example"]
    found = F.check(rule["summary"], [rule["source"]])
    assert "no-main-verb" in {f.check for f in found}, [str(f) for f in found]
    # a copula with a place or an attribute is whole, whatever time follows it
    whole = "The recognised government has been in Tobruk since the summer of 2014."
    assert "no-main-verb" not in {f.check for f in F.check(whole, [whole])}
    there = "There have been rival administrations since the summer of 2014."
    assert "no-main-verb" not in {f.check for f in F.check(there, [rule["source"]])}
    # ... nor an absolute 'with' clause after the time (the model's own sentence)
    seen = ("Libya's rival administrations have been since the summer of 2014, with the recognised government "
            "fleeing Tripoli after the Fajr Libya militia alliance including Islamists overran the capital.")
    assert "no-main-verb" in {f.check for f in F.check(seen, [rule["source"]])}


def test_there_needs_a_place_before_it():
    """"Clashes continued there" read alone: where? A summary that names the place first, or the
    expletive "There were", is fine."""
    source = "Troops entered the port of Amdala on Monday. Clashes continued there on Wednesday."
    assert "unintroduced-referent" in {f.check for f in F.check("Clashes continued there on Wednesday.", [source])}
    assert not F.check("Troops entered the port of Amdala and clashes continued there on Wednesday.", [source],
                       skip={"hygiene"})
    assert "unintroduced-referent" not in {f.check for f in F.check("There were clashes in Amdala on Wednesday.",
                                                                     [source])}


def test_a_bare_happening_as_subject_is_unintroduced():
    """"The advance came as parliament failed to vote": read alone, which advance? Once the summary
    has told the advance, or the noun has words of its own ("the attack on the camp"), it is given."""
    source = "The advance came as the parliament again failed to vote on the new cabinet."
    fired = F.check("The advance came as the parliament failed to vote on the new cabinet.", [source])
    assert "'the advance': which?" in [f.detail for f in fired if f.check == "unintroduced-referent"]
    told = F.unnamed_referents(nlp.parse("Rebels advanced on Monday, and the advance came as talks stalled."))
    assert [kind for _, kind in told] == []
    assert [kind for _, kind in F.unnamed_referents(nlp.parse("The attack on the camp killed 40 people."))] == \
        ["place"]  # "the camp" is the unnamed one; the attack is told by its own words


def test_a_statement_keeps_only_its_own_sentence():
    """What a party announced holds what its sentence says; a detail of another report joined to it
    as a participle phrase is put into the party's mouth. A phrase its own sentence has passes."""
    announced = "The ministry announced on Monday that it had opened a new field hospital in the north."
    other = "The hospital was built by army engineers, using tents flown in from abroad."
    fired = F.check("The ministry announced it had opened a new field hospital, using tents flown in from abroad.",
                    [announced, other])
    assert "misattributed-detail" in {f.check for f in fired}
    own = "The ministry announced that it had opened a field hospital, using tents flown in from abroad."
    assert "misattributed-detail" not in {f.check for f in F.check(
        "The ministry announced it had opened a field hospital, using tents flown in from abroad.", [own, other])}


def test_a_place_stays_with_what_it_locates():
    """"drones based in Jordan" told as "the militias in Jordan" moves the place to other people; a
    place kept inside the phrase it was in ("drone strikes against IS in Libya" as "drone strikes
    in Libya") or with its own holder is faithful."""
    moved = F.rules()["checks"]["shifted-argument"]["moved_example"]
    fired = F.check(moved["summary"], [moved["source"]])
    assert [f.check for f in fired] == ["shifted-argument"] and "'drones'" in fired[0].detail
    source = "Italy said on Tuesday it had given the US permission to use an airbase in Sicily to launch drone strikes against IS in Libya."
    assert F.check("Italy gave the US permission to use an airbase in Sicily for drone strikes in Libya, Italy said.", [source]) == []
    assert F.check("Heavy United States airstrikes, using drones based in Jordan, supported the militias.",
                   [moved["source"]]) == []


def test_an_absolute_construction_names_no_doer():
    """"with one commander killed" tells who was killed, as the source's passive does (a model's
    answer, labelled faithful); "Militants killed one commander" invents who did it."""
    pair = next(p for p in PAIRS if p["id"] == "fresh-default-grounded-23")
    assert "with one commander killed and four soldiers wounded" in pair["summary"]
    assert F.check(pair["summary"], pair["sources"]) == []
    fired = F.check("Militants killed one commander and wounded four soldiers.", pair["sources"][1:2])
    assert "invented-agent" in {f.check for f in fired}
