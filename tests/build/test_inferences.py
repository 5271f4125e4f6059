"""What OWL 2 RL reasoning adds to the shipped graph and users rely on, each shown on facts the
source documents state: memberships from either side, hosts as participants, containment through
regions, alignment to schema.org / W3C ORG / FOAF / PROV-O, inverse properties; kept in its own
graph; and an inconsistency in the real ontology stops the build naming its culprit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.term import BNode

from paths import REPOSITORY
from secgraph.build.load import load_sources
from secgraph.build.pipeline import BuildError, BuiltGraph, build
from secgraph.config import Settings
from secgraph.namespaces import (
    ID,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    SG,
    shorten,
    sparql_prologue,
)
from secgraph.store.embedded import Store
from secgraph.terms import quads_to_oxigraph, to_rdflib

CONFERENCE = "id:conference-prosperity-security-2017"
SICA_FULL_MEMBERS = {
    # "SICA member states include Belize, Costa Rica, El Salvador, Guatemala, Honduras, Nicaragua,
    # and Panama." (State Department, U.S.-SICA Dialogue page, footnote 1)
    "id:belize",
    "id:costa-rica",
    "id:el-salvador",
    "id:guatemala",
    "id:honduras",
    "id:nicaragua",
    "id:panama",
}
CONFERENCE_CO_HOSTS = {
    # "U.S. Vice President Mike Pence, Secretary of State Rex Tillerson, Secretary of Homeland
    # Security John Kelly, and Secretary of Treasury Steven Mnuchin co-hosted the Conference ...
    # with Mexican Foreign Secretary Videgaray Caso, Interior Secretary Osorio Chong, and Secretary
    # of Finance José Antonio Meade Kuribeña" (the Secretaries' co-hosting is recorded once, on the
    # persons, in the offices the news item names them by)
    "id:mike-pence",
    "id:rex-tillerson",
    "id:john-kelly",
    "id:steven-mnuchin",
    "id:videgaray-caso",
    "id:osorio-chong",
    "id:jose-antonio-meade-kuribena",
}


@pytest.fixture(scope="module")
def store(shipped_built: BuiltGraph) -> Store:
    return shipped_built.store


def _show(term: object) -> str:
    """A term as it is written in the data: prefixed IRI, or quoted literal with its datatype."""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.Literal):
        return f'"{term.value}"^^{shorten(term.datatype.value)}'
    return str(term)


def _select(store: Store, query: str) -> set[str]:
    """The values of the one variable a SELECT query projects, as written in the data."""
    solutions = store.query(sparql_prologue() + query)
    assert isinstance(solutions, ox.QuerySolutions)
    return {_show(solution[0]) for solution in solutions}


def _objects(store: Store, subject: str, predicate: str) -> set[str]:
    return _select(store, f"SELECT DISTINCT ?o WHERE {{ {subject} {predicate} ?o }}")


def _subjects(store: Store, predicate: str, obj: str) -> set[str]:
    return _select(store, f"SELECT DISTINCT ?s WHERE {{ ?s {predicate} {obj} }}")


def _types(store: Store, node: str) -> set[str]:
    return _objects(store, node, "a")


def _graphs_stating(store: Store, triple: str) -> set[str]:
    """The named graphs that hold ``triple`` (a basic graph pattern without variables)."""
    return _select(store, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {triple} }} }}")


# ------------------------------------------------------------------ memberships (W3C ORG)


def test_full_membership_is_found_from_either_side(store: Store) -> None:
    # Asserted: id:belize sg:fullMemberOf id:sica. sg:fullMemberOf rdfs:subPropertyOf org:memberOf
    # (prp-spo1), org:memberOf owl:inverseOf org:hasMember (prp-inv1).
    assert _graphs_stating(store, "id:belize org:memberOf id:sica") == {"graph:inferred"}
    assert _graphs_stating(store, "id:sica org:hasMember id:belize") == {"graph:inferred"}


def test_sica_members_are_its_seven_member_states_and_its_associate_member(store: Store) -> None:
    # "The Dominican Republic is an associate member state and Mexico is an observer state to SICA."
    members = SICA_FULL_MEMBERS | {"id:dominican-republic"}
    assert _subjects(store, "org:memberOf", "id:sica") == members
    assert _objects(store, "id:sica", "org:hasMember") == members
    assert _objects(store, "id:sica", "sg:hasFullMember") == SICA_FULL_MEMBERS


def test_group_members_leave_the_group_a_group_not_an_organization(store: Store) -> None:
    # "the Northern Triangle countries of El Salvador, Guatemala, and Honduras": foaf:member (domain
    # foaf:Group) keeps the group a group; org:hasMember would have made it an sg:Organization
    # (inverse org:memberOf, range sg:Organization), which sg:ActorGroup is disjoint with.
    group = "id:northern-triangle-countries"
    assert _objects(store, group, "foaf:member") == {
        "id:el-salvador",
        "id:guatemala",
        "id:honduras",
    }
    assert {"sg:ActorGroup", "foaf:Group"} <= _types(store, group)
    assert "sg:Organization" not in _types(store, group)
    assert _objects(store, group, "org:hasMember") == set()


def test_an_institutionalized_dialogue_is_what_the_instrument_concerns(store: Store) -> None:
    # "A final Communiqué that institutionalized the Dialogue": sg:institutionalizes is a
    # sub-property of sg:concerns (prp-spo1), so the Communiqué is found among its instruments.
    assert _objects(store, "id:communique-2008", "sg:institutionalizes") == {"id:us-sica-dialogue"}
    assert _subjects(store, "sg:institutionalizes", "id:us-sica-dialogue") == {"id:communique-2008"}
    assert "id:us-sica-dialogue" in _objects(store, "id:communique-2008", "sg:concerns")


def test_associate_member_is_a_member_but_observer_is_not(store: Store) -> None:
    assert "id:sica" in _objects(store, "id:dominican-republic", "org:memberOf")
    assert "id:sica" not in _objects(store, "id:mexico", "org:memberOf")
    assert "id:mexico" not in _objects(store, "id:sica", "org:hasMember")


def test_observer_is_affiliated_like_every_member(store: Store) -> None:
    # sg:observerOf and org:memberOf are both sub-properties of sg:affiliatedWith.
    affiliates = SICA_FULL_MEMBERS | {"id:dominican-republic", "id:mexico"}
    assert _subjects(store, "sg:affiliatedWith", "id:sica") == affiliates
    assert _objects(store, "id:sica", "sg:hasAffiliate") == affiliates


# ------------------------------------------------------------------ participation in events


def test_co_host_is_a_host_and_a_participant(store: Store) -> None:
    # Asserted: id:mike-pence sg:coHosted the conference. sg:coHosted < sg:hosted <
    # sg:participatedIn, and the inverses sg:hasCoHost < sg:hasHost < sg:hasParticipant <
    # schema:attendee (prp-spo1, prp-inv1/2).
    for predicate in ("sg:hasCoHost", "sg:hasHost", "sg:hasParticipant", "schema:attendee"):
        assert "id:mike-pence" in _objects(store, CONFERENCE, predicate), predicate
    assert CONFERENCE in _objects(store, "id:mike-pence", "sg:participatedIn")
    assert _graphs_stating(store, f"{CONFERENCE} sg:hasParticipant id:mike-pence") == {
        "graph:inferred"
    }


def test_conference_organizers_are_its_co_hosts(store: Store) -> None:
    # sg:hasHost rdfs:subPropertyOf schema:organizer.
    assert _objects(store, CONFERENCE, "sg:hasHost") == CONFERENCE_CO_HOSTS
    assert _objects(store, CONFERENCE, "schema:organizer") == CONFERENCE_CO_HOSTS


def test_partner_and_attendee_take_part_without_hosting(store: Store) -> None:
    # "in partnership with the Government of Mexico"; "attended by President Jimmy Morales of
    # Guatemala".
    participants = _objects(store, CONFERENCE, "schema:attendee")
    assert {"id:mexico", "id:jimmy-morales"} <= participants
    assert {"id:mexico", "id:jimmy-morales"}.isdisjoint(_objects(store, CONFERENCE, "sg:hasHost"))
    assert _objects(store, CONFERENCE, "sg:hasPartner") == {"id:mexico"}
    assert participants >= CONFERENCE_CO_HOSTS


# ------------------------------------------------------------------ places


def test_northern_triangle_countries_lie_in_central_america_by_the_sources_and_the_gazetteer(
    store: Store,
) -> None:
    # Asserted: each country sg:locatedIn id:northern-triangle (the 2017 sources), which
    # sg:locatedIn id:central-america; graph:links states the country in Central America too, from
    # the gazetteer, so no source graph states it and reasoning has nothing to add.
    for country in ("id:el-salvador", "id:guatemala", "id:honduras"):
        assert _graphs_stating(store, f"{country} sg:locatedIn id:northern-triangle") == {
            "graph:conference-2017-news",
            "graph:conference-2017-deliverables",
        }
        assert _graphs_stating(store, f"{country} sg:locatedIn id:central-america") == {
            "graph:links"
        }


def test_a_city_lies_in_its_country_region_only_by_inference(store: Store) -> None:
    # Asserted: id:guatemala-city sg:locatedIn id:guatemala (the Dialogue page), id:guatemala
    # sg:locatedIn id:central-america (graph:links); sg:locatedIn is transitive (prp-trp).
    assert _graphs_stating(store, "id:guatemala-city sg:locatedIn id:central-america") == {
        "graph:inferred"
    }
    # Asserted: id:miami sg:locatedIn id:florida (the 2017 sources), id:florida sg:locatedIn
    # id:united-states (graph:links, from GeoNames).
    assert _graphs_stating(store, "id:miami sg:locatedIn id:united-states") == {"graph:inferred"}


def test_containment_runs_through_country_and_region_both_ways(store: Store) -> None:
    # Guatemala City lies in Guatemala (U.S.-SICA Dialogue page), Guatemala in the Northern
    # Triangle (2017 sources); sg:contains is the inverse of sg:locatedIn.
    assert "id:central-america" in _objects(store, "id:guatemala-city", "sg:locatedIn")
    assert "id:central-america" in _objects(store, "id:guatemala-city", "schema:containedInPlace")
    contained = _objects(store, "id:central-america", "sg:contains")
    assert {"id:northern-triangle", "id:guatemala", "id:guatemala-city"} <= contained
    assert "id:miami" not in contained


# ------------------------------------------------------------------ alignment to reused terms


def test_person_is_a_schema_foaf_and_prov_person(store: Store) -> None:
    assert {"schema:Person", "foaf:Person", "prov:Person", "sg:Actor", "foaf:Agent"} <= _types(
        store, "id:mike-pence"
    )


def test_country_is_a_schema_country_and_place(store: Store) -> None:
    assert {"schema:Country", "schema:Place", "sg:Place", "sg:Actor"} <= _types(
        store, "id:guatemala"
    )


def test_intergovernmental_organization_is_an_org_foaf_and_schema_organization(
    store: Store,
) -> None:
    assert {"org:Organization", "foaf:Organization", "schema:Organization", "prov:Agent"} <= (
        _types(store, "id:sica")
    )


def test_was_derived_from_follows_from_the_qualified_derivation(store: Store) -> None:
    # PROV-O §3.3: owl:propertyChainAxiom (prov:qualifiedDerivation prov:entity) (prp-spo2).
    assert _objects(store, "id:membership-belize-sica", "prov:wasDerivedFrom") == {
        "id:source-us-sica-dialogue"
    }
    # The conference is stated by both the news item and the fact sheet.
    assert _objects(store, CONFERENCE, "prov:wasDerivedFrom") == {
        "id:source-conference-2017-news",
        "id:source-conference-2017-deliverables",
    }
    assert _graphs_stating(
        store, "id:membership-belize-sica prov:wasDerivedFrom id:source-us-sica-dialogue"
    ) == {"graph:inferred"}


def test_event_dates_are_schema_dates(store: Store) -> None:
    # "from June 15 to June 16" / "on June 15-16, 2017"
    assert _objects(store, CONFERENCE, "schema:startDate") == {'"2017-06-15"^^xsd:date'}
    assert _objects(store, CONFERENCE, "schema:endDate") == {'"2017-06-16"^^xsd:date'}
    # "The first U.S.-SICA Dialogue was held July 17-18, 2007"
    assert _objects(store, "id:us-sica-dialogue-2007", "schema:startDate") == {
        '"2007-07-17"^^xsd:date'
    }


def test_funders_are_schema_funders(store: Store) -> None:
    # "From FY 2008 - 2011, funding for CARSI totaled $361 million." (U.S. funding)
    assert _objects(store, "id:funding-carsi-fy2008-2011", "schema:funder") == {"id:united-states"}
    # "The U.S. Congress included \$655 million in Fiscal Year 2017"
    assert _objects(store, "id:funding-2017-fy2017-appropriation", "schema:funder") == {
        "id:us-congress"
    }
    assert "id:carsi" in _objects(store, "id:funding-carsi-fy2008-2011", "schema:fundedItem")


def test_organizer_of_an_announced_meeting_is_its_schema_organizer(store: Store) -> None:
    # "The IDB also announced it will organize a Ministerial meeting by April 2018"
    assert _objects(store, "id:meeting-2018-idb-ministerial", "schema:organizer") == {
        "id:inter-american-development-bank"
    }


# ------------------------------------------------------------------ inverse properties


def test_signatories_signed_their_instruments(store: Store) -> None:
    # "all seven SICA member states signed a Memorandum of Understanding with the United States
    # Bureau of Alcohol, Tobacco, Firearms and Explosives (ATF)"; sg:signatory owl:inverseOf
    # sg:signed.
    assert _subjects(store, "sg:signed", "id:mou-atf-2008") == SICA_FULL_MEMBERS | {"id:atf"}
    assert _objects(store, "id:belize", "sg:signed") == {"id:mou-atf-2008"}
    assert "id:mou-atf-2008" not in _objects(store, "id:dominican-republic", "sg:signed")
    assert _graphs_stating(store, "id:atf sg:signed id:mou-atf-2008") == {"graph:inferred"}


def test_an_office_holding_is_an_org_membership_with_no_timeless_shortcut(store: Store) -> None:
    # "Vice President Biden" (Partnership fact sheet, at his meeting) and "Vice President Mike
    # Pence" (2017 sources, at the conference) are two holdings, each of its time. sg:OfficeHolding
    # rdfs:subClassOf org:Membership (cax-sco), sg:officeHolder rdfs:subPropertyOf org:member
    # (prp-spo1); nothing joins the office to a holder without the holding's time.
    holdings = {
        "id:holding-biden-vice-president-of-the-united-states",
        "id:holding-mike-pence-vice-president-of-the-united-states",
    }
    assert _subjects(store, "sg:heldOffice", "id:vice-president-of-the-united-states") == holdings
    for holding in holdings:
        assert "org:Membership" in _types(store, holding)
    assert _objects(
        store, "id:holding-biden-vice-president-of-the-united-states", "org:member"
    ) == {"id:biden"}
    assert (
        _select(store, "SELECT ?o WHERE { id:biden ?p id:vice-president-of-the-united-states }")
        == set()
    )


def test_an_office_and_a_body_act_for_their_country(store: Store) -> None:
    # Asserted: id:us-secretary-of-state sg:officeOf id:us-department-of-state, which sg:partOf
    # id:united-states; both are sub-properties of sg:actsFor (prp-spo1), which is transitive
    # (prp-trp).
    assert "id:united-states" in _objects(store, "id:us-secretary-of-state", "sg:actsFor")
    assert _graphs_stating(store, "id:us-secretary-of-state sg:actsFor id:united-states") == {
        "graph:inferred"
    }


def test_a_country_takes_part_through_its_people_offices_and_bodies(store: Store) -> None:
    # sg:participant and sg:inOffice rdfs:subPropertyOf sg:onBehalfOf; (sg:onBehalfOf sg:actsFor)
    # and (sg:representedIn sg:event) are property chains (prp-spo2), sg:representedIn the inverse
    # of sg:onBehalfOf (prp-inv). Guatemala: its government at the 2017 conference ("Northern
    # Triangle governments"), its President at Biden's meeting ("the Presidents of Honduras,
    # Guatemala, ...").
    assert _objects(store, "id:guatemala", "sg:tookPartIn") == {
        CONFERENCE,
        "id:meeting-biden-central-american-leaders",
    }
    assert _graphs_stating(
        store, "id:guatemala sg:tookPartIn id:meeting-biden-central-american-leaders"
    ) == {"graph:inferred"}
    # The United States: the Dialogue sessions itself; the conference through Pence and its
    # departments; the meeting through Biden, Vice President; the trip through President Obama.
    assert _objects(store, "id:united-states", "sg:tookPartIn") == {
        "id:us-sica-dialogue-2007",
        "id:us-sica-dialogue-2008",
        CONFERENCE,
        "id:meeting-biden-central-american-leaders",
        "id:visit-obama-el-salvador-2011",
    }
    # A person acts for no country: whom a person acts for is the office at the time.
    assert _objects(store, "id:biden", "sg:tookPartIn") == {
        "id:meeting-biden-central-american-leaders"
    }


def test_committers_made_their_commitments(store: Store) -> None:
    # "The United States, Mexican, and Northern Triangle governments agreed to use existing
    # mechanisms to review and follow up on the conference commitments."
    assert _subjects(store, "sg:madeCommitment", "id:commitment-2017-follow-up") == {
        "id:united-states",
        "id:mexico",
        "id:el-salvador",
        "id:guatemala",
        "id:honduras",
    }


# ------------------------------------------------------------------ where inferences live


def test_inferred_graph_repeats_no_asserted_triple(store: Store) -> None:
    repeated = store.query(
        sparql_prologue()
        + "ASK { GRAPH graph:inferred { ?s ?p ?o } GRAPH ?g { ?s ?p ?o } "
        + "FILTER(?g != graph:inferred) }"
    )
    assert isinstance(repeated, ox.QueryBoolean)
    assert not repeated


def test_asserted_graphs_hold_exactly_what_the_sources_state(store: Store) -> None:
    # The sources loaded afresh into a store of their own (Oxigraph writes xsd:decimal values in
    # canonical form, so both sides go through it) must equal the built store graph by graph.
    loaded = load_sources(Settings(root=REPOSITORY)).dataset
    fresh = ox.Store()
    fresh.extend(quads_to_oxigraph(loaded.quads((None, None, None, None))))
    names = {str(graph.identifier) for graph in loaded.graphs() if len(graph)}
    assert set(store.named_graphs()) == names | {str(INFERRED_GRAPH)}
    assert str(ONTOLOGY_GRAPH) in names
    for name in sorted(names):
        built = _graph(store.query("CONSTRUCT WHERE { ?s ?p ?o }", default_graph_uris=[name]))
        expected = _graph(
            fresh.query("CONSTRUCT WHERE { ?s ?p ?o }", default_graph=[ox.NamedNode(name)])
        )
        assert len(built) == len(expected), name
        assert isomorphic(built, expected), name


def _graph(triples: object) -> Graph:
    assert isinstance(triples, ox.QueryTriples)
    bnodes: dict[str, BNode] = {}
    graph = Graph()
    for triple in triples:
        graph.add(
            (
                to_rdflib(triple.subject, bnodes),
                to_rdflib(triple.predicate, bnodes),
                to_rdflib(triple.object, bnodes),
            )
        )
    return graph


# ------------------------------------------------------------------ inconsistency


def test_person_typed_a_country_is_an_inconsistency_naming_the_culprit(tmp_path: Path) -> None:
    # sg:Person and sg:Country are members of one owl:AllDisjointClasses (OWL 2 RL cax-adc).
    data = tmp_path / "data"
    shutil.copytree(REPOSITORY / "data", data)
    prefixes = "".join(f"@prefix {name}: <{PREFIXES[name]}> .\n" for name in ("sg", "id"))
    (data / "mike-pence-as-a-country.ttl").write_text(
        prefixes + "id:mike-pence a sg:Country .\n", encoding="utf-8"
    )
    with pytest.raises(BuildError) as caught:
        build(Settings(root=REPOSITORY, data_dir=data))
    inconsistency = caught.value.inconsistency
    assert inconsistency is not None, str(caught.value)
    named = [str(culprit) for culprit in inconsistency.culprits]
    assert any(
        str(ID["mike-pence"]) in text and str(SG.Person) in text and str(SG.Country) in text
        for text in named
    ), named
