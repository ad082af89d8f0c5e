"""One home for the words that carry no topic: function words, question fillers, project words.

* :data:`FUNCTION_WORDS`: Swedish (Snowball's list) and English function words. Search (BM25)
  and everything else use these.
* :data:`QUESTION_STOPWORDS`: plus the words a question uses to ask for something without naming
  a topic ("siffra", "nivå", "rapporten", "senaste" …): the offline assistant's parser and quote
  selection.
* :data:`CLASSIFIER_STOPWORDS`: plus generic project words ("projekt", "digital", "kommunen",
  "utveckla" …) that every initiative description has: the classifier's content words.
"""

from __future__ import annotations

#: Swedish stopwords (Snowball's list) plus English function words for English questions.
FUNCTION_WORDS: frozenset[str] = frozenset(
    """
    och det att i en jag hon som han på den med var sig för så till är men ett om hade de av icke
    mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något från ut
    när efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller allt mycket
    sedan ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa några deras
    blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför varje vilka ditt vem
    vilket sitta sådana vart dina vars vårt våra ert era vilkas också även ska enligt
    the a an of and or to in on for is are was were be been by with what which who how does do did
    this that these those it its as at from about into than then there their our we you they
    """.split()
)

#: Words of a question that ask for something without naming a topic.
QUESTION_FILLERS: frozenset[str] = frozenset(
    """
    after all also andra annat any bara dom ended enkät enkäten every fanns finns före ge ges gjorde
    gäller hamnade hela high hos hög höga högt ihop kommer kommun kommunen kommunens landade landed
    latest level låg many mer mest much municipality my mätning mätningar mätningen många nacka
    nacka's nackas nivå nivån procent rapport rapporten rate report sammanlagda sammanlagt score
    senaste siffra siffran själva stor stora stort står summa survey syn synen tack tell them total
    totala totalt tycker undersökning undersökningen uppfattning uppfattningen uppgick upplevelse
    upplevelsen upplever value vare view värde värdet when where why will would year years ännu år
    åren året års ökade snarare tydligt kring gjort gjorts gör görs göra störst största större
    budskap budskapet huvudbudskap huvudbudskapet huvudpoäng huvudpoängen kärnbudskap kärnbudskapet
    menas avses jämfört lite kom tillbaka
    """.split()
)

#: Generic words of initiative descriptions (what every project says it does).
PROJECT_WORDS: frozenset[str] = frozenset(
    """
    andra arbeta arbete arbetet bara behov behöver bra bättre bör del delar digital digitala
    digitalisering digitaliseringen digitalt diverse dock därför etc fler flera får förbättra
    förbättring förbättringar genom gjort gäller gör göra helt hos initiativ initiativet kommer
    kommun kommunen kommunens kring kunna mer mest mm många nacka nackas ny nya nytt ofta olika osv
    per projekt projektet samt syftar syfte syftet säger sätt ta tas utveckla utveckling verksamhet
    verksamheten verksamheter verksamheterna vill ännu år övrigt
    """.split()
)

#: English function words dropped when an English question is rendered as Swedish keywords.
ENGLISH_FUNCTION_WORDS: frozenset[str] = frozenset(
    "the what how was were is are does do did which why of in for and to with a an who when "
    "should will has have about say their at on by".split()
)

QUESTION_STOPWORDS: frozenset[str] = FUNCTION_WORDS | QUESTION_FILLERS
CLASSIFIER_STOPWORDS: frozenset[str] = FUNCTION_WORDS | PROJECT_WORDS
