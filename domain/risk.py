"""The risk checklist of RULEBOOK section 7 (002 L673-740): 40 factors in four areas.

Ids are permanent: `A1.1` ... `A4.15`. Each area maps to a row of the action plan with
its follow-up cadence (clock rules `risk.followup.*`, areas B1-B4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.clocks import Clock


@dataclass(frozen=True)
class RiskFactor:
    factor_id: str
    area: str  # A1..A4
    sv: str
    en: str


@dataclass(frozen=True)
class RiskArea:
    area: str  # A1..A4
    follow_up: str  # B1..B4
    rule_id: str
    sv: str
    en: str


AREAS = {
    "A1": RiskArea("A1", "B1", "risk.followup.absconding",
                   "Riskbeteenden kopplade till avvikande från boende eller skydd",
                   "Absconding behaviour"),
    "A2": RiskArea("A2", "B2", "risk.followup.mental_health",
                   "Psykisk hälsa och andra faktorer", "Mental health"),
    "A3": RiskArea("A3", "B3", "risk.followup.asylum_placement",
                   "Riskfaktorer kopplade till asylprocess och placering",
                   "Asylum process and placement"),
    "A4": RiskArea("A4", "B4", "risk.followup.trafficking",
                   "Riskfaktorer kopplade till misstanke om människohandel",
                   "Suspected trafficking"),
}

_FACTORS: dict[str, list[tuple[str, str]]] = {
    "A1": [
        ("Barnet är ofta borta från hemmet utan giltig förklaring",
         "Often away from home without a valid explanation"),
        ("Hög frånvaro i skolan eller annan sysselsättning",
         "High absence from school or other occupation"),
        ("Blir hämtad av okända vuxna eller personer utanför det etablerade nätverket",
         "Picked up by unknown adults or people outside the known network"),
        ("En person som påstår sig vara anhörig dyker upp och för barnets talan",
         "A claimed relative, unknown to those responsible, speaks for the child"),
        ("Kopplingar till misstänkt kriminalitet eller polisregister",
         "Links to suspected crime or police records"),
        ("Tecken på misstänkt bruk av alkohol eller droger",
         "Signs of suspected alcohol or drug use"),
        ("Markanta eller plötsliga förändringar i beteendemönster",
         "Marked or sudden changes in behaviour"),
        ("Tecken på radikalisering eller påverkan från extremistmiljöer",
         "Signs of radicalisation or influence from extremist circles"),
        ("Barnet undviker kontakt med familjehemsföräldrar, personal eller andra vuxna",
         "Avoids contact with foster parents, staff or other adults"),
    ],
    "A2": [
        ("Påtaglig psykisk ohälsa, exempelvis depression, ångest eller trauma",
         "Marked mental ill-health, e.g. depression, anxiety or trauma"),
        ("Självskadebeteenden eller andra tecken på självdestruktivitet",
         "Self-harm or other signs of self-destructiveness"),
        ("Svårigheter med sömn, återkommande mardrömmar eller oro",
         "Sleep problems, recurring nightmares or worry"),
        ("Social isolering eller utagerande beteenden",
         "Social isolation or acting out"),
    ],
    "A3": [
        ("Avslag eller förväntat avslag på asylansökan",
         "Rejection or expected rejection of the asylum application"),
        ("Pågående överklagande av asylbeslut", "Ongoing appeal of the asylum decision"),
        ("Lång handläggningstid för asylärendet", "Long processing time of the asylum case"),
        ("Tillhörighet till nationalitetsgrupp med låg andel bifall",
         "Nationality with a low approval rate"),
        ("Placering hos nätverk, anhöriga eller släktingar", "Kinship placement"),
        ("När barnet närmar sig 18-årsdagen", "Approaching 18"),
        ("Åldersuppskrivning, där barnets ålder ifrågasätts eller ändras", "Age upgrade"),
        ("Flytt mellan olika boendeformer eller familjer",
         "Moves between placements or families"),
        ("Påtaglig ovilja att vistas i den anvisade kommunen",
         "Unwilling to stay in the assigned municipality"),
        ("Kommer från ett land eller en region som är överrepresenterat i avvikningsstatistiken",
         "From a country or region over-represented among those who go missing"),
        ("Har familj eller bekanta i andra länder eller på annat håll i landet",
         "Family or friends in other countries or elsewhere in Sweden"),
        ("Anlände tillsammans med andra barn där några redan har avvikit",
         "Arrived with other children of whom some have gone missing"),
    ],
    "A4": [
        ("Saknar pass eller ID-handlingar, eller uppvisar falska handlingar",
         "No passport or ID, or false documents"),
        ("Har pengar eller ägodelar utan förklarat ursprung",
         "Money or belongings without explanation"),
        ("Har inte kontroll över sina resehandlingar", "Not holding own travel documents"),
        ("Verkar styrt eller kontrollerat av någon vuxen", "Controlled by an adult"),
        ("Har ett telefonnummer att ringa vid kontakt med myndigheter",
         "Told to call a number when meeting authorities"),
        ("Pressat att betala tillbaka en stor skuld för resan", "Travel debt"),
        ("Berättelsen verkar inlärd, påhittad eller har uppenbara felaktigheter",
         "Learned or inconsistent story"),
        ("Utger sig för att vara vuxen men beteendet stämmer inte",
         "Claims to be adult but does not act it"),
        ("Verkar undernärd, utmattad, rädd eller stressad",
         "Malnourished, exhausted or frightened"),
        ("Fysiskt eller verbalt utagerande eller destruktivt beteende",
         "Acting out, physically or verbally"),
        ("Har skador som kan tyda på övergrepp", "Injuries that may indicate abuse"),
        ("Arbetar med sådant som inte är avsett för barn", "Work not meant for children"),
        ("Ertappad för stöld eller har oförklarade värdesaker",
         "Caught stealing or unexplained valuables"),
        ("Känd av socialtjänst eller polis i flera kommuner eller länder",
         "Known to services in several municipalities or countries"),
        ("Har varit utsatt för människohandel eller människosmugglare",
         "Victim of trafficking or smugglers"),
    ],
}

FACTORS: dict[str, RiskFactor] = {
    f"{area}.{i}": RiskFactor(f"{area}.{i}", area, sv, en)
    for area, items in _FACTORS.items()
    for i, (sv, en) in enumerate(items, start=1)
}

# Factors Vaka derives from the case file (section 7), by the clock rule that raises them.
DERIVED = {
    "risk.flag.rejection": "A3.1",
    "risk.flag.appeal": "A3.2",
    "risk.flag.long_processing": "A3.3",
    "risk.flag.kinship_placement": "A3.5",
    "risk.flag.approaching_18": "A3.6",
    "risk.flag.age_upgrade": "A3.7",
    "risk.flag.placement_moves": "A3.8",
    # Suspected exploitation or crime recorded when the child is found (section 5).
    "risk.flag.victimisation": "A4.15",
}


def area_of(factor_id: str) -> str:
    return factor_id.split(".")[0]


@dataclass(frozen=True)
class AreaStatus:
    area: RiskArea
    next_follow_up: datetime | None
    status: str | None  # of the nearest open or missed follow-up


@dataclass(frozen=True)
class RiskSummary:
    """The child's current risk areas: ticked factors, derived flags, next follow-ups."""

    ticked: list[RiskFactor]
    derived: list[RiskFactor]
    areas: list[AreaStatus]


def risk_summary(risk_factors: list[str], risk_flags: dict[str, int],
                 clocks: list[Clock]) -> RiskSummary:
    ticked = [FACTORS[f] for f in risk_factors if f in FACTORS]
    derived = [FACTORS[f] for f in risk_flags if f in FACTORS and f not in risk_factors]
    areas = []
    for area in AREAS.values():
        live = [c for c in clocks if c.rule_id == area.rule_id and c.status in ("open", "missed")]
        if not live and not any(f.area == area.area for f in ticked + derived):
            continue
        nearest = min(live, key=lambda c: c.due) if live else None
        areas.append(AreaStatus(area, nearest.due if nearest else None,
                                nearest.status if nearest else None))
    return RiskSummary(ticked, derived, areas)
