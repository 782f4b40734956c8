"""The Library of Congress policy area (CWC topic) a release is about.

Each of the 32 topics has a profile of the words bills and releases in that
area use: general policy vocabulary, not words of any one release. A release
scores each topic by its profile's words, the headline and the ask counting
more than the body; the best topic wins when it leads clearly enough, and the
share of the score it takes is its confidence. No word at all: no topic,
rather than a default.
"""

import re

# fmt: off
PROFILES = {
    "Agriculture and Food": (
        "farm", "farms", "farmers", "farming", "agriculture", "agricultural", "crop", "crops",
        "farm bill", "ranchers", "livestock", "hunger", "food stamps", "SNAP", "nutrition",
        "food security", "dairy", "commodity", "rural", "USDA", "food aid",
    ),
    "Animals": (
        "animal", "animals", "wildlife", "endangered species", "pets", "animal welfare",
        "horses", "cruelty", "puppy mills",
    ),
    "Armed Forces and National Security": (
        "veterans", "veteran", "military", "troops", "service members", "Pentagon", "defense",
        "VA", "national security", "armed forces", "servicemembers", "war fighters",
        "intelligence community", "national guard",
    ),
    "Arts, Culture, Religion": (
        "arts", "artists", "museum", "museums", "humanities", "culture", "religious freedom",
        "public broadcasting", "libraries",
    ),
    "Civil Rights and Liberties, Minority Issues": (
        "civil rights", "civil liberties", "voting rights", "discrimination", "equality",
        "LGBT", "LGBTQ", "transgender", "gay", "disability rights", "disabilities",
        "racial", "surveillance", "privacy", "warrant", "warrants", "Fourth Amendment",
        "free speech", "First Amendment", "minority", "hate crimes", "Voting Rights Act",
        "community living", "institutions", "equal protection", "segregated",
    ),
    "Commerce": (
        "consumers", "consumer protection", "small business", "small businesses", "retail",
        "manufacturers", "manufacturing", "companies", "corporations", "industry",
        "competition", "antitrust", "trade practices",
    ),
    "Congress": (
        "filibuster", "Senate rules", "cloture", "congressional procedure", "rule change",
        "legislative process", "ethics rules", "earmarks",
    ),
    "Crime and Law Enforcement": (
        "crime", "criminal", "prison", "prisons", "incarceration", "sentencing", "police",
        "policing", "law enforcement", "guns", "gun", "firearms", "firearm", "Second Amendment",
        "gun owners", "background checks", "violence", "victims", "justice reform",
        "criminal justice", "concealed carry",
    ),
    "Economics and Public Finance": (
        "budget", "appropriations", "spending", "deficit", "debt", "shutdown",
        "continuing resolution", "fiscal", "economy", "economic", "recession", "stimulus",
        "inflation", "spending caps", "sequestration", "taxpayers", "relief package",
        "recovery", "funding bill", "omnibus",
    ),
    "Education": (
        "education", "schools", "school", "students", "teachers", "college", "colleges",
        "universities", "university", "student loans", "public education", "K-12", "educators",
        "classroom", "vouchers", "tuition", "Title I",
    ),
    "Emergency Management": (
        "disaster", "disasters", "hurricane", "hurricanes", "FEMA", "emergency response",
        "wildfire", "wildfires", "disaster relief", "preparedness",
    ),
    "Energy": (
        "energy", "clean energy", "renewable", "renewables", "solar", "wind power", "oil",
        "gas", "pipeline", "coal", "electricity", "utilities", "nuclear power", "fuel",
        "energy efficiency", "grid",
    ),
    "Environmental Protection": (
        "climate", "climate change", "environment", "environmental", "pollution", "emissions",
        "carbon", "greenhouse", "EPA", "clean air", "clean water", "deforestation", "forests",
        "conservation", "Clean Air Act", "Clean Water Act", "wetlands",
        "global warming", "fossil fuels", "carbon pollution", "toxic",
    ),
    "Families": (
        "families", "child care", "childcare", "children", "parents", "paid leave",
        "family leave", "foster care", "adoption", "domestic violence",
    ),
    "Finance and Financial Sector": (
        "banks", "banking", "financial", "Wall Street", "credit", "mortgage", "mortgages",
        "insurance", "flood insurance",
        "lenders", "consumer financial", "investors", "securities",
    ),
    "Foreign Trade and International Finance": (
        "trade", "tariffs", "tariff", "NAFTA", "trade agreement", "imports", "exports",
        "trade deal", "outsourcing", "World Trade Organization",
    ),
    "Government Operations and Politics": (
        "transparency", "open government", "records",
        "elections", "election", "campaign finance", "federal workforce", "civil service",
        "government accountability", "FOIA", "Freedom of Information", "redistricting",
        "census", "postal", "inspector general",
    ),
    "Health": (
        "health", "health care", "healthcare", "Medicaid", "Medicare", "insurance premiums",
        "Affordable Care Act", "ACA", "patients", "hospitals", "hospital", "FDA", "drug",
        "drugs", "tobacco", "cigarettes", "abortion", "reproductive",
        "doctors", "physicians", "public health", "coverage", "uninsured", "food safety",
        "disease", "vaccines",
        "mental health", "opioid",
    ),
    "Housing and Community Development": (
        "housing", "affordable housing", "homes", "home builders", "homelessness",
        "homeless", "rental", "renters", "HUD", "rental assistance", "vouchers for housing",
        "community development", "housing programs", "low income housing", "homeownership",
    ),
    "Immigration": (
        "immigration", "immigrants", "immigrant", "refugees", "refugee", "asylum", "DACA",
        "Dreamers", "deportation", "border", "visas", "citizenship", "undocumented",
        "resettlement",
    ),
    "International Affairs": (
        "foreign policy", "war", "genocide", "diplomacy", "diplomatic", "United Nations",
        "UN", "peace talks", "sanctions", "humanitarian", "foreign aid", "allies", "NATO",
        "State Department", "war powers", "treaty", "international", "embassy",
        "refugee crisis", "ceasefire", "occupation", "civil war", "regime", "dictator",
        "peacekeeping", "foreign governments", "Middle East", "overseas", "abroad",
    ),
    "Labor and Employment": (
        "workers", "worker", "labor", "union", "unions", "wages", "wage", "minimum wage",
        "jobs", "employment", "employees", "employers", "pensions", "pension", "overtime",
        "right to work", "collective bargaining", "equal pay", "pay gap", "paycheck",
        "workplace", "unemployment", "retirement security",
    ),
    "Law": (
        "courts", "judges", "judicial nominees", "Supreme Court", "litigation", "lawsuits",
        "tort", "legal services", "attorneys",
    ),
    "Native Americans": (
        "tribal", "tribes", "Native American", "Native Americans", "Indian Country",
        "American Indian", "Alaska Native", "tribal sovereignty",
    ),
    "Public Lands and Natural Resources": (
        "public lands", "national parks", "national monuments", "national forests",
        "mining", "drilling on public lands", "wilderness", "Bureau of Land Management",
        "grazing", "timber",
    ),
    "Science, Technology, Communications": (
        "technology", "internet", "broadband", "data privacy", "personal data", "online",
        "tech companies", "science", "scientists", "research", "net neutrality",
        "telecommunications", "cybersecurity", "artificial intelligence", "data",
        "social media", "algorithms",
    ),
    "Social Sciences and History": (
        "history", "historical", "historians", "commemorate",
    ),
    "Social Welfare": (
        "Social Security", "seniors", "poverty", "welfare", "safety net", "retirees",
        "low-income", "benefits", "SSI", "disability benefits", "poor",
    ),
    "Sports and Recreation": (
        "sports", "stadium", "baseball", "football", "athletes", "Olympics", "recreation",
        "hunting", "fishing", "ballpark",
    ),
    "Taxation": (
        "tax", "taxes", "tax credit", "tax credits", "tax cuts", "tax increase", "IRS",
        "tax code", "tax reform", "tax-and-spending", "taxpayer",
    ),
    "Transportation and Public Works": (
        "transportation", "infrastructure", "highways", "highway", "transit", "roads",
        "bridges", "railroads", "rail", "airlines", "aviation", "public works",
    ),
    "Water Resources Development": (
        "water resources", "dams", "levees", "Army Corps", "waterways", "harbors",
        "water infrastructure", "drinking water",
    ),
}
# Foreign countries and regions, for International Affairs (a general list, not the corpus's).
COUNTRIES = (
    "Afghanistan", "Africa", "Algeria", "Argentina", "Armenia", "Azerbaijan", "Bahrain",
    "Bangladesh", "Belarus", "Bolivia", "Bosnia", "Brazil", "Burma", "Cambodia", "Canada",
    "Chad", "Chile", "China", "Colombia", "Congo", "Cuba", "Darfur", "Egypt", "El Salvador",
    "Eritrea", "Ethiopia", "Europe", "Gaza", "Georgia", "Guatemala", "Haiti", "Honduras",
    "India", "Indonesia", "Iran", "Iraq", "Israel", "Japan", "Jordan", "Kenya", "Korea",
    "Kosovo", "Kurdistan", "Lebanon", "Libya", "Mali", "Mexico", "Myanmar", "Nicaragua",
    "Niger", "Nigeria", "Pakistan", "Palestine", "Palestinian", "Philippines", "Russia",
    "Rwanda", "Saudi Arabia", "Saudi", "Somalia", "South Sudan", "Sri Lanka", "Sudan", "Syria",
    "Taiwan", "Tibet", "Turkey", "Uganda", "Ukraine", "Uyghur", "Venezuela", "Vietnam",
    "West Bank", "Yemen", "Zimbabwe",
)
PROFILES["International Affairs"] += COUNTRIES
# fmt: on

HEADLINE_WEIGHT = 3
ASK_WEIGHT = 2


def _pattern(words):
    # Acronyms and capitalized names match as written; other words in any case.
    exact = [w for w in words if any(c.isupper() for c in w)]
    loose = [w for w in words if w not in exact]
    parts = []
    if exact:
        parts.append(r"\b(?:" + "|".join(map(re.escape, exact)) + r")\b")
    if loose:
        parts.append(r"(?i:\b(?:" + "|".join(map(re.escape, loose)) + r")\b)")
    return re.compile("|".join(parts))


_PATTERNS = {topic: _pattern(words) for topic, words in PROFILES.items()}


def topic_scores(headline, ask, body):
    """{topic: score}, the words of each profile counted (headline and ask weigh more)."""
    scores = {}
    for topic, pattern in _PATTERNS.items():
        score = (
            HEADLINE_WEIGHT * len(pattern.findall(headline))
            + ASK_WEIGHT * len(pattern.findall(ask))
            + len(pattern.findall(body))
        )
        if score:
            scores[topic] = score
    return scores


def choose_topic(headline, ask, body):
    """(topic, confidence): the best-scoring topic and its share of all scores; ("", 0)."""
    scores = topic_scores(headline, ask, body)
    if not scores:
        return "", 0.0
    best = max(scores, key=scores.get)
    return best, round(scores[best] / sum(scores.values()), 2)
