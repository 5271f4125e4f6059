"""Named queries: every queries/*.rq has a title and a question, and returns, on the shipped graph,
the answer the five source documents give.

Each expected answer below is written from the source documents (the sentence it rests on is
quoted in the check's docstring), not copied from a query run. Answers are compared as sets or
ordered lists of plain values: labels, compact IRIs (``id:...``), numbers and dates. A query whose
answer differs from the sources because the data is wrong is listed in DATA_DEFECTS and expected to
fail until the data is fixed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from secgraph.build.pipeline import BuiltGraph
from secgraph.namespaces import XSD, shorten

QUERIES = Path(__file__).parents[1] / "queries"
HEADER = re.compile(r"\A# title: \S[^\n]*\n# question: \S[^\n]*\n")

Rows = list[dict[str, Any]]
Triples = set[tuple[str, str, Any]]
Check = Callable[[Any], None]
EXPECTED: dict[str, Check] = {}
"""Query file stem -> the check of its answer (rows, a boolean or triples)."""

DATA_DEFECTS: dict[str, str] = {}
"""Query file stem -> the data defect that makes its answer differ from the sources."""

CONFERENCE_2017 = "2017 Conference on Prosperity and Security in Central America"
NEWS_2017 = "State, DHS event focuses on Central American security"
FACT_SHEET_2017 = (
    "United States Key Deliverables for the June 15-16, 2017 Conference on Prosperity and "
    "Security in Central America"
)
CARSI_FACT_SHEET = "Fact Sheet on U.S. Cooperation, Coordination in Central America"
PARTNERSHIP_FACT_SHEET = "FACT SHEET: The Central American Citizen Security Partnership"
DIALOGUE_PAGE = "United States-Central American Dialogue on Security"
NORTHERN_TRIANGLE = {"El Salvador", "Guatemala", "Honduras"}
SICA_FULL_MEMBERS = {
    "Belize",
    "Costa Rica",
    "El Salvador",
    "Guatemala",
    "Honduras",
    "Nicaragua",
    "Panama",
}
US_BODIES = {
    "Bureau of Alcohol, Tobacco, Firearms and Explosives",
    "Bureau of International Information Programs",
    "Bureau of Public Affairs",
    "Drug Enforcement Administration",
    "Joint Interagency Task Force-South",
    "Office of Website Management",
    "Office of the Spokesperson",
    "Office of the Vice President",
    "U.S. Administration",
    "U.S. Congress",
    "U.S. Customs and Border Protection",
    "U.S. Department of Defense",
    "U.S. Department of Homeland Security",
    "U.S. Department of Justice",
    "U.S. Department of State",
    "U.S. Department of the Treasury",
    "U.S. Immigration and Customs Enforcement",
    "U.S. Southern Command",
    "White House",
}
"""U.S. bodies the sources name: ATF ('the United States Bureau of ...') on the Dialogue page;
State, DHS, Treasury and the White House in the 2017 news item; State's Bureau of Public Affairs
and Bureau of International Information Programs on the CARSI fact sheet; the White House's Office
of the Vice President, DOD, DOJ, DHS, Treasury, DEA, CBP, ICE, Southern Command, JIATF-South and
'the Administration' in the Partnership fact sheet; the Office of the Spokesperson, the Office of
Website Management, Congress and the Administration in the 2017 fact sheet. (USAID is named only
by its acronym, without saying whose agency it is.)"""


# ---------------------------------------------------------------- running a query


def _value(term: Any) -> Any:
    """A plain Python value: compact IRI, int, Decimal, bool or the lexical form."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype == str(XSD.integer):
            return int(term.value)
        if datatype == str(XSD.decimal):
            return Decimal(term.value)
        if datatype == str(XSD.boolean):
            return term.value == "true"
        return term.value
    return str(term)


def _answer(result: Any) -> Rows | bool | Triples:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [variable.value for variable in result.variables]
        return [{name: _value(row[name]) for name in names} for row in result]
    return {(_value(t.subject), _value(t.predicate), _value(t.object)) for t in result}


def run(built: BuiltGraph, name: str) -> Any:
    query = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    return _answer(built.store.query(query))


def answer(name: str) -> Callable[[Check], Check]:
    """Register the check of the answer of queries/<name>.rq."""

    def register(check: Check) -> Check:
        assert name not in EXPECTED, f"two checks for {name}"
        EXPECTED[name] = check
        return check

    return register


def cols(rows: Rows, *names: str) -> set[tuple[Any, ...]]:
    return {tuple(row[name] for name in names) for row in rows}


def col(rows: Rows, name: str) -> set[Any]:
    return {row[name] for row in rows}


def where(rows: Rows, **equal: Any) -> Rows:
    return [row for row in rows if all(row[key] == value for key, value in equal.items())]


def _query_params() -> list[Any]:
    """One parameter per query file; a query hit by a known data defect is a strict xfail."""
    params = []
    for path in sorted(QUERIES.glob("*.rq")):
        defect = DATA_DEFECTS.get(path.stem)
        marks = [pytest.mark.xfail(strict=True, reason=defect)] if defect else []
        params.append(pytest.param(path.stem, id=path.stem, marks=marks))
    return params


# ---------------------------------------------------------------- the rules every query file keeps


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda path: path.stem)
def test_query_file_opens_with_title_and_question(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert HEADER.match(text), f"{path.name} must open with '# title: ...' and '# question: ...'"


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda path: path.stem)
def test_query_file_has_an_expected_answer(path: Path) -> None:
    assert path.stem in EXPECTED, f"{path.name}: add its expected answer to {Path(__file__).name}"


def test_every_expected_answer_has_its_query_file() -> None:
    files = {path.stem for path in QUERIES.glob("*.rq")}
    assert set(EXPECTED) - files == set()
    assert set(DATA_DEFECTS) - files == set()


@pytest.mark.parametrize("name", _query_params())
def test_query_returns_the_answer_the_sources_give(name: str, shipped_built: BuiltGraph) -> None:
    if name not in EXPECTED:
        pytest.fail(f"no expected answer for queries/{name}.rq")
    EXPECTED[name](run(shipped_built, name))


def test_amounts_are_compared_by_value_not_lexical_form(shipped_built: BuiltGraph) -> None:
    # The data writes 1300000000.0; Oxigraph hands back the canonical form 1300000000 (see
    # secgraph.terms.to_rdflib), so every expected answer here compares Decimal values.
    result = shipped_built.store.query(
        "SELECT ?amount WHERE { ?funding <https://w3id.org/secgraph/ontology#amount> ?amount }"
        " VALUES ?funding { <https://w3id.org/secgraph/id/funding-2017-allocated-since-2014> }"
    )
    assert isinstance(result, ox.QuerySolutions)
    [amount] = [_value(row["amount"]) for row in result]
    assert amount == Decimal("1300000000.0") == Decimal("1.3e9")


# ---------------------------------------------------------------- events and participation


@answer("event-participants-by-role")
def _event_participants(rows: Rows) -> None:
    """2017 fact sheet: 'U.S. Vice President Mike Pence, Secretary of State Rex Tillerson,
    Secretary of Homeland Security John Kelly, and Secretary of Treasury Steven Mnuchin co-hosted
    the Conference ... with Mexican Foreign Secretary Videgaray Caso, Interior Secretary Osorio
    Chong, and Secretary of Finance José Antonio Meade Kuribeña, and attended by President Jimmy
    Morales of Guatemala, President Juan Orlando Hernández of Honduras, and Vice President Oscar
    Ortiz of El Salvador. Other meeting participants included U.S. and Latin American private
    sector leaders, senior government representatives from Belize, Canada, Chile, Colombia, Costa
    Rica, the European Union, Nicaragua, Panama, and Spain, and leaders from the Inter-American
    Development Bank, the International Monetary Fund, and the World Bank.'
    News item: 'State, DHS event', 'Leaders from several Central American countries, Canada, and
    the European Union gathered', 'co-hosted by Vice President Mike Pence and the Secretaries of the
    Departments of State, Homeland Security, and Treasury in partnership with the Government of
    Mexico', 'U.S., Mexican, and Northern Triangle governments also considered ...'.
    Partnership fact sheet: 'In his meeting earlier today with the Presidents of Honduras,
    Guatemala, El Salvador, Nicaragua, Costa Rica, and Panama and the Foreign Minister of the
    Dominican Republic, Vice President Biden ...'; 'President Obama during his March 2011 trip to
    El Salvador'."""
    # Each co-host once, in the office the fact sheet gives (the news item names the three
    # Secretaries only by office; that is the same co-hosting, not three more co-hosts). The
    # earlier answer listed the three offices beside their holders: ten co-hosts for seven.
    conference = where(rows, event="id:conference-prosperity-security-2017")
    assert cols(where(conference, roleLabel="co-host"), "participantLabel", "officeLabel") == {
        ("Mike Pence", "Vice President of the United States"),
        ("Rex Tillerson", "U.S. Secretary of State"),
        ("John Kelly", "U.S. Secretary of Homeland Security"),
        ("Steven Mnuchin", "U.S. Secretary of the Treasury"),
        ("Videgaray Caso", "Foreign Secretary of Mexico"),
        ("Osorio Chong", "Interior Secretary of Mexico"),
        ("José Antonio Meade Kuribeña", "Secretary of Finance of Mexico"),
    }
    assert len(where(conference, roleLabel="co-host")) == 7
    assert cols(where(conference, roleLabel="attendee"), "participantLabel", "officeLabel") == {
        ("Jimmy Morales", "President of Guatemala"),
        ("Juan Orlando Hernández", "President of Honduras"),
        ("Oscar Ortiz", "Vice President of El Salvador"),
    }
    assert col(where(conference, roleLabel="partner"), "participantLabel") == {"Mexico"}
    assert col(where(conference, roleLabel="attendee"), "participantLabel") == {
        "Jimmy Morales",
        "Juan Orlando Hernández",
        "Oscar Ortiz",
    }
    assert col(where(conference, roleLabel="participant"), "participantLabel") == {
        "U.S. Department of State",
        "U.S. Department of Homeland Security",
        "several Central American countries",
        "U.S. and Latin American private sector leaders",
        "Belize",
        "Canada",
        "Chile",
        "Colombia",
        "Costa Rica",
        "European Union",
        "Nicaragua",
        "Panama",
        "Spain",
        "Inter-American Development Bank",
        "International Monetary Fund",
        "World Bank",
        *NORTHERN_TRIANGLE,
    }
    meeting = where(rows, event="id:meeting-biden-central-american-leaders")
    assert cols(where(meeting, participantLabel="Biden"), "officeLabel") == {
        ("Vice President of the United States",)
    }
    assert cols(meeting, "participantLabel", "roleLabel") == {
        (name, "participant")
        for name in (
            "Biden",
            "President of Honduras",
            "President of Guatemala",
            "President of El Salvador",
            "President of Nicaragua",
            "President of Costa Rica",
            "President of Panama",
            "Foreign Minister of the Dominican Republic",
        )
    }
    trip = where(rows, event="id:visit-obama-el-salvador-2011")
    assert cols(trip, "participantLabel", "officeLabel") == {
        ("Barack Obama", "President of the United States")
    }
    # Dialogue page: 'The U.S. proposed high-level security talks with Central America Integration
    # System (SICA)1 in 2006'; the Communiqué 'was signed by all countries at the end of the
    # Dialogue'. (The earlier answer had no participants for the two sessions.)
    assert cols(where(rows, event="id:us-sica-dialogue-2007"), "participantLabel") == {
        ("United States",),
        ("Central American Integration System",),
    }
    assert cols(where(rows, event="id:us-sica-dialogue-2008"), "participantLabel") == {
        ("United States",),
        ("Central American Integration System",),
        ("all countries of the second U.S.-SICA Dialogue on Security",),
    }
    assert col(rows, "event") == {
        "id:conference-prosperity-security-2017",
        "id:meeting-biden-central-american-leaders",
        "id:visit-obama-el-salvador-2011",
        "id:us-sica-dialogue-2007",
        "id:us-sica-dialogue-2008",
    }


@answer("conference-2017-cohosts")
def _conference_cohosts(rows: Rows) -> None:
    """2017 fact sheet: 'U.S. Vice President Mike Pence, Secretary of State Rex Tillerson, Secretary
    of Homeland Security John Kelly, and Secretary of Treasury Steven Mnuchin co-hosted the
    Conference ... with Mexican Foreign Secretary Videgaray Caso, Interior Secretary Osorio Chong,
    and Secretary of Finance José Antonio Meade Kuribeña'."""
    assert cols(rows, "personLabel", "officeLabel", "countryLabel") == {
        ("Mike Pence", "Vice President of the United States", "United States"),
        ("Rex Tillerson", "U.S. Secretary of State", "United States"),
        ("John Kelly", "U.S. Secretary of Homeland Security", "United States"),
        ("Steven Mnuchin", "U.S. Secretary of the Treasury", "United States"),
        ("Videgaray Caso", "Foreign Secretary of Mexico", "Mexico"),
        ("Osorio Chong", "Interior Secretary of Mexico", "Mexico"),
        ("José Antonio Meade Kuribeña", "Secretary of Finance of Mexico", "Mexico"),
    }
    assert len(rows) == 7


@answer("event-timeline")
def _event_timeline(rows: Rows) -> None:
    """Dialogue page: 'The first U.S.-SICA Dialogue was held July 17-18, 2007, in Guatemala City',
    'The second U.S.-SICA Dialogue on Security was held on December 11-12, 2008, in Washington, DC';
    Partnership fact sheet: 'his March 2011 trip to El Salvador', 'his meeting earlier today';
    2017 fact sheet: 'in Miami, Florida on June 15-16, 2017', 'The IDB also announced it will
    organize a Ministerial meeting by April 2018'."""
    assert [(r["event"], r["startDate"], r["endDate"], r["placeLabel"]) for r in rows] == [
        ("id:us-sica-dialogue-2007", "2007-07-17", "2007-07-18", "Guatemala City"),
        ("id:us-sica-dialogue-2008", "2008-12-11", "2008-12-12", "Washington, DC"),
        ("id:visit-obama-el-salvador-2011", "2011-03", None, "El Salvador"),
        ("id:conference-prosperity-security-2017", "2017-06-15", "2017-06-16", "Miami"),
        ("id:meeting-2018-idb-ministerial", None, None, None),
        ("id:meeting-biden-central-american-leaders", None, None, None),
    ]
    assert rows[4]["plannedBefore"] == "2018-04"
    assert rows[5]["timeDescription"] == "earlier today"


@answer("conference-2017-topics")
def _conference_topics(rows: Rows) -> None:
    """News item: 'State, DHS event focuses on Central American security', 'participants discussed
    policies to facilitate economic growth in the region as well as ways to combat organized crime
    and promote regional security cooperation', 'considered improvements to trade, customs, and
    infrastructure'. 2017 fact sheet: 'policies to promote investment in the region, facilitate
    sustainable growth, and improve conditions for U.S. and other companies', 'promote regional
    security cooperation, improve citizen security, and enhance the rule of law'."""
    assert col(rows, "topicLabel") == {
        "security",
        "economic growth",
        "regional security cooperation",
        "trade",
        "customs",
        "infrastructure",
        "investment",
        "sustainable growth",
        "business climate",
        "citizen security",
        "rule of law",
    }


@answer("construct-conference-participants")
def _construct_conference(triples: Triples) -> None:
    """The conference as schema.org, with everyone the two 2017 sources say took part (see
    event-participants-by-role); the U.S. Secretaries appear once, by name (the fact sheet), not
    again as the offices the news item names ('the Secretaries of the Departments of State,
    Homeland Security, and Treasury'): the earlier answer listed both."""
    event = "id:conference-prosperity-security-2017"
    assert (event, "rdf:type", "schema:Event") in triples
    assert (event, "schema:name", CONFERENCE_2017) in triples
    assert (event, "schema:startDate", "2017-06-15") in triples
    assert (event, "schema:endDate", "2017-06-16") in triples
    assert (event, "schema:location", "id:miami") in triples
    assert ("id:miami", "schema:name", "Miami") in triples
    names = {o for s, p, o in triples if p == "schema:name"}
    attendees = {o for s, p, o in triples if s == event and p == "schema:attendee"}
    attendee_names = {o for s, p, o in triples if s in attendees and p == "schema:name"}
    assert attendee_names == {
        "Mike Pence",
        "Rex Tillerson",
        "John Kelly",
        "Steven Mnuchin",
        "Videgaray Caso",
        "Osorio Chong",
        "José Antonio Meade Kuribeña",
        "Mexico",
        "Jimmy Morales",
        "Juan Orlando Hernández",
        "Oscar Ortiz",
        "U.S. Department of State",
        "U.S. Department of Homeland Security",
        "several Central American countries",
        "U.S. and Latin American private sector leaders",
        "Belize",
        "Canada",
        "Chile",
        "Colombia",
        "Costa Rica",
        "European Union",
        "Nicaragua",
        "Panama",
        "Spain",
        "Inter-American Development Bank",
        "International Monetary Fund",
        "World Bank",
        *NORTHERN_TRIANGLE,
    }
    assert len(attendees) == len(attendee_names)
    assert names == attendee_names | {CONFERENCE_2017, "Miami"}


@answer("schema-people-at-conference")
def _schema_people(rows: Rows) -> None:
    """2017 fact sheet: the co-hosts Mike Pence, Rex Tillerson, John Kelly, Steven Mnuchin,
    Videgaray Caso, Osorio Chong and José Antonio Meade Kuribeña, and the attendees Jimmy Morales,
    Juan Orlando Hernández and Oscar Ortiz (quoted in event-participants-by-role)."""
    assert col(rows, "name") == {
        "Mike Pence",
        "Rex Tillerson",
        "John Kelly",
        "Steven Mnuchin",
        "Videgaray Caso",
        "Osorio Chong",
        "José Antonio Meade Kuribeña",
        "Jimmy Morales",
        "Juan Orlando Hernández",
        "Oscar Ortiz",
    }


# ---------------------------------------------------------------- SICA, memberships and places


@answer("sica-members-status")
def _sica_members(rows: Rows) -> None:
    """Dialogue page, footnote 1: 'SICA member states include Belize, Costa Rica, El Salvador,
    Guatemala, Honduras, Nicaragua, and Panama. The Dominican Republic is an associate member state
    and Mexico is an observer state to SICA.'"""
    footnote = (
        "SICA member states include Belize, Costa Rica, El Salvador, Guatemala, Honduras, "
        "Nicaragua, and Panama. The Dominican Republic is an associate member state and Mexico is "
        "an observer state to SICA."
    )
    assert cols(rows, "stateLabel", "statusLabel") == {
        *((state, "full member state") for state in SICA_FULL_MEMBERS),
        ("Dominican Republic", "associate member state"),
        ("Mexico", "observer state"),
    }
    assert all(row["quote"] in footnote for row in rows)


@answer("country-organizations")
def _country_organizations(rows: Rows) -> None:
    """Footnote 1 of the Dialogue page (see sica-members-status) and the Partnership fact sheet:
    'Participation in the "Group of Friends of Central America"', 'Comprised of the United States
    and 16 partner nations ...'."""
    assert cols(rows, "countryLabel", "organizationLabel", "roleLabel") == {
        *(
            (state, "Central American Integration System", "full member state")
            for state in SICA_FULL_MEMBERS
        ),
        ("Dominican Republic", "Central American Integration System", "associate member state"),
        ("Mexico", "Central American Integration System", "observer state"),
        ("United States", "Group of Friends of Central America", "member"),
    }


@answer("org-memberships")
def _org_memberships(rows: Rows) -> None:
    """Footnote 1 of the Dialogue page; Partnership fact sheet: the Group of Friends is 'Comprised
    of the United States and 16 partner nations from the Western Hemisphere, Europe and Asia, as
    well as several multilateral institutions'."""
    sica = "id:sica"
    assert cols(where(rows, organization=sica), "memberName", "roleName") == {
        *((state, "full member state") for state in SICA_FULL_MEMBERS),
        ("Dominican Republic", "associate member state"),
        ("Mexico", "observer state"),
    }
    friends = where(rows, organization="id:group-of-friends-of-central-america")
    assert cols(friends, "member", "roleName") == {
        ("id:united-states", "member"),
        ("id:group-of-friends-partner-nations", "member"),
        ("id:group-of-friends-multilateral-institutions", "member"),
    }
    assert len(rows) == 12


@answer("ask-mexico-observer-not-member")
def _mexico_observer(affiliated_not_member: bool) -> None:
    """Footnote 1: 'Mexico is an observer state to SICA' (not among its member states)."""
    assert affiliated_not_member is True


@answer("central-america-countries")
def _central_america_countries(rows: Rows) -> None:
    """News item: 'The conference focused on the Northern Triangle (El Salvador, Guatamala, and
    Honduras)'; the Northern Triangle is part of Central America. No source places another
    country in Central America by name; graph:links does, from Wikidata's parts of Central
    America (Q27611), the seven the CARSI fact sheet counts ('Seven Unique Nations'). The earlier
    answer, the Northern Triangle alone, left Belize, Costa Rica, Nicaragua and Panama out."""
    assert cols(rows, "countryLabel", "viaLabel") == {
        (country, "Northern Triangle") for country in NORTHERN_TRIANGLE
    } | {(country, None) for country in SICA_FULL_MEMBERS - NORTHERN_TRIANGLE}


@answer("ask-guatemala-city-in-central-america")
def _guatemala_city(in_central_america: bool) -> None:
    """Dialogue page: 'in Guatemala City, Guatemala'; Guatemala lies in the Northern Triangle,
    which lies in Central America."""
    assert in_central_america is True


# ---------------------------------------------------------------- agreements and instruments


@answer("agreements-signed-by-country")
def _agreements_by_country(rows: Rows) -> None:
    """Dialogue page: 'Following the Dialogue, all seven SICA member states signed a Memorandum of
    Understanding with the United States Bureau of Alcohol, Tobacco, Firearms and Explosives
    (ATF)'. (The Communiqué was 'signed by all countries', which the page does not name.)"""
    assert col(rows, "agreement") == {"id:mou-atf-2008"}
    assert cols(rows, "countryLabel", "signerLabel") == {
        *((state, state) for state in SICA_FULL_MEMBERS),
        ("United States", "Bureau of Alcohol, Tobacco, Firearms and Explosives"),
    }


@answer("ask-dominican-republic-signed-atf-mou")
def _dominican_republic_mou(signed: bool) -> None:
    """Dialogue page: 'all seven SICA member states signed' the memorandum; the Dominican Republic
    'is an associate member state', not one of the seven."""
    assert signed is False


@answer("us-sica-dialogue-instruments")
def _dialogue_instruments(rows: Rows) -> None:
    """Dialogue page: 'The U.S. Strategy to Combat Criminal Gangs from Central America and Mexico
    was announced at this dialogue' (the first); 'A final Communiqué ... was signed by all countries
    at the end of the Dialogue, along with a Mechanism on follow-up' (the second); 'Following the
    Dialogue, all seven SICA member states signed a Memorandum of Understanding' with ATF; and the
    list: '-07/18/07 Final Declaration: ...', '-07/18/07 USAID-SICA Regional Gang Prevention
    Activity Agreement' (the last day of the first Dialogue, July 17-18, 2007)."""
    assert [(r["sessionNumber"], r["instrument"], r["how"]) for r in rows] == [
        (1, "id:us-strategy-combat-criminal-gangs", "announced at"),
        (1, "id:final-declaration-2007", "dated during"),
        (1, "id:usaid-sica-gang-prevention-agreement", "dated during"),
        (2, "id:mou-atf-2008", "signed after"),
        (2, "id:communique-2008", "signed at"),
        (2, "id:mechanism-2008", "signed at"),
    ]


@answer("dated-documents")
def _dated_documents(rows: Rows) -> None:
    """Dialogue page's list ('-12/12/08 Communiqué: ...', '-12/12/08 Mechanism ...', '-12/12/08
    Seven Central American Countries To Get eTrace', '-07/18/07 Final Declaration: ...', '-07/18/07
    USAID-SICA ...'); CARSI fact sheet: 'Bureau of Public Affairs / February 6, 2012'; 2017 fact
    sheet: 'Washington, DC / June 16, 2017'."""
    assert [(r["date"], r["title"]) for r in rows] == [
        (
            "2007-07-18",
            "Final Declaration: Dialogue Between Central America and the United States of America"
            " on Democratic Security",
        ),
        ("2007-07-18", "USAID-SICA Regional Gang Prevention Activity Agreement"),
        (
            "2008-12-12",
            "Communiqué: Second United States-Central American Dialogue on Democratic Security",
        ),
        (
            "2008-12-12",
            "Mechanism for Central America-United States Dialogue on Democratic Security",
        ),
        ("2008-12-12", "Seven Central American Countries To Get eTrace"),
        ("2012-02-06", CARSI_FACT_SHEET),
        ("2017-06-16", FACT_SHEET_2017),
    ]


@answer("dcterms-publishers")
def _publishers(rows: Rows) -> None:
    """CARSI fact sheet: 'U.S. Department of State / Bureau of Public Affairs'; Partnership fact
    sheet: 'The White House / Office of the Vice President'; 2017 fact sheet: 'Office of the
    Spokesperson' on a site 'for information from the U.S. State Department'; the news item's links:
    '..., Department of Homeland Security', '..., The White House', 'United States Key Deliverables
    ..., Department of Homeland Security'."""
    assert cols(rows, "title", "publisherLabel", "accordingTo") == {
        (CARSI_FACT_SHEET, "U.S. Department of State", CARSI_FACT_SHEET),
        (CARSI_FACT_SHEET, "Bureau of Public Affairs", CARSI_FACT_SHEET),
        (PARTNERSHIP_FACT_SHEET, "Office of the Vice President", PARTNERSHIP_FACT_SHEET),
        (FACT_SHEET_2017, "U.S. Department of State", FACT_SHEET_2017),
        (FACT_SHEET_2017, "Office of the Spokesperson", FACT_SHEET_2017),
        (FACT_SHEET_2017, "U.S. Department of Homeland Security", NEWS_2017),
        (
            "Conference on Prosperity and Security in Central America",
            "U.S. Department of Homeland Security",
            NEWS_2017,
        ),
        (
            "Statement on the Conference on Prosperity and Security in Central America…",
            "White House",
            NEWS_2017,
        ),
    }


# ---------------------------------------------------------------- funding


@answer("funding-by-program-fiscal-year")
def _funding_by_fiscal_year(rows: Rows) -> None:
    """Partnership fact sheet: 'From FY 2008 - 2011, funding for CARSI totaled $361 million.',
    'FY 2012's $105 million commitment to CARSI', 'During the past three years (FY 2009-2011), the
    Administration has dedicated more than $10 billion per year to treatment and prevention
    programs.', 'More than $10 billion dollars was committed in FY 2012 to implement a broad range
    of drug prevention, rehabilitation, and community outreach programs.' 2017 fact sheet: 'The
    U.S. Congress included $655 million in Fiscal Year 2017', 'The U.S. Administration's FY 2018
    budget request includes $460 million'."""
    assert [
        (
            r["program"],
            r["firstFiscalYear"],
            r["lastFiscalYear"],
            r["amount"],
            r["kindLabel"],
            r["basisLabel"],
            r["funderLabel"],
        )
        for r in rows
    ] == [
        (
            "id:carsi",
            "2008",
            "2011",
            361_000_000,
            "allocated",
            "for the whole period",
            "United States",
        ),
        (
            "id:us-drug-treatment-and-prevention-programs",
            "2009",
            "2011",
            10_000_000_000,
            "dedicated",
            "per year",
            "U.S. Administration",
        ),
        (
            "id:carsi",
            "2012",
            "2012",
            105_000_000,
            "committed",
            "for the whole period",
            "United States",
        ),
        (
            "id:us-drug-prevention-rehabilitation-outreach-programs",
            "2012",
            "2012",
            10_000_000_000,
            "committed",
            "for the whole period",
            "United States",
        ),
        (
            None,
            "2017",
            "2017",
            655_000_000,
            "appropriated",
            "for the whole period",
            "U.S. Congress",
        ),
        (
            None,
            "2018",
            "2018",
            460_000_000,
            "requested",
            "for the whole period",
            "U.S. Administration",
        ),
    ]
    assert col(rows, "currency") == {"USD"}


@answer("funding-by-kind")
def _funding_by_kind(rows: Rows) -> None:
    """Partnership fact sheet: CARSI 'has to date allocated $361 million dollars', 'From FY 2008 -
    2011, funding for CARSI totaled $361 million', 'FY 2012's $105 million commitment to CARSI',
    'the Administration has dedicated more than $10 billion per year', 'More than $10 billion
    dollars was committed in FY 2012', the Group of Friends 'has generated more than $650 million in
    commitments'. 2017 fact sheet: 'the United States has allocated $1.3 billion to Central
    America', 'The U.S. Congress included $655 million', 'The U.S. Administration's FY 2018 budget
    request includes $460 million'."""
    assert cols(rows, "kindLabel", "amount", "comparatorLabel", "funderLabel") == {
        ("allocated", 361_000_000, "exactly", "United States"),
        ("allocated", 1_300_000_000, "exactly", "United States"),
        ("committed", 105_000_000, "exactly", "United States"),
        ("committed", 10_000_000_000, "more than", "United States"),
        ("committed", 650_000_000, "more than", "Group of Friends of Central America"),
        ("dedicated", 10_000_000_000, "more than", "U.S. Administration"),
        ("appropriated", 655_000_000, "exactly", "U.S. Congress"),
        ("requested", 460_000_000, "exactly", "U.S. Administration"),
    }
    # CARSI's $361 million is one funding (the bullet's 'to date' and the paragraph's 'From FY
    # 2008 - 2011' state the same money); the earlier answer listed it twice, as allocated and as
    # totaled.
    assert len(rows) == 8
    assert [r["kindLabel"] for r in rows] == sorted(r["kindLabel"] for r in rows)
    assert col(where(rows, basisLabel="per year"), "kindLabel") == {"dedicated"}


@answer("carsi-funding")
def _carsi_funding(rows: Rows) -> None:
    """Partnership fact sheet: 'the Central America Regional Security Initiative (CARSI), which has
    to date allocated $361 million dollars in prevention, law enforcement, and rule of law
    assistance to the region', 'From FY 2008 - 2011, funding for CARSI totaled $361 million.',
    'FY 2012's $105 million commitment to CARSI ...'."""
    # One record per amount, each row one of its citations: the $361 million is one funding cited
    # by both sentences (the earlier answer had two records, 'allocated' and 'totaled').
    assert sorted(cols(rows, "funding", "amount", "kindLabel")) == [
        ("id:funding-carsi-fy2008-2011", 361_000_000, "allocated"),
        ("id:funding-carsi-fy2012", 105_000_000, "committed"),
    ]
    assert len(where(rows, funding="id:funding-carsi-fy2008-2011")) == 2
    assert col(rows, "sourceTitle") == {PARTNERSHIP_FACT_SHEET}
    for row in rows:
        assert f"${row['amount'] // 1_000_000} million" in row["quote"]


@answer("carsi-funding-total")
def _carsi_total(rows: Rows) -> None:
    """Partnership fact sheet: 'From FY 2008 - 2011, funding for CARSI totaled $361 million.' and
    'FY 2012's $105 million commitment to CARSI': $466 million over FY 2008-2012."""
    assert rows == [
        {
            "records": 2,
            "firstFiscalYear": 2008,
            "lastFiscalYear": 2012,
            "total": 466_000_000,
            "currencyCode": "USD",
        }
    ]


@answer("alliance-for-prosperity-funding")
def _alliance_funding(rows: Rows) -> None:
    """2017 fact sheet: 'Since the launch of the Alliance for Prosperity in 2014, the United States
    has allocated $1.3 billion to Central America. The U.S. Congress included $655 million in
    Fiscal Year 2017 to continue U.S. support for the region. The U.S. Administration's FY 2018
    budget request includes $460 million to further advance these goals.'"""
    assert [(r["amount"], r["kindLabel"], r["fromYear"], r["funderLabel"]) for r in rows] == [
        (1_300_000_000, "allocated", 2014, "United States"),
        (655_000_000, "appropriated", 2017, "U.S. Congress"),
        (460_000_000, "requested", 2018, "U.S. Administration"),
    ]


# ---------------------------------------------------------------- commitments


@answer("northern-triangle-commitments")
def _northern_triangle_commitments(rows: Rows) -> None:
    """2017 fact sheet: 'Northern Triangle governments committed to enact reforms to improve their
    business climates', '... agreed to macroeconomic stability and fund their development', 'The
    United States, Mexican, and Northern Triangle governments reaffirmed the importance of trade',
    '... committed to further develop the roadmap to enhance economic integration', 'They also
    agreed to continue to work on improving the flow of commercial traffic at border crossings',
    'The Northern Triangle countries and the United States agreed to improve information sharing and
    local capacity building', 'Northern Triangle leaders committed to support a migration
    observatory', 'They also committed to explore the creation of early warning protocols', the
    three commitments 'made through the U.S.-Northern Triangle Transnational Crime Roundtable',
    'Northern Triangle governments also agreed to increase internal coordination between national
    institutions at key ports of entry', 'In partnership with the United States, the Northern
    Triangle governments agreed to expand support for comprehensive violence reduction', 'The United
    States, Mexican, and Northern Triangle governments agreed to use existing mechanisms to review
    and follow up'. News item: 'U.S. and Northern Triangle countries committed themselves to ...
    improved information sharing, local capacity building, comprehensive violence reduction, and
    creating opportunities for youth'."""
    roundtable = {
        "id:commitment-2017-roundtable-common-threat",
        "id:commitment-2017-roundtable-policies-legislation",
        "id:commitment-2017-roundtable-coordination-information-sharing",
    }
    with_united_states = {
        "id:commitment-2017-importance-of-trade",
        "id:commitment-2017-information-sharing-capacity-building",
        "id:commitment-2017-violence-reduction-youth",
        "id:commitment-2017-follow-up",
        *roundtable,
    }
    with_mexico = {"id:commitment-2017-importance-of-trade", "id:commitment-2017-follow-up"}
    assert col(rows, "commitment") == {
        "id:commitment-2017-business-climate",
        "id:commitment-2017-macroeconomic-stability",
        "id:commitment-2017-economic-integration-roadmap",
        "id:commitment-2017-border-crossings-commercial-traffic",
        "id:commitment-2017-migration-observatory",
        "id:commitment-2017-early-warning-protocols",
        "id:commitment-2017-ports-of-entry-coordination",
        *with_united_states,
    }
    assert {r["commitment"] for r in rows if r["withUnitedStates"]} == with_united_states
    assert {r["commitment"] for r in rows if r["withMexico"]} == with_mexico
    assert {r["commitment"] for r in rows if r["forumLabel"]} == roundtable
    assert col(where(rows, forumLabel=None), "eventLabel") == {CONFERENCE_2017}


@answer("us-commitments-2017-conference")
def _us_commitments(rows: Rows) -> None:
    """News item: 'U.S. and Northern Triangle countries committed themselves to several efforts ...
    improved information sharing, local capacity building, comprehensive violence reduction, and
    creating opportunities for youth. The U.S. also committed to recognizing that transnational
    criminal organizations ... pose a common threat to the region; implementing policies and
    domestic legislation ...; and improving coordination and information sharing ...'. 2017 fact
    sheet: 'The United States is committed to continue to improve the delivery of U.S. foreign
    assistance', 'The United States, Mexican, and Northern Triangle governments reaffirmed the
    importance of trade', 'the United States announced technical assistance', 'The United States
    agreed to support regional governments', 'The Northern Triangle countries and the United States
    agreed to improve information sharing', 'In partnership with the United States, the Northern
    Triangle governments agreed ...', 'The United States, Mexican, and Northern Triangle governments
    agreed to use existing mechanisms to review and follow up'."""
    assert col(rows, "commitment") == {
        "id:commitment-2017-information-sharing-capacity-building",
        "id:commitment-2017-violence-reduction-youth",
        "id:commitment-2017-roundtable-common-threat",
        "id:commitment-2017-roundtable-policies-legislation",
        "id:commitment-2017-roundtable-coordination-information-sharing",
        "id:commitment-2017-us-foreign-assistance-delivery",
        "id:commitment-2017-importance-of-trade",
        "id:commitment-2017-us-technical-assistance",
        "id:commitment-2017-us-support-regional-governments",
        "id:commitment-2017-follow-up",
    }
    wording = {
        commitment: col(where(rows, commitment=commitment), "wording")
        for commitment in col(rows, "commitment")
    }
    # worded "committed themselves" in the news item, "agreed" in the fact sheet
    assert wording["id:commitment-2017-information-sharing-capacity-building"] == {
        "committed",
        "agreed",
    }
    assert wording["id:commitment-2017-importance-of-trade"] == {"reaffirmed"}
    assert wording["id:commitment-2017-us-technical-assistance"] == {"announced"}
    assert wording["id:commitment-2017-us-support-regional-governments"] == {"agreed"}


@answer("roundtable-commitments")
def _roundtable_commitments(rows: Rows) -> None:
    """2017 fact sheet: 'The United States will continue to work with the Northern Triangle
    governments to support the commitments made through the U.S.-Northern Triangle Transnational
    Crime Roundtable. These commitments include: recognizing that transnational criminal
    organizations and their illicit activities pose a common threat to the region; implementing
    policies and domestic legislation to increase the effectiveness and capacity of law enforcement
    and prosecuting agencies; and improving coordination and information sharing to more
    effectively dismantle transnational criminal organizations and their financial networks.'"""
    descriptions = {
        "recognizing that transnational criminal organizations and their illicit activities pose a"
        " common threat to the region",
        "implementing policies and domestic legislation to increase the effectiveness and capacity"
        " of law enforcement and prosecuting agencies",
        "improving coordination and information sharing to more effectively dismantle"
        " transnational criminal organizations and their financial networks",
    }
    assert col(rows, "description") == descriptions
    parties = {"United States", *NORTHERN_TRIANGLE}
    assert cols(rows, "description", "partyLabel") == {
        (description, party) for description in descriptions for party in parties
    }


# ---------------------------------------------------------------- provenance


@answer("fact-provenance")
def _fact_provenance(rows: Rows) -> None:
    """News item: 'was co-hosted by Vice President Mike Pence ...'; 2017 fact sheet: 'U.S. Vice
    President Mike Pence, ... co-hosted the Conference on Prosperity and Security in Central
    America'."""
    assert col(rows, "sourceTitle") == {NEWS_2017, FACT_SHEET_2017}
    for row in rows:
        assert "Mike Pence" in row["quote"]
        assert "co-hosted" in row["quote"]


@answer("citation-coverage")
def _citation_coverage(rows: Rows) -> None:
    """Every fact-bearing node cites the document that states it, with its words (each node's
    citation is checked verbatim against its source in test_sources)."""
    [row] = rows
    assert row["facts"] > 0
    assert row["citedFacts"] == row["facts"]
    assert row["share"] == 1


@answer("facts-per-source")
def _facts_per_source(rows: Rows) -> None:
    """The five source documents; each contributes cited facts."""
    assert col(rows, "sourceTitle") == {
        DIALOGUE_PAGE,
        NEWS_2017,
        CARSI_FACT_SHEET,
        PARTNERSHIP_FACT_SHEET,
        FACT_SHEET_2017,
    }
    assert all(row["facts"] > 0 and row["quotes"] > 0 for row in rows)
    assert [row["facts"] for row in rows] == sorted((row["facts"] for row in rows), reverse=True)


@answer("quotations")
def _quotations(rows: Rows) -> None:
    """CARSI fact sheet: '"We'll work closely ... institutions." - President Barack Obama';
    Partnership fact sheet: '"As the nations ... well-spent." President Barack Obama, Santiago,
    Chile, March21, 2011'."""
    assert cols(rows, "speakerLabel", "text", "placeLabel", "date") == {
        (
            "Barack Obama",
            "We'll work closely with regional partners like Mexico, Colombia, Chile, Canada, and"
            " international partners like Spain, the European Union and the Inter-American"
            " Development Bank. This has to be a coordinated effort that draws on the unique"
            " expertise of different countries and institutions.",
            None,
            None,
        ),
        (
            "Barack Obama",
            "As the nations of Central America develop a new regional security strategy, the"
            " United States stands ready to do our part through a new partnership that puts the"
            " focus where it should be \u2013 on the security of citizens. And with regional and"
            " international partners, we\u2019ll make sure our support is not just"
            " well-intentioned, but is well-coordinated and well-spent.",
            "Santiago",
            "2011-03-21",
        ),
    }


# ---------------------------------------------------------------- programs, goals, threats


@answer("carsi-goals")
def _carsi_goals(rows: Rows) -> None:
    """CARSI fact sheet: 'The Five Goals of CARSI in Central America: 1. Create safe streets
    ...'."""
    assert [(r["number"], r["goalLabel"]) for r in rows] == [
        (1, "Create safe streets for the citizens of the region"),
        (
            2,
            "Disrupt the movement of criminals and contraband to, within, and between the nations"
            " of Central America",
        ),
        (
            3,
            "Support the development of strong, capable, and accountable Central American"
            " governments",
        ),
        (4, "Re-establish effective state presence, services and security in communities at risk"),
        (
            5,
            "Foster enhanced levels of coordination and cooperation between the nations of the"
            " region, other international partners, and donors to combat regional security threats",
        ),
    ]


@answer("threats-addressed")
def _threats_addressed(rows: Rows) -> None:
    """Dialogue page: 'to promote coordination and discussion of transnational threats such as
    illicit trafficking of arms, drugs, and persons, criminal gangs, border security, terrorism and
    natural disasters'. Partnership fact sheet: 'to help protect people across Central America and
    the United States who are threatened by organized crime, gangs, and violence'; Operation
    Martillo 'aims to disrupt and deter trafficking along the Central American coast'."""

    def threats(effort: str) -> set[str]:
        return col(where(rows, effort=effort), "threatLabel")

    assert threats("id:us-sica-dialogue") == {
        "transnational threats",
        "illicit trafficking of arms",
        "drug trafficking",
        "human trafficking",
        "criminal gangs",
        "border security",
        "terrorism",
        "natural disasters",
    }
    assert threats("id:citizen-security-partnership") == {
        "organized crime",
        "criminal gangs",
        "violence",
    }
    assert threats("id:operation-martillo") == {"illicit trafficking"}


@answer("arms-trafficking-efforts")
def _arms_trafficking(rows: Rows) -> None:
    """Dialogue page: the Dialogue on 'illicit trafficking of arms', the memorandum 'to assist them
    in combating illicit trafficking in firearms'. 2017 fact sheet: 'early warning protocols
    regarding the movement of drugs, weapons, money, and other illicit goods'. Partnership fact
    sheet: 'Law enforcement efforts ... including targeting illicit proceeds and illegal weapons
    trafficking', specialized units that 'target firearms trafficking'."""
    assert col(rows, "effort") == {
        "id:us-sica-dialogue",
        "id:mou-atf-2008",
        "id:commitment-2017-early-warning-protocols",
        "id:support-measure-law-enforcement",
        "id:support-measure-specialized-units",
    }


@answer("operation-martillo")
def _operation_martillo(rows: Rows) -> None:
    """Partnership fact sheet: 'Operation Martillo, a U.S.-led Western Hemisphere and European
    partner nation effort'; 'the Joint Interagency Task Force-South, in support of U.S. Southern
    Command, began Operation Martillo'; 'the United States is supporting this effort with DOD and
    DHS ships and aircraft, and DEA and DOJ personnel'."""

    def actors(relation: str) -> set[str]:
        return col(where(rows, relation=relation), "actorLabel")

    assert actors("leads") == {"United States", "Joint Interagency Task Force-South"}
    assert actors("launched") == {"Joint Interagency Task Force-South"}
    assert actors("supports") == {
        "United States",
        "U.S. Department of Defense",
        "U.S. Department of Homeland Security",
        "Drug Enforcement Administration",
        "U.S. Department of Justice",
    }
    assert actors("takes part") >= {
        "U.S. Southern Command",
        "U.S. Embassies",
        "partner nations in the region",
    }


@answer("sica-security-strategy-supporters")
def _sica_strategy(rows: Rows) -> None:
    """Partnership fact sheet: the Partnership acts 'in support of the Central American Integration
    System (SICA) Security Strategy'; the Group of Friends 'has generated more than $650 million in
    commitments to support implementation of the SICA Security Strategy' and its commitments assist
    '22 programs that support the regional security strategy'; the seven countries of Central
    America 'implement their Central American Security Strategy'."""
    assert cols(rows, "relation", "supporter") == {
        ("supports", "id:citizen-security-partnership"),
        ("supports", "id:group-of-friends-of-central-america"),
        ("supports", "id:funding-group-of-friends-commitments"),
        ("supports", "id:programs-supporting-sica-security-strategy"),
        ("adopted", "id:sica"),
        ("adopted", "id:seven-countries-of-central-america"),
    }


@answer("citizen-security-partnership-support")
def _partnership_support(rows: Rows) -> None:
    """Partnership fact sheet: 'the Central American Citizen Security Partnership launched by
    President Obama during his March 2011 trip to El Salvador'; 'the United States supports the
    Partnership through multiple investments, including:' six bullets (drug demand, law
    enforcement, CARSI, federal law enforcement cooperation, Operation Martillo, Group of
    Friends)."""
    assert cols(rows, "launchedByLabel", "launchDate") == {("Barack Obama", "2011-03")}
    assert col(rows, "measure") == {
        "id:support-measure-drug-demand-reduction",
        "id:support-measure-law-enforcement",
        "id:support-measure-carsi",
        "id:support-measure-federal-law-enforcement-cooperation",
        "id:support-measure-operation-martillo",
        "id:support-measure-group-of-friends",
    }
    assert col(rows, "providerLabel") == {"United States"}


@answer("alliance-for-prosperity")
def _alliance(rows: Rows) -> None:
    """2017 fact sheet: 'conference participants reaffirmed their support for the Plan of the
    Alliance for Prosperity, an initiative led by the Northern Triangle countries of El Salvador,
    Guatemala, and Honduras'; 'Since the launch of the Alliance for Prosperity in 2014'; 'the United
    States highlighted its support for the Alliance for Prosperity'; 'the efforts of the Northern
    Triangle countries to mobilize their domestic resources to implement the Alliance'."""
    assert col(where(rows, relation="leads"), "actorLabel") == NORTHERN_TRIANGLE
    assert col(where(rows, relation="supports"), "actorLabel") == {
        "United States",
        "conference participants",
        *NORTHERN_TRIANGLE,
    }
    assert col(rows, "launched") == {"2014"}


@answer("group-of-friends-figures")
def _group_of_friends(rows: Rows) -> None:
    """Partnership fact sheet: 'Comprised of the United States and 16 partner nations ...', 'Group
    of Friends commitments, including technical assistance, valued at more than $650 million
    dollars is assisting in the design and implementation of 22 programs that support the regional
    security strategy. Eight priority programs will be implemented in the next few months.'"""
    assert cols(rows, "value", "unit", "comparatorLabel") == {
        (16, "count", "exactly"),
        (22, "count", "exactly"),
        (8, "count", "exactly"),
        (650_000_000, "USD", "more than"),
    }


@answer("hidta-figures")
def _hidta(rows: Rows) -> None:
    """Partnership fact sheet: '28 HIDTAs across 46 States bring federal, state, local, and tribal
    law enforcement agencies together to coordinate enforcement efforts, enhance intelligence
    sharing, and support coordinated law enforcement strategies.'"""
    assert [r["value"] for r in rows] == [46, 28]
    assert col(rows, "unitLabel") == {"count"}
    assert col(rows, "purpose") == {
        "to coordinate enforcement efforts, enhance intelligence sharing, and support coordinated"
        " law enforcement strategies"
    }


@answer("drug-use-trends")
def _drug_use(rows: Rows) -> None:
    """Partnership fact sheet: 'the rate of overall drug use in America has dropped roughly
    one-third during the past three decades. More recently, cocaine use has dropped by 39 percent
    and methamphetamine use has been cut by half.'"""
    methamphetamine, cocaine, overall = rows
    assert "methamphetamine" in methamphetamine["measure"]
    assert (methamphetamine["percentChange"], methamphetamine["comparatorLabel"]) == (
        -50,
        "exactly",
    )
    assert "cocaine" in cocaine["measure"]
    assert (cocaine["percentChange"], cocaine["comparatorLabel"]) == (-39, "exactly")
    assert "overall drug use" in overall["measure"]
    assert abs(overall["percentChange"] - Decimal(-100) / 3) < 1
    assert overall["comparatorLabel"] == "roughly"
    assert overall["period"] == "during the past three decades"


# ---------------------------------------------------------------- people and bodies


@answer("people-offices")
def _people_offices(rows: Rows) -> None:
    """2017 fact sheet (the co-hosts and attendees with their offices, see
    conference-2017-cohosts and event-participants-by-role); CARSI and Partnership fact sheets:
    'President Barack Obama', 'Vice President Biden'."""
    assert cols(rows, "personLabel", "officeLabel", "countryLabel") == {
        ("Barack Obama", "President of the United States", "United States"),
        ("Biden", "Vice President of the United States", "United States"),
        ("Mike Pence", "Vice President of the United States", "United States"),
        ("Rex Tillerson", "U.S. Secretary of State", "United States"),
        ("John Kelly", "U.S. Secretary of Homeland Security", "United States"),
        ("Steven Mnuchin", "U.S. Secretary of the Treasury", "United States"),
        ("Videgaray Caso", "Foreign Secretary of Mexico", "Mexico"),
        ("Osorio Chong", "Interior Secretary of Mexico", "Mexico"),
        ("José Antonio Meade Kuribeña", "Secretary of Finance of Mexico", "Mexico"),
        ("Jimmy Morales", "President of Guatemala", "Guatemala"),
        ("Juan Orlando Hernández", "President of Honduras", "Honduras"),
        ("Oscar Ortiz", "Vice President of El Salvador", "El Salvador"),
    }
    # Each holding when its source attests it: the 2017 holders at the conference, Biden at his
    # meeting, Obama on the date of the Santiago words (March 21, 2011), on his March 2011 trip and
    # on the CARSI fact sheet's date (February 6, 2012). No row joins Biden to 2017 or Pence to the
    # meeting.
    vice_president = where(rows, officeLabel="Vice President of the United States")
    assert cols(vice_president, "personLabel", "event", "date") == {
        ("Biden", "id:meeting-biden-central-american-leaders", None),
        ("Mike Pence", "id:conference-prosperity-security-2017", None),
    }
    assert cols(where(rows, personLabel="Barack Obama"), "event", "date") == {
        ("id:visit-obama-el-salvador-2011", None),
        (None, "2011-03-21"),
        (None, "2012-02-06"),
    }
    assert col(where(rows, event="id:conference-prosperity-security-2017"), "personLabel") == {
        label for (label,) in cols(rows, "personLabel")
    } - {"Barack Obama", "Biden"}


@answer("foaf-people")
def _foaf_people(rows: Rows) -> None:
    """The twelve people the sources name (see people-offices)."""
    assert col(rows, "name") == {
        "Barack Obama",
        "Biden",
        "Mike Pence",
        "Rex Tillerson",
        "John Kelly",
        "Steven Mnuchin",
        "Videgaray Caso",
        "Osorio Chong",
        "José Antonio Meade Kuribeña",
        "Jimmy Morales",
        "Juan Orlando Hernández",
        "Oscar Ortiz",
    }
    assert len(rows) == 12


@answer("foaf-homepages")
def _homepages(rows: Rows) -> None:
    """CARSI fact sheet: 'please visit our website at http://www.state.gov/p/wha/rt/carsi/index.htm',
    '(Distributed by the Bureau of International Information Programs, U.S. Department of State.
    Web site: http://iipdigital.usembassy.gov/iipdigital-en/index.html)'."""
    assert cols(rows, "thingLabel", "homepage") == {
        (
            "Central America Regional Security Initiative",
            "<http://www.state.gov/p/wha/rt/carsi/index.htm>",
        ),
        (
            "Bureau of International Information Programs",
            "<http://iipdigital.usembassy.gov/iipdigital-en/index.html>",
        ),
    }


@answer("us-government-bodies")
def _us_bodies(rows: Rows) -> None:
    """See US_BODIES; CARSI fact sheet: 'U.S. Department of State / Bureau of Public Affairs',
    '(Distributed by the Bureau of International Information Programs, U.S. Department of State.'
    Partnership fact sheet: 'The White House / Office of the Vice President'. 2017 fact sheet:
    'The Office of Website Management, Bureau of Public Affairs, manages this site'."""
    assert col(rows, "bodyLabel") == US_BODIES
    assert cols(rows, "bodyLabel", "parentLabel") >= {
        ("Bureau of Public Affairs", "U.S. Department of State"),
        ("Bureau of International Information Programs", "U.S. Department of State"),
        ("Office of the Vice President", "White House"),
        ("Office of Website Management", "Bureau of Public Affairs"),
        ("U.S. Department of State", "United States"),
        ("U.S. Department of Homeland Security", "United States"),
    }


@answer("construct-us-government-org-chart")
def _org_chart(triples: Triples) -> None:
    """Every U.S. body the sources name (US_BODIES) is, step by step, part of the United States."""
    parents: dict[str, set[str]] = {}
    for subject, predicate, parent in triples:
        if predicate == "org:subOrganizationOf":
            parents.setdefault(subject, set()).add(parent)
    names = {s: o for s, p, o in triples if p == "skos:prefLabel"}
    assert {names[body] for body in parents} == US_BODIES

    def reaches_united_states(body: str, seen: frozenset[str] = frozenset()) -> bool:
        if body == "id:united-states":
            return True
        return any(
            reaches_united_states(parent, seen | {body})
            for parent in parents.get(body, ())
            if parent not in seen
        )

    assert all(reaches_united_states(body) for body in parents)
    assert {(s, o) for s, p, o in triples if p == "rdf:type"} == {
        (body, "org:Organization") for body in parents
    }
