"""Questions an analyst asks through /sparql, each with the query a user would write from the
README and the ontology, and the exact answer the five source documents give (compared as a
multiset of rows), with the sentence the answer rests on.

Aggregates (COUNT, COUNT DISTINCT, SUM) run over the default graph, the union of the sources'
graphs: a real thing or fact recorded twice would show there first.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from secgraph.build.pipeline import BuiltGraph
from secgraph.config import Settings
from secgraph.namespaces import XSD, shorten
from secgraph.web import create_app

REPOSITORY = Path(__file__).parents[1]
NUMERIC = {str(XSD.integer), str(XSD.decimal), str(XSD.double), str(XSD.float)}
CONFERENCE = "id:conference-prosperity-security-2017"
MEETING = "id:meeting-biden-central-american-leaders"
SICA_MEMBERS = [
    "Belize",
    "Costa Rica",
    "El Salvador",
    "Guatemala",
    "Honduras",
    "Nicaragua",
    "Panama",
]


@dataclass(frozen=True)
class Question:
    ask: str
    rests_on: str
    query: str
    rows: list[tuple[Any, ...]]

    def __str__(self) -> str:
        return self.ask


def q(ask: str, rests_on: str, query: str, *rows: Any) -> Question:
    """A question; a row that is not a tuple is a one-column row."""
    return Question(ask, rests_on, query, [r if isinstance(r, tuple) else (r,) for r in rows])


EN = 'FILTER(lang(?label) = "" || langMatches(lang(?label), "en"))'

QUESTIONS = [
    # ------------------------------------------------------------ memberships and statuses
    q(
        "Which countries are full member states of SICA?",
        "SICA member states include Belize, Costa Rica, El Salvador, Guatemala, Honduras, "
        "Nicaragua, and Panama.",
        f"""SELECT ?label WHERE {{ ?m a sg:Membership ; org:organization id:sica ;
              org:role sg:FullMember ; org:member/rdfs:label ?label . {EN} }}""",
        *SICA_MEMBERS,
    ),
    q(
        "How many full member states does SICA have?",
        "all seven SICA member states",
        "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c sg:fullMemberOf id:sica }",
        7,
    ),
    q(
        "What is each non-member's status in SICA?",
        "The Dominican Republic is an associate member state and Mexico is an observer state to "
        "SICA.",
        f"""SELECT ?country ?label WHERE {{ ?m a sg:Membership ; org:organization id:sica ;
              org:member ?country ; org:role/skos:prefLabel ?label .
              FILTER(?country IN (id:dominican-republic, id:mexico)) {EN} }}""",
        ("id:dominican-republic", "associate member state"),
        ("id:mexico", "observer state"),
    ),
    q(
        "Who are the members of the Group of Friends of Central America?",
        "Comprised of the United States and 16 partner nations from the Western Hemisphere, "
        "Europe and Asia, as well as several multilateral institutions",
        "SELECT ?m WHERE { ?m org:memberOf id:group-of-friends-of-central-america }",
        "id:united-states",
        "id:group-of-friends-partner-nations",
        "id:group-of-friends-multilateral-institutions",
    ),
    # ------------------------------------------------------------ money
    q(
        "How much money for CARSI do the sources give in all?",
        "From FY 2008 \N{EN DASH} 2011, funding for CARSI totaled $361 million. / "
        "FY 2012's $105 million "
        "commitment to CARSI (the bullet's '$361 million ... to date' is the same money)",
        "SELECT (SUM(?a) AS ?total) WHERE { ?f sg:fundedInitiative id:carsi ; sg:amount ?a }",
        Decimal(466_000_000),
    ),
    q(
        "How many CARSI funding records are there?",
        "the same two sentences: $361 million (FY 2008-2011) and $105 million (FY 2012)",
        "SELECT (COUNT(?f) AS ?n) WHERE { ?f a sg:Funding ; sg:fundedInitiative id:carsi }",
        2,
    ),
    q(
        "CARSI money by fiscal period and kind?",
        "From FY 2008 \N{EN DASH} 2011, funding for CARSI totaled $361 million. / "
        "FY 2012's $105 million "
        "commitment",
        """SELECT ?period ?amount ?kind WHERE { ?f sg:fundedInitiative id:carsi ;
              sg:amount ?amount ; sg:fiscalPeriod/rdfs:label ?period ;
              sg:fundingKind/skos:prefLabel ?kind }""",
        ("FY 2008\N{EN DASH}2011", Decimal(361_000_000), "allocated"),
        ("FY 2012", Decimal(105_000_000), "committed"),
    ),
    q(
        "How much did the U.S. Congress appropriate, for which fiscal year?",
        "The U.S. Congress included $655 million in Fiscal Year 2017",
        """SELECT ?amount ?fy WHERE { ?f sg:funder id:us-congress ;
              sg:fundingKind sg:AppropriatedFunds ; sg:amount ?amount ;
              sg:fiscalPeriod/sg:fiscalYearNumber ?fy }""",
        (Decimal(655_000_000), "2017"),
    ),
    q(
        "What did the FY 2018 budget request include?",
        "The U.S. Administration's FY 2018 budget request includes $460 million",
        """SELECT ?amount WHERE { ?f sg:fundingKind sg:RequestedFunds ;
              sg:fiscalPeriod id:fy-2018 ; sg:amount ?amount }""",
        Decimal(460_000_000),
    ),
    q(
        "How much has the United States allocated to Central America since 2014?",
        "Since the launch of the Alliance for Prosperity in 2014, the United States has "
        "allocated $1.3 billion to Central America.",
        """SELECT ?amount ?start WHERE { ?f sg:funder id:united-states ;
              sg:recipient id:central-america ; sg:periodStart ?start ; sg:amount ?amount }""",
        (Decimal(1_300_000_000), "2014"),
    ),
    q(
        "How much money went to Central America as recipient, summed by kind?",
        "$1.3 billion allocated since 2014; CARSI's $361 million allocated to the region; $655 "
        "million appropriated (FY 2017); $460 million requested (FY 2018)",
        """SELECT ?kind (SUM(?a) AS ?total) WHERE { ?f sg:recipient id:central-america ;
              sg:amount ?a ; sg:fundingKind/skos:prefLabel ?kind } GROUP BY ?kind""",
        ("allocated", Decimal(1_661_000_000)),
        ("appropriated", Decimal(655_000_000)),
        ("requested", Decimal(460_000_000)),
    ),
    q(
        "What did the Group of Friends commit, and how exactly is the figure stated?",
        "has generated more than $650 million in commitments",
        """SELECT ?amount ?comparator WHERE { ?f sg:funder id:group-of-friends-of-central-america ;
              sg:amount ?amount ; sg:comparator/skos:prefLabel ?comparator }""",
        (Decimal(650_000_000), "more than"),
    ),
    q(
        "How much per year went to drug treatment and prevention in FY 2009-2011?",
        "During the past three years (FY 2009-2011), the Administration has dedicated more than "
        "$10 billion per year to treatment and prevention programs.",
        """SELECT ?amount ?basis ?comparator WHERE { ?f sg:fiscalPeriod id:fy-2009-2011 ;
              sg:amount ?amount ; sg:amountBasis/skos:prefLabel ?basis ;
              sg:comparator/skos:prefLabel ?comparator }""",
        (Decimal(10_000_000_000), "per year", "more than"),
    ),
    q(
        "Which sentences state CARSI's $361 million?",
        "two sentences of the Partnership fact sheet, one funding",
        """SELECT ?title ?quote WHERE { id:funding-carsi-fy2008-2011 prov:qualifiedDerivation ?c .
              ?c prov:entity/dcterms:title ?title ; sg:quote ?quote }""",
        (
            "FACT SHEET: The Central American Citizen Security Partnership",
            "the Central America Regional Security Initiative (CARSI), which has to date "
            "allocated $361 million dollars in prevention, law enforcement, and rule of law "
            "assistance to the region",
        ),
        (
            "FACT SHEET: The Central American Citizen Security Partnership",
            "From FY 2008 \N{EN DASH} 2011, funding for CARSI totaled $361 million.",
        ),
    ),
    q(
        "Where does the $1.3 billion figure come from, in what words?",
        "Since the launch of the Alliance for Prosperity in 2014, the United States has "
        "allocated $1.3 billion to Central America.",
        """SELECT ?title ?quote WHERE { ?f sg:amount 1300000000.0 ; prov:qualifiedDerivation ?c .
              ?c prov:entity/dcterms:title ?title ; sg:quote ?quote }""",
        (
            "United States Key Deliverables for the June 15-16, 2017 Conference on Prosperity "
            "and Security in Central America",
            "Since the launch of the Alliance for Prosperity in 2014, the United States has "
            "allocated $1.3 billion to Central America.",
        ),
    ),
    # ------------------------------------------------------------ co-hosts and attendees
    q(
        "Who co-hosted the 2017 conference?",
        "U.S. Vice President Mike Pence, Secretary of State Rex Tillerson, Secretary of Homeland "
        "Security John Kelly, and Secretary of Treasury Steven Mnuchin co-hosted the Conference "
        "... with Mexican Foreign Secretary Videgaray Caso, Interior Secretary Osorio Chong, and "
        "Secretary of Finance José Antonio Meade Kuribeña",
        f"SELECT ?label WHERE {{ ?x sg:coHosted {CONFERENCE} ; rdfs:label ?label . {EN} }}",
        "Mike Pence",
        "Rex Tillerson",
        "John Kelly",
        "Steven Mnuchin",
        "Videgaray Caso",
        "Osorio Chong",
        "José Antonio Meade Kuribeña",
    ),
    q(
        "How many co-hosts did the 2017 conference have?",
        "the seven people above (the news item's 'Secretaries of the Departments of State, "
        "Homeland Security, and Treasury' are three of them)",
        f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x sg:coHosted {CONFERENCE} }}",
        7,
    ),
    q(
        "How many co-hosting participations are recorded for the conference?",
        "one per co-host, cited by every source that states it",
        f"""SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a sg:Participation ; sg:event {CONFERENCE} ;
              sg:role sg:CoHostRole }}""",
        7,
    ),
    q(
        "Which co-hosts held a Mexican office?",
        "with Mexican Foreign Secretary Videgaray Caso, Interior Secretary Osorio Chong, and "
        "Secretary of Finance José Antonio Meade Kuribeña",
        f"""SELECT ?label WHERE {{ ?p sg:event {CONFERENCE} ; sg:role sg:CoHostRole ;
              sg:inOffice/sg:officeOf id:mexico ; sg:participant/rdfs:label ?label . {EN} }}""",
        "Videgaray Caso",
        "Osorio Chong",
        "José Antonio Meade Kuribeña",
    ),
    q(
        "Who attended the conference, and for which country?",
        "and attended by President Jimmy Morales of Guatemala, President Juan Orlando Hernández "
        "of Honduras, and Vice President Oscar Ortiz of El Salvador",
        f"""SELECT ?label ?country WHERE {{ ?p sg:event {CONFERENCE} ; sg:role sg:AttendeeRole ;
              sg:participant/rdfs:label ?label ; sg:inOffice/sg:officeOf ?country . {EN} }}""",
        ("Jimmy Morales", "id:guatemala"),
        ("Juan Orlando Hernández", "id:honduras"),
        ("Oscar Ortiz", "id:el-salvador"),
    ),
    q(
        "Who was the conference's partner?",
        "in partnership with the Government of Mexico",
        f"SELECT ?x WHERE {{ ?x sg:partneredIn {CONFERENCE} }}",
        "id:mexico",
    ),
    q(
        "Which participants were represented by senior government representatives?",
        "senior government representatives from Belize, Canada, Chile, Colombia, Costa Rica, "
        "the European Union, Nicaragua, Panama, and Spain",
        f"""SELECT ?x WHERE {{ ?p sg:event {CONFERENCE} ; sg:participant ?x ;
              sg:representationLevel sg:SeniorGovernmentRepresentativesLevel }}""",
        "id:belize",
        "id:canada",
        "id:chile",
        "id:colombia",
        "id:costa-rica",
        "id:european-union",
        "id:nicaragua",
        "id:panama",
        "id:spain",
    ),
    q(
        "How many participations does each representation level have?",
        "news item: Leaders from several Central American countries, Canada, and the European "
        "Union; in partnership with the Government of Mexico; Northern Triangle governments. "
        "Fact sheet: senior government representatives from nine; leaders from the IDB, the IMF "
        "and the World Bank",
        """SELECT ?level (COUNT(?p) AS ?n) WHERE { ?p sg:representationLevel ?level }
           GROUP BY ?level""",
        ("sg:LeadersLevel", 6),
        ("sg:SeniorGovernmentRepresentativesLevel", 9),
        ("sg:GovernmentLevel", 4),
    ),
    # ------------------------------------------------------------ offices in time
    q(
        "Who held the office of Vice President of the United States at Biden's meeting?",
        "In his meeting earlier today with the Presidents of ... Vice President Biden discussed",
        f"""SELECT ?label WHERE {{ ?h sg:heldOffice id:vice-president-of-the-united-states ;
              sg:attestedAt {MEETING} ; sg:officeHolder/rdfs:label ?label . {EN} }}""",
        "Biden",
    ),
    q(
        "Who held the office of Vice President of the United States at the 2017 conference?",
        "was co-hosted by Vice President Mike Pence",
        f"""SELECT ?label WHERE {{ ?h sg:heldOffice id:vice-president-of-the-united-states ;
              sg:attestedAt {CONFERENCE} ; sg:officeHolder/rdfs:label ?label . {EN} }}""",
        "Mike Pence",
    ),
    q(
        "Who held the offices that took part in Biden's meeting?",
        "the Presidents of Honduras, Guatemala, El Salvador, Nicaragua, Costa Rica, and Panama "
        "and the Foreign Minister of the Dominican Republic: named without their holders",
        f"""SELECT ?label WHERE {{ ?office sg:participatedIn {MEETING} .
              ?h sg:heldOffice ?office ; sg:attestedAt {MEETING} ;
              sg:officeHolder/rdfs:label ?label . {EN} }}""",
    ),
    q(
        "Who held the office of President of Honduras at the 2017 conference?",
        "attended by ... President Juan Orlando Hernández of Honduras",
        f"""SELECT ?label WHERE {{ ?h sg:heldOffice id:president-of-honduras ;
              sg:attestedAt {CONFERENCE} ; sg:officeHolder/rdfs:label ?label . {EN} }}""",
        "Juan Orlando Hernández",
    ),
    q(
        "When do the sources name Barack Obama as President of the United States?",
        "President Barack Obama, Santiago, Chile, March21, 2011 / launched by President Obama "
        "during his March 2011 trip to El Salvador / \N{EN DASH} President Barack Obama "
        "(fact sheet of February 6, 2012)",
        """SELECT ?event ?date WHERE { ?h sg:officeHolder id:barack-obama ;
              sg:heldOffice id:president-of-the-united-states .
              { ?h sg:attestedAt ?event } UNION { ?h sg:attestedOn ?date } }""",
        ("id:visit-obama-el-salvador-2011", None),
        (None, "2011-03-21"),
        (None, "2012-02-06"),
    ),
    q(
        "Which people held a U.S. office at the 2017 conference?",
        "U.S. Vice President Mike Pence, Secretary of State Rex Tillerson, Secretary of Homeland "
        "Security John Kelly, and Secretary of Treasury Steven Mnuchin",
        f"""SELECT ?label WHERE {{ ?h sg:attestedAt {CONFERENCE} ;
              sg:heldOffice/sg:actsFor id:united-states ;
              sg:officeHolder/rdfs:label ?label . {EN} }}""",
        "Mike Pence",
        "Rex Tillerson",
        "John Kelly",
        "Steven Mnuchin",
    ),
    q(
        "Which offices took part in Biden's meeting, for which country?",
        "the Presidents of Honduras, Guatemala, El Salvador, Nicaragua, Costa Rica, and Panama "
        "and the Foreign Minister of the Dominican Republic",
        f"""SELECT ?office ?country WHERE {{ ?office a sg:Office ;
              sg:participatedIn {MEETING} ; sg:officeOf ?country }}""",
        ("id:president-of-honduras", "id:honduras"),
        ("id:president-of-guatemala", "id:guatemala"),
        ("id:president-of-el-salvador", "id:el-salvador"),
        ("id:president-of-nicaragua", "id:nicaragua"),
        ("id:president-of-costa-rica", "id:costa-rica"),
        ("id:president-of-panama", "id:panama"),
        ("id:dominican-republic-foreign-minister", "id:dominican-republic"),
    ),
    # ------------------------------------------------------------ places
    q(
        "Which events took place in the United States?",
        "held on December 11-12, 2008, in Washington, DC / in Miami, Florida (Washington and "
        "Florida lie in the United States: GeoNames)",
        "SELECT ?e WHERE { ?e sg:location/sg:locatedIn* id:united-states }",
        "id:us-sica-dialogue-2008",
        CONFERENCE,
    ),
    q(
        "Which events took place in Central America?",
        "held July 17-18, 2007, in Guatemala City, Guatemala / his March 2011 trip to El "
        "Salvador (both countries lie in Central America)",
        "SELECT ?e WHERE { ?e sg:location/sg:locatedIn* id:central-america }",
        "id:us-sica-dialogue-2007",
        "id:visit-obama-el-salvador-2011",
    ),
    q(
        "In which country and region is Tocumen International Airport?",
        "the Joint Security Program at Tocumen International Airport (in Panama, a country of "
        "Central America)",
        "SELECT ?p WHERE { id:tocumen-international-airport sg:locatedIn ?p }",
        "id:panama",
        "id:central-america",
    ),
    q(
        "How many countries lie in Central America?",
        "Seven Unique Nations Facing Common Threats and Challenges",
        """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a sg:Country ;
              sg:locatedIn id:central-america }""",
        7,
    ),
    q(
        "Which place lacks a country?",
        "every city, state, and facility lies in a country",
        """SELECT ?p WHERE { ?p a sg:Place .
              FILTER NOT EXISTS { ?p a sg:Region } FILTER NOT EXISTS { ?p a sg:Country }
              FILTER NOT EXISTS { ?p sg:locatedIn ?c . ?c a sg:Country }
              FILTER NOT EXISTS { ?p sg:locatedIn ?r . ?r a sg:Region } }""",
    ),
    # ------------------------------------------------------------ participation of countries
    q(
        "Which events did Guatemala take part in, directly or through its people?",
        "U.S., Mexican, and Northern Triangle governments also considered ... / In his meeting "
        "earlier today with the Presidents of Honduras, Guatemala, ...",
        "SELECT ?e WHERE { id:guatemala sg:tookPartIn ?e }",
        CONFERENCE,
        MEETING,
    ),
    q(
        "Which events did the United States take part in?",
        "high-level security talks with ... SICA (both sessions); co-hosted by Vice President "
        "Mike Pence; Vice President Biden's meeting; President Obama's March 2011 trip",
        "SELECT ?e WHERE { id:united-states sg:tookPartIn ?e }",
        "id:us-sica-dialogue-2007",
        "id:us-sica-dialogue-2008",
        CONFERENCE,
        MEETING,
        "id:visit-obama-el-salvador-2011",
    ),
    q(
        "Which countries took part in Biden's meeting?",
        "the Presidents of Honduras, Guatemala, El Salvador, Nicaragua, Costa Rica, and Panama "
        "and the Foreign Minister of the Dominican Republic, Vice President Biden",
        f"SELECT ?c WHERE {{ ?c a sg:Country ; sg:tookPartIn {MEETING} }}",
        "id:honduras",
        "id:guatemala",
        "id:el-salvador",
        "id:nicaragua",
        "id:costa-rica",
        "id:panama",
        "id:dominican-republic",
        "id:united-states",
    ),
    q(
        "How many countries took part in the 2017 conference?",
        "the United States (co-hosts), Mexico (partner, co-hosts), the Northern Triangle "
        "countries, Canada, and senior government representatives from Belize, Chile, Colombia, "
        "Costa Rica, Nicaragua, Panama, and Spain",
        f"""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a sg:Country ;
              sg:tookPartIn {CONFERENCE} }}""",
        13,
    ),
    q(
        "Who took part in the first U.S.-SICA Dialogue?",
        "The U.S. proposed high-level security talks with Central America Integration System "
        "(SICA)1 in 2006 ... The first U.S.-SICA Dialogue was held July 17-18, 2007",
        "SELECT ?x WHERE { ?x sg:participatedIn id:us-sica-dialogue-2007 }",
        "id:united-states",
        "id:sica",
    ),
    q(
        "Who took part in the second U.S.-SICA Dialogue?",
        "the talks with SICA; the Communiqué 'was signed by all countries at the end of the "
        "Dialogue'",
        "SELECT ?x WHERE { ?x sg:participatedIn id:us-sica-dialogue-2008 }",
        "id:united-states",
        "id:sica",
        "id:countries-of-second-us-sica-dialogue",
    ),
    # ------------------------------------------------------------ instruments
    q(
        "What was signed at the end of the second Dialogue?",
        "A final Communiqué ... was signed by all countries at the end of the Dialogue, along "
        "with a Mechanism on follow-up",
        "SELECT ?i WHERE { ?i sg:signedAt id:us-sica-dialogue-2008 }",
        "id:communique-2008",
        "id:mechanism-2008",
    ),
    q(
        "What was signed after the second Dialogue, and by how many parties?",
        "Following the Dialogue, all seven SICA member states signed a Memorandum of "
        "Understanding with the United States Bureau of Alcohol, Tobacco, Firearms and "
        "Explosives (ATF)",
        """SELECT ?i (COUNT(DISTINCT ?s) AS ?n) WHERE { ?i sg:signedAfter id:us-sica-dialogue-2008 ;
              sg:signatory ?s } GROUP BY ?i""",
        ("id:mou-atf-2008", 8),
    ),
    q(
        "Which listed documents concern the second Dialogue, and which source cites them?",
        "-12/12/08   Seven Central American Countries To Get eTrace",
        """SELECT ?d ?quote WHERE { ?d a sg:Document ; sg:concerns id:us-sica-dialogue-2008 ;
              prov:qualifiedDerivation/sg:quote ?quote }""",
        ("id:doc-etrace-2008", "-12/12/08   Seven Central American Countries To Get eTrace"),
    ),
    # ------------------------------------------------------------ partners named by whom
    q(
        "Which regional partners did President Obama name?",
        "We'll work closely with regional partners like Mexico, Colombia, Chile, Canada / And "
        "with regional and international partners, we'll make sure ...",
        """SELECT ?p WHERE { ?c sg:statedIn/sg:spokenBy id:barack-obama ;
              sg:regionalPartner ?p }""",
        "id:mexico",
        "id:colombia",
        "id:chile",
        "id:canada",
        "id:us-regional-partners",
    ),
    q(
        "Which international partners did President Obama name?",
        "and international partners like Spain, the European Union and the Inter-American "
        "Development Bank",
        """SELECT ?p WHERE { ?c sg:statedIn/sg:spokenBy id:barack-obama ;
              sg:internationalPartner ?p }""",
        "id:spain",
        "id:european-union",
        "id:inter-american-development-bank",
        "id:international-partners-santiago",
    ),
    # ------------------------------------------------------------ facts out of prose
    q(
        "Which agencies gave what to Operation Martillo?",
        "the United States is supporting this effort with DOD and DHS ships and aircraft, and "
        "DEA and DOJ personnel",
        """SELECT ?agency ?resource WHERE { ?m sg:supports id:operation-martillo ;
              sg:providedBy ?agency ; sg:resource ?resource }""",
        ("id:us-department-of-defense", "sg:Ships"),
        ("id:us-department-of-defense", "sg:Aircraft"),
        ("id:us-department-of-homeland-security", "sg:Ships"),
        ("id:us-department-of-homeland-security", "sg:Aircraft"),
        ("id:dea", "sg:Personnel"),
        ("id:us-department-of-justice", "sg:Personnel"),
    ),
    q(
        "Which groups of actors are based in Panama?",
        "partnered with Panamanian counterparts / specialized units in Guatemala, Honduras, El "
        "Salvador, Costa Rica, and Panama",
        "SELECT ?g WHERE { ?g a sg:ActorGroup ; sg:basedIn id:panama }",
        "id:panamanian-counterparts",
        "id:specialized-units-central-america",
    ),
    # ------------------------------------------------------------ names
    q(
        "What is called a migration observatory?",
        "a migration observatory supported by the United States",
        'SELECT ?x WHERE { ?x rdfs:label ?l FILTER(LCASE(STR(?l)) = "migration observatory") }',
        "id:migration-observatory",
    ),
    q(
        "What is called a Ministerial meeting, and when is it planned?",
        "The IDB also announced it will organize a Ministerial meeting by April 2018",
        """SELECT ?x ?before WHERE { ?x rdfs:label "Ministerial meeting"@en ;
              sg:plannedBefore ?before }""",
        ("id:meeting-2018-idb-ministerial", "2018-04"),
    ),
]


def _value(cell: dict[str, str] | None) -> Any:
    """A plain value: compact IRI, Decimal (numbers compare by value), or the lexical form."""
    if cell is None:
        return None
    if cell["type"] == "uri":
        return shorten(cell["value"])
    if cell.get("datatype") in NUMERIC:
        return Decimal(cell["value"])
    return cell["value"]


@pytest.fixture(scope="module")
def client(shipped_built: BuiltGraph) -> FlaskClient:
    return create_app(Settings(root=REPOSITORY), shipped_built.store).test_client()


def test_there_are_at_least_forty_questions() -> None:
    assert len(QUESTIONS) >= 40
    assert len({question.ask for question in QUESTIONS}) == len(QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=str)
def test_analyst_question_gets_the_answer_the_sources_give(
    question: Question, client: FlaskClient
) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": question.query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    document = json.loads(response.get_data())
    names = document["head"]["vars"]
    rows = [tuple(_value(b.get(n)) for n in names) for b in document["results"]["bindings"]]
    expected = [tuple(Decimal(v) if isinstance(v, int) else v for v in r) for r in question.rows]
    assert Counter(rows) == Counter(expected), question.rests_on


def test_search_finds_the_thing_the_sources_name_first(client: FlaskClient) -> None:
    # "a migration observatory", "specialized units in Guatemala, ...", "a Ministerial meeting":
    # the thing is the first hit, before the commitments whose long labels mention it.
    for text, iri in [
        ("migration observatory", "id:migration-observatory"),
        ("specialized units", "id:specialized-units-central-america"),
        ("Ministerial meeting", "id:meeting-2018-idb-ministerial"),
    ]:
        response = client.get("/search", query_string={"q": text, "format": "json"})
        assert response.status_code == 200
        first = json.loads(response.get_data())["results"][0]
        assert (shorten(first["iri"]), first["match"]) == (iri, "exact"), text
