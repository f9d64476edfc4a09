"""Demo content: the organizations and events of the seed documents, demo country cases and logins.

Events, organizations and their links come from the seed texts (UNPOG news items, a UN press
release and an aide-memoire); nothing is added that those texts do not say. The country cases
are written for the demo and say so in their text. Every step is idempotent: running the
builder again creates nothing new.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.editors import editors_group
from accounts.models import User
from countries.models import Country, FocalPoint, Organization
from countries.services import appoint_focal_point
from events.models import Event, EventOrganizer, Participation
from paks.documents.processing import queue_processing
from paks.models import SDG, CaseStudy, Document, Theme
from paks.reference import load_all
from paks.search import index as search_index

DEMO_FILES = Path(__file__).resolve().parent / "demo_files"

EDITOR_EMAIL = "editor@paks.example"
FOCAL_EMAIL = "focal.bgd@paks.example"
EDITOR_PASSWORD_ENV = "PAKS_DEMO_EDITOR_PASSWORD"
FOCAL_PASSWORD_ENV = "PAKS_DEMO_FOCAL_PASSWORD"
DEFAULT_EDITOR_PASSWORD = "paks-editor-demo"
DEFAULT_FOCAL_PASSWORD = "paks-focal-demo"

DEMO_NOTE = "Demo case written for PAKS; figures are illustrative."

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}

SEOUL = "Asia/Seoul"
BANGKOK = "Asia/Bangkok"


def at(tz: str, y: int, m: int, d: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(y, m, d, hour, minute, tzinfo=ZoneInfo(tz))


def whole_days(tz: str, first: datetime.date, last: datetime.date) -> dict[str, Any]:
    """Start and end of an event whose sources give dates but no hours: the whole local days."""
    return {
        "start": at(tz, first.year, first.month, first.day),
        "end": at(tz, last.year, last.month, last.day, 23, 59),
        "timezone": tz,
    }


# ---------------------------------------------------------------------------------------------
# Organizations: slug -> fields. "parent" and "country" (ISO3) are resolved when saved.

ORGANIZATIONS: dict[str, dict[str, Any]] = {
    "un-desa": {
        "name": "United Nations Department of Economic and Social Affairs",
        "acronym": "UN DESA",
        "kind": Organization.Kind.UN_ENTITY,
        "website": "https://www.un.org/en/desa",
    },
    "un-desa-dpidg": {
        "name": "Division for Public Institutions and Digital Government",
        "acronym": "DPIDG",
        "kind": Organization.Kind.UN_ENTITY,
        "parent": "un-desa",
        "website": "https://publicadministration.un.org/",
        "description": (
            "UN DESA's division for public institutions and digital government, formerly the "
            "Division for Public Administration and Development Management (DPADM). It "
            "publishes the UN E-Government Survey."
        ),
    },
    "unpog": {
        "name": "United Nations Project Office on Governance",
        "acronym": "UNPOG",
        "kind": Organization.Kind.UN_ENTITY,
        "parent": "un-desa-dpidg",
        "country": "KOR",
        "website": "https://unpog.org/",
        "description": "The project office of UN DESA/DPIDG in Incheon, Republic of Korea.",
    },
    "escap": {
        "name": "United Nations Economic and Social Commission for Asia and the Pacific",
        "acronym": "ESCAP",
        "kind": Organization.Kind.UN_ENTITY,
        "website": "https://www.unescap.org/",
    },
    "escap-sdd": {
        "name": "ESCAP Social Development Division",
        "acronym": "SDD",
        "kind": Organization.Kind.UN_ENTITY,
        "parent": "escap",
    },
    "un-women": {
        "name": "United Nations Entity for Gender Equality and the Empowerment of Women",
        "acronym": "UN Women",
        "kind": Organization.Kind.UN_ENTITY,
        "website": "https://www.unwomen.org/",
    },
    "un-apcict": {
        "name": (
            "Asian and Pacific Training Centre for Information and Communication Technology "
            "for Development"
        ),
        "acronym": "UN-APCICT",
        "kind": Organization.Kind.UN_ENTITY,
        "parent": "escap",
        "country": "KOR",
        "website": "https://www.unapcict.org/",
    },
    "unu-iist": {
        "name": "United Nations University International Institute for Software Technology",
        "acronym": "UNU-IIST",
        "kind": Organization.Kind.ACADEMIA,
        "country": "MAC",
    },
    "nia-korea": {
        "name": "National Information Society Agency",
        "acronym": "NIA",
        "kind": Organization.Kind.GOVERNMENT,
        "country": "KOR",
        "website": "https://www.nia.or.kr/",
    },
    "incheon-metropolitan-city": {
        "name": "Incheon Metropolitan City",
        "kind": Organization.Kind.LOCAL_GOVERNMENT,
        "country": "KOR",
        "website": "https://www.incheon.go.kr/",
    },
    "wego": {
        "name": "World e-Governments Organization of Cities and Local Governments",
        "acronym": "WeGO",
        "kind": Organization.Kind.OTHER,
        "country": "KOR",
        "website": "https://we-gov.org/",
    },
    # Bodies of the demo country cases.
    "bangladesh-ict-division": {
        "name": "Information and Communication Technology Division, Bangladesh",
        "acronym": "ICT Division",
        "kind": Organization.Kind.GOVERNMENT,
        "country": "BGD",
        "website": "https://ictd.gov.bd/",
    },
    "bangladesh-a2i": {
        "name": "Aspire to Innovate (a2i), Bangladesh",
        "acronym": "a2i",
        "kind": Organization.Kind.GOVERNMENT,
        "parent": "bangladesh-ict-division",
        "country": "BGD",
        "website": "https://a2i.gov.bd/",
    },
    "ethiopia-mint": {
        "name": "Ministry of Innovation and Technology, Ethiopia",
        "acronym": "MInT",
        "kind": Organization.Kind.GOVERNMENT,
        "country": "ETH",
    },
    "bhutan-govtech": {
        "name": "GovTech Agency, Bhutan",
        "acronym": "GovTech",
        "kind": Organization.Kind.GOVERNMENT,
        "country": "BTN",
    },
    "lao-mtc": {
        "name": "Ministry of Technology and Communications, Lao PDR",
        "acronym": "MTC",
        "kind": Organization.Kind.GOVERNMENT,
        "country": "LAO",
    },
    "uganda-nita-u": {
        "name": "National Information Technology Authority, Uganda",
        "acronym": "NITA-U",
        "kind": Organization.Kind.GOVERNMENT,
        "country": "UGA",
        "website": "https://www.nita.go.ug/",
    },
    "korea-mois": {
        "name": "Ministry of the Interior and Safety, Republic of Korea",
        "acronym": "MOIS",
        "kind": Organization.Kind.GOVERNMENT,
        "country": "KOR",
        "website": "https://www.mois.go.kr/",
    },
}


# ---------------------------------------------------------------------------------------------
# Events of the seed documents. Parents come before the events held on their occasion.

BEIJING20 = "beijing-20-review-asia-pacific-2014"
WOMEN_SESSION = "unpog-special-session-ict-egov-womens-empowerment-2014"
ROUNDTABLE_2014 = "unpog-roundtable-promoting-good-governance-2014"
STUDY_VISIT_2019 = "study-visit-egov-2030-agenda-2019"
TRAINING_2007 = "apcict-unu-iist-regional-training-workshop-2007"
GOVERNANCE_CONFERENCE_2010 = "international-conference-good-governance-2010"
MDG_WORKSHOP_2010 = "special-workshop-ict-access-egov-mdgs-2010"

Role = EventOrganizer.Role

EVENTS: list[dict[str, Any]] = [
    {
        "slug": BEIJING20,
        "title": (
            "Asian and Pacific Conference on Gender Equality and Women's Empowerment: "
            "Beijing+20 Review"
        ),
        "kind": Event.Kind.CONFERENCE,
        **whole_days(BANGKOK, datetime.date(2014, 11, 17), datetime.date(2014, 11, 20)),
        "venue": "United Nations Conference Centre",
        "city": "Bangkok",
        "country": "THA",
        "summary": (
            "Over 700 participants, including Ministers, policy makers and civil society "
            "representatives from the region, reviewed progress, remaining challenges and "
            "priorities in advancing gender equality, twenty years after the Beijing Declaration "
            "and Platform for Action."
        ),
        "objectives": (
            "Issues addressed included eliminating violence against women and girls, empowering "
            "women economically, increasing women's political participation and leadership, "
            "addressing emerging environmental challenges and advancing peace and security for "
            "women and girls."
        ),
        "actual_participants": 700,
        "organizers": [("escap", Role.ORGANIZER), ("un-women", Role.CO_ORGANIZER)],
        "themes": ["womens-empowerment"],
        "sdgs": [5],
    },
    {
        "slug": WOMEN_SESSION,
        "title": "UNPOG Special Session on ICT, E-Government and Women's Empowerment",
        "kind": Event.Kind.SPECIAL_SESSION,
        "start": at(BANGKOK, 2014, 11, 18, 14, 30),
        "end": at(BANGKOK, 2014, 11, 18, 15, 30),
        "timezone": BANGKOK,
        "city": "Bangkok",
        "country": "THA",
        "part_of": BEIJING20,
        "summary": (
            "Part of the joint project of UNPOG and the Social Development Division (SDD) of "
            'ESCAP on "E-Government for Women\'s Empowerment", the session showcased the '
            "project's findings and engaged government officials, academics, NGOs and other "
            "stakeholders in identifying policies, tools and strategies of e-government for "
            "women's empowerment. Mr. Lim Jae-Hong, Head of UNPOG, opened the session, touching "
            "upon the role of e-government in women's empowerment and in sustainable "
            "development. The joint project is the first effort by ESCAP to relate ICT to "
            "gender equality."
        ),
        "objectives": (
            "The joint project aims to enhance knowledge, raise awareness, and share good "
            "practices in the area of e-government for women's empowerment."
        ),
        "outputs": (
            "- Findings of the joint UNPOG-SDD project presented and discussed\n"
            "- A video documentary on ICT, e-government and women's empowerment shown during "
            "the session"
        ),
        "actual_participants": 150,
        "organizers": [("unpog", Role.ORGANIZER), ("escap-sdd", Role.CO_ORGANIZER)],
        "themes": ["womens-empowerment", "e-government", "ict-access"],
        "sdgs": [5],
    },
    {
        "slug": ROUNDTABLE_2014,
        "title": "2014 UNPOG Roundtable on Promoting Good Governance",
        "kind": Event.Kind.ROUNDTABLE,
        # The news item gives the hours but not the place; UNPOG's times are Korean time.
        "start": at(SEOUL, 2014, 12, 4, 11, 0),
        "end": at(SEOUL, 2014, 12, 4, 13, 30),
        "timezone": SEOUL,
        "summary": (
            "UNPOG reviewed its activities during 2014 and sought advice and insights for its "
            "future direction from experts of government agencies, academia and international "
            "organisations. Mr. Jae-hong Lim, Head of UNPOG, highlighted the recognition of "
            "UNPOG's excellence by ECOSOC Resolution E/2014/L.30/Rev.1 and UNPOG's efforts to "
            "integrate national e-government initiatives with those at the local and municipal "
            "levels in cooperation with WeGO. Mr. Keping Yao presented UNPOG's 2014 activities "
            "and 2015 workplan in three areas: e-government and collaborative governance for "
            "sustainable development; innovation in service delivery; and institution building "
            "and e-leadership."
        ),
        "objectives": (
            "Review UNPOG's activities during 2014 and seek advice for its future direction."
        ),
        "outputs": (
            "Discussants encouraged UNPOG to continue promoting good governance through "
            "e-government, praised its work on women's empowerment through ICT, e-government "
            "for sustainable development and for disaster risk management, and its integration "
            "of national and local e-government; they advised integrating activities in a "
            "long-term plan and taking cultural aspects into account in ICT projects."
        ),
        "organizers": [("unpog", Role.ORGANIZER)],
        "themes": [
            "good-governance",
            "collaborative-governance",
            "service-delivery-innovation",
            "e-leadership",
            "local-e-government",
            "womens-empowerment",
            "disaster-risk-management",
            "digital-government-for-sustainable-development",
        ],
        "sdgs": [16],
    },
    {
        "slug": STUDY_VISIT_2019,
        "title": (
            "Study Visit on Advancing E-Government Development for the Implementation of the "
            "2030 Agenda for Sustainable Development"
        ),
        "kind": Event.Kind.STUDY_VISIT,
        **whole_days(SEOUL, datetime.date(2019, 4, 1), datetime.date(2019, 4, 5)),
        "city": "Incheon",
        "country": "KOR",
        "summary": (
            "UN DESA/DPIDG, through its project office UNPOG, and the National Information "
            "Society Agency (NIA) of the Republic of Korea co-organized this study visit as a "
            "follow-up to UN DESA's Development Account project DA1617B in Bangladesh and "
            'Ethiopia, "Evidence-based e-government policies in support of the Sustainable '
            'Development Goals". Bhutan, Lao PDR and Uganda were also invited. The experience '
            "of the Republic of Korea in e-government development, public service delivery, "
            "citizen engagement and partnership building for the SDGs was introduced "
            "throughout the visit."
        ),
        "objectives": (
            "Develop capacities of government officials of the targeted countries in leveraging "
            "e-government and digital technologies for SDG implementation. Through training "
            "sessions and site visits, participants gain knowledge and real experience of how "
            "e-government can be leveraged and how innovative practices can be adopted to "
            "achieve sustainable development."
        ),
        "organizers": [
            ("un-desa-dpidg", Role.CO_ORGANIZER),
            ("unpog", Role.CO_ORGANIZER),
            ("nia-korea", Role.CO_ORGANIZER),
        ],
        "participants": ["BGD", "ETH", "BTN", "LAO", "UGA"],
        "themes": [
            "capacity-development",
            "e-government",
            "digital-government-for-sustainable-development",
            "service-delivery-innovation",
            "e-participation",
            "collaborative-governance",
        ],
        "sdgs": [16, 17],
    },
    {
        "slug": TRAINING_2007,
        "title": (
            "Second Regional Training Workshop: Planning, Designing, Implementing, and Managing "
            "e-Government: Key Issues, Case Studies and Lessons Learned"
        ),
        "kind": Event.Kind.TRAINING,
        **whole_days(SEOUL, datetime.date(2007, 10, 8), datetime.date(2007, 10, 12)),
        "city": "Incheon",
        "country": "KOR",
        "summary": (
            "UN-APCICT and the United Nations University International Institute for Software "
            "Technology (UNU-IIST) organized their second regional training workshop for "
            "officials from national ICT ministries and planning agencies. A lack of skilled "
            "human resources in planning, design, implementation and management has proven a "
            "serious impediment to e-government services; participants shared experiences and "
            "learned good practices on developing e-government strategies. 37 representatives "
            "of governments, academia and civil society from 21 countries took part."
        ),
        "objectives": (
            "- E-government strategic planning and design\n"
            "- Needs and capacity assessments\n"
            "- Implementation and management\n"
            "- Realistic appraisal of public-private partnership opportunities and of "
            "international and regional cooperation\n"
            "- A field trip to the e-Biz Expo 2007 in Seoul to see e-government applications "
            "in action"
        ),
        "outputs": (
            'Launch of the "APCICT Network on Training Institutes for Government Leaders", to '
            'disseminate the forthcoming APCICT flagship curriculum "Academy of ICT Essentials '
            'for Government Leaders" and best practices in ICT human resource capacity-building.'
        ),
        "expected_participants": 40,
        "actual_participants": 37,
        "organizers": [
            ("un-apcict", Role.ORGANIZER),
            ("unu-iist", Role.CO_ORGANIZER),
            ("incheon-metropolitan-city", Role.SUPPORTER),
        ],
        "themes": [
            "e-government",
            "capacity-development",
            "e-government-strategy",
            "public-private-partnerships",
        ],
        "sdgs": [],
    },
    {
        "slug": GOVERNANCE_CONFERENCE_2010,
        "title": "International Conference on Good Governance for National Development",
        "kind": Event.Kind.CONFERENCE,
        **whole_days(SEOUL, datetime.date(2010, 6, 17), datetime.date(2010, 6, 18)),
        "city": "Seoul",
        "country": "KOR",
        "summary": (
            "Conference of the United Nations Project Office on Governance (UNPOG). A special "
            "workshop on ICT access and e-government for achieving the MDGs was held on its "
            "second day."
        ),
        "organizers": [("unpog", Role.ORGANIZER)],
        "themes": ["good-governance"],
        "sdgs": [16],
    },
    {
        "slug": MDG_WORKSHOP_2010,
        "title": "Special Workshop on ICT Access and e-Government for Achieving the MDGs",
        "kind": Event.Kind.WORKSHOP,
        **whole_days(SEOUL, datetime.date(2010, 6, 18), datetime.date(2010, 6, 18)),
        "venue": "Millennium Seoul Hilton",
        "city": "Seoul",
        "country": "KOR",
        "part_of": GOVERNANCE_CONFERENCE_2010,
        "summary": (
            "Organized by UN DESA and ESCAP, the workshop gathered e-government policy-makers "
            "and decision-makers of public administration from developing countries in Asia and "
            "the Pacific to exchange perspectives and share insights and experiences on forming "
            "effective and sustainable development strategies through good governance. Building "
            "on ESCAP's sub-regional workshops of October 2009 on affordable ICT access in "
            "under-served areas of LDCs, LLDCs and SIDS, and on the UN e-Government Survey, it "
            "looked to develop policy recommendations that take account of emerging trends and "
            "appropriate technologies."
        ),
        "objectives": (
            "- Discuss key issues and trends on e-government and highlight the role of good "
            "governance and public administration for national development and the MDGs\n"
            "- Provide a platform for policy dialogue and knowledge networking among "
            "e-government practitioners and decision-makers\n"
            "- Facilitate the sharing of lessons, experiences and best practices on governance "
            "and public administration in the region, including ICT applications in the public "
            "sector\n"
            "- Increase UN DESA's e-government knowledge in the Asia-Pacific region and identify "
            "case studies to populate the Public Administration Knowledge Space (PAKS)\n"
            "- Improve cooperation and collaboration with ESCAP"
        ),
        "outputs": (
            "- Country cases and presentations uploaded as contributions to the Public "
            "Administration Knowledge Space of UN DESA/DPADM\n"
            "- A publication summarizing the workshop proceedings and reporting on outcomes and "
            "next steps"
        ),
        "expected_participants": 50,
        "organizers": [
            ("un-desa", Role.ORGANIZER),
            ("escap", Role.ORGANIZER),
            # UNPOG funds the travel of the five presenters.
            ("unpog", Role.SPONSOR),
        ],
        "themes": ["ict-access", "e-government", "good-governance"],
        "sdgs": [9, 16],
    },
]


# ---------------------------------------------------------------------------------------------
# Demo country cases.

S = CaseStudy.Status

CASES: list[dict[str, Any]] = [
    {
        "slug": "bangladesh-union-digital-centres",
        "title": "Union Digital Centres: one-stop public service points in rural Bangladesh",
        "country": "BGD",
        "organization": "bangladesh-a2i",
        "year": 2019,
        "event": STUDY_VISIT_2019,
        "status": S.PUBLISHED,
        "summary": (
            "Local entrepreneurs run digital centres in every union, the lowest tier of local "
            f"government, bringing online public services close to rural citizens. {DEMO_NOTE}"
        ),
        "challenge": (
            "Rural citizens travelled long distances, often several times, to reach district "
            "offices for land records, certificates and applications. Each trip cost time and "
            "income, and the poorest households were the least served."
        ),
        "solution": (
            "- A **digital centre in each union parishad office**, run by two local "
            "entrepreneurs (at least one a woman) under a public-private partnership\n"
            "- Government services offered online through the centre: birth registration, "
            "land record copies, public exam results, social safety net enrolment\n"
            "- Private services (mobile banking, photocopies, training) keep the centres "
            "financially viable"
        ),
        "results": (
            "- Average travel time for a service fell from about a day to under an hour "
            "(illustrative)\n"
            "- Several million service requests handled each month across the network "
            "(illustrative)\n"
            "- Women entrepreneurs gained a visible role in local service delivery"
        ),
        "lessons_learned": (
            "1. Start from the services people need most, not from the technology.\n"
            "2. A sustainable business model for the operators matters as much as the "
            "software.\n"
            "3. Back-office integration across ministries is the slow part; plan for it."
        ),
        "themes": ["service-delivery-innovation", "local-e-government", "ict-access"],
        "sdgs": [10, 16],
        "documents": [("sld-slides.pptx", "Country presentation (demo file)", "presentation")],
    },
    {
        "slug": "bangladesh-digital-land-services",
        "title": "Digital land records and online mutation in Bangladesh",
        "country": "BGD",
        "organization": "bangladesh-ict-division",
        "year": 2024,
        "event": None,
        "status": S.DRAFT,
        "summary": (
            "Putting land records and the mutation (title transfer) process online to cut "
            f"delays and informal payments. {DEMO_NOTE}"
        ),
        "challenge": (
            "Land disputes make up a large share of court cases, and a title transfer needed "
            "many visits to the land office."
        ),
        "solution": (
            "An online application for mutation with fee payment by mobile money, digitized "
            "record-of-rights and SMS notifications at each step."
        ),
        "results": "_To be completed by the focal point._",
        "lessons_learned": "",
        "themes": ["service-delivery-innovation", "e-government"],
        "sdgs": [1, 16],
    },
    {
        "slug": "ethiopia-evidence-based-egov-policy",
        "title": "Evidence-based e-government policy for the SDGs in Ethiopia",
        "country": "ETH",
        "organization": "ethiopia-mint",
        "year": 2019,
        "event": STUDY_VISIT_2019,
        "status": S.PUBLISHED,
        "summary": (
            "Using survey indicators and a national assessment to set e-government priorities "
            f"that serve SDG implementation. {DEMO_NOTE}"
        ),
        "challenge": (
            "Ministries launched online services independently, with little data on uptake "
            "and no shared view of which services mattered most for the SDGs."
        ),
        "solution": (
            "- A national e-government assessment built on the UN E-Government Survey "
            "indicators\n"
            "- A prioritized list of services linked to SDG targets (health, education, "
            "agriculture)\n"
            "- A coordination committee across ministries to track progress each year"
        ),
        "results": (
            "- A costed e-government strategy adopted by the government (illustrative)\n"
            "- Twelve priority services selected for the first phase (illustrative)"
        ),
        "lessons_learned": (
            "Measure first: a shared baseline made the budget discussion with the ministry of "
            "finance much easier."
        ),
        "themes": [
            "digital-government-for-sustainable-development",
            "e-government-strategy",
            "capacity-development",
        ],
        "sdgs": [16, 17],
        "documents": [("example.pdf", "Country presentation (demo file)", "presentation")],
    },
    {
        "slug": "bhutan-community-centres-g2c-services",
        "title": "Government-to-citizen services through community centres in Bhutan",
        "country": "BTN",
        "organization": "bhutan-govtech",
        "year": 2019,
        "event": STUDY_VISIT_2019,
        "status": S.PUBLISHED,
        "summary": (
            "Community centres in the gewogs help citizens in mountain villages use online "
            f"government services. {DEMO_NOTE}"
        ),
        "challenge": (
            "Mountainous terrain and scattered settlements make travel to district "
            "headquarters slow and costly; connectivity at home is limited."
        ),
        "solution": (
            "Community centres with connectivity and trained operators offer government-to-"
            "citizen services (permits, certificates, payments) and assisted access to the "
            "national portal."
        ),
        "results": (
            "- Most frequently used services available at the centres (illustrative)\n"
            "- Shorter waiting times for rural applicants (illustrative)"
        ),
        "lessons_learned": (
            "Assisted digital access is needed for years, not months: budget for operators and "
            "maintenance as recurring costs."
        ),
        "themes": ["ict-access", "service-delivery-innovation", "local-e-government"],
        "sdgs": [9, 16],
    },
    {
        "slug": "lao-pdr-national-egov-roadmap",
        "title": "A national e-government roadmap for Lao PDR",
        "country": "LAO",
        "organization": "lao-mtc",
        "year": 2019,
        "event": STUDY_VISIT_2019,
        "status": S.SUBMITTED,
        "summary": (
            "Drafting a roadmap that sequences shared infrastructure, interoperability and "
            f"priority services. {DEMO_NOTE}"
        ),
        "challenge": (
            "Limited budgets and staff, and systems built by separate donor projects that do "
            "not exchange data."
        ),
        "solution": (
            "- A government data centre and network shared by ministries\n"
            "- Interoperability standards agreed before new systems are procured\n"
            "- Capacity building for chief information officers in each ministry"
        ),
        "results": "A roadmap submitted to the government for approval (illustrative).",
        "lessons_learned": (
            "Standards first: agreeing on data exchange early avoids paying twice for systems "
            "that cannot talk to each other."
        ),
        "themes": ["e-government-strategy", "e-leadership", "capacity-development"],
        "sdgs": [16, 17],
    },
    {
        "slug": "uganda-shared-government-network",
        "title": "A shared government network and unified services portal in Uganda",
        "country": "UGA",
        "organization": "uganda-nita-u",
        "year": 2019,
        "event": STUDY_VISIT_2019,
        "status": S.PUBLISHED,
        "summary": (
            "A national backbone connecting ministries and districts, and one portal for "
            f"online government services. {DEMO_NOTE}"
        ),
        "challenge": (
            "Each agency bought its own connectivity at high prices, and citizens had to find "
            "services across dozens of separate websites."
        ),
        "solution": (
            "- A national backbone infrastructure shared by ministries, departments and local "
            "governments\n"
            "- Bulk purchase of Internet bandwidth for all connected sites\n"
            "- A single portal listing and linking online services"
        ),
        "results": (
            "- Lower bandwidth prices for connected agencies (illustrative)\n"
            "- More services reachable from one place (illustrative)"
        ),
        "lessons_learned": (
            "Shared infrastructure needs a clear mandate and a service-level agreement, or "
            "agencies keep their own contracts."
        ),
        "themes": ["ict-access", "e-government", "collaborative-governance"],
        "sdgs": [9, 16],
    },
    {
        "slug": "korea-integrated-online-service-portal",
        "title": "An integrated online service portal: the Republic of Korea's experience",
        "country": "KOR",
        "organization": "korea-mois",
        "year": 2019,
        "event": STUDY_VISIT_2019,
        "status": S.PUBLISHED,
        "summary": (
            "How an integrated portal and shared administrative data let citizens apply for "
            f"most civil services online without paper certificates. {DEMO_NOTE}"
        ),
        "challenge": (
            "Citizens had to collect certificates from one office to submit them to another, "
            "although the government already held the data."
        ),
        "solution": (
            "- One portal for information, applications and certificates of central and local "
            "government\n"
            "- Administrative information sharing, so agencies look up data instead of asking "
            "citizens for paper\n"
            "- Proactive notices of benefits a citizen may be entitled to"
        ),
        "results": (
            "- Most civil service applications possible online (illustrative)\n"
            "- Fewer paper certificates requested each year (illustrative)"
        ),
        "lessons_learned": (
            "The law must allow data sharing between agencies before the technology can remove "
            "paperwork; privacy safeguards build the trust that makes it acceptable."
        ),
        "themes": ["service-delivery-innovation", "collaborative-governance", "e-government"],
        "sdgs": [16],
        "documents": [("hopper.png", "Photo from the presentation (demo file)", "photo")],
    },
]

# A document attached to an event rather than a case.
EVENT_DOCUMENTS: list[tuple[str, str, str, str]] = [
    (MDG_WORKSHOP_2010, "crazyones.pdf", "Workshop document (demo file)", "other"),
]


# ---------------------------------------------------------------------------------------------


@dataclass
class DemoResult:
    """What the builder did: rows created per kind, and the demo logins."""

    created: Counter[str] = field(default_factory=Counter)
    reference_loaded: bool = False
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def _countries() -> dict[str, Country]:
    return {c.iso3: c for c in Country.objects.all()}


def _organizations(result: DemoResult, countries: dict[str, Country]) -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}
    for slug, spec in ORGANIZATIONS.items():
        fields = {k: v for k, v in spec.items() if k not in ("parent", "country")}
        fields["parent"] = orgs[spec["parent"]] if "parent" in spec else None
        fields["country"] = countries[spec["country"]] if "country" in spec else None
        org, created = Organization.objects.update_or_create(slug=slug, defaults=fields)
        orgs[slug] = org
        result.created["organizations"] += created
    return orgs


def _events(
    result: DemoResult, countries: dict[str, Country], orgs: dict[str, Organization]
) -> dict[str, Event]:
    themes = {t.slug: t for t in Theme.objects.all()}
    sdgs = {s.number: s for s in SDG.objects.all()}
    events: dict[str, Event] = {}
    for spec in EVENTS:
        links = ("slug", "country", "part_of", "organizers", "participants", "themes", "sdgs")
        fields = {k: v for k, v in spec.items() if k not in links}
        fields["country"] = countries[spec["country"]] if "country" in spec else None
        fields["part_of"] = events[spec["part_of"]] if "part_of" in spec else None
        event, created = Event.objects.update_or_create(slug=spec["slug"], defaults=fields)
        events[spec["slug"]] = event
        result.created["events"] += created
        for org_slug, role in spec["organizers"]:
            _, created = EventOrganizer.objects.get_or_create(
                event=event, organization=orgs[org_slug], role=role
            )
            result.created["event organizers"] += created
        for iso3 in spec.get("participants", []):
            _, created = Participation.objects.get_or_create(event=event, country=countries[iso3])
            result.created["participations"] += created
        event.themes.add(*(themes[s] for s in spec["themes"]))
        event.sdgs.add(*(sdgs[n] for n in spec["sdgs"]))
    return events


def _user(email: str, password: str, *, first_name: str, last_name: str, staff: bool) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "username": email,
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": staff,
        },
    )
    # Keep the printed password true when the environment variable changed since the last run.
    if created or not user.check_password(password) or not user.is_active:
        user.set_password(password)
        user.is_active = True
        user.save()
    return user


def _users(
    result: DemoResult, countries: dict[str, Country], orgs: dict[str, Organization]
) -> tuple[User, User]:
    editor_password = os.environ.get(EDITOR_PASSWORD_ENV) or DEFAULT_EDITOR_PASSWORD
    focal_password = os.environ.get(FOCAL_PASSWORD_ENV) or DEFAULT_FOCAL_PASSWORD
    before = User.objects.count()
    editor = _user(EDITOR_EMAIL, editor_password, first_name="Demo", last_name="Editor", staff=True)
    editor.groups.add(editors_group())
    focal = _user(
        FOCAL_EMAIL, focal_password, first_name="Demo", last_name="Focal Point", staff=False
    )
    result.created["users"] += User.objects.count() - before
    bangladesh = countries["BGD"]
    if not FocalPoint.objects.filter(user=focal, country=bangladesh, until__isnull=True).exists():
        appoint_focal_point(
            user=focal,
            country=bangladesh,
            organization=orgs["bangladesh-a2i"],
            position="e-Government focal point",
            is_contact_public=True,
        )
        result.created["focal points"] += 1
    result.logins = [
        ("editor (admin)", EDITOR_EMAIL, editor_password),
        ("focal point, Bangladesh", FOCAL_EMAIL, focal_password),
    ]
    return editor, focal


def _save_document(result: DemoResult, doc: Document, filename: str) -> None:
    data = (DEMO_FILES / filename).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    same_file = Document.objects.filter(sha256=digest)
    same_file = same_file.filter(case=doc.case) if doc.case else same_file.filter(event=doc.event)
    if same_file.exists():
        return
    doc.original_filename = filename
    doc.media_type = MEDIA_TYPES[Path(filename).suffix.lower()]
    doc.size = len(data)
    doc.sha256 = digest
    # Stored through the storage API like any upload; processing picks it up as pending.
    doc.file.save(filename, ContentFile(data), save=True)
    queue_processing(doc)
    result.created["documents"] += 1


def _cases(
    result: DemoResult,
    countries: dict[str, Country],
    orgs: dict[str, Organization],
    events: dict[str, Event],
    editor: User,
    focal: User,
) -> None:
    themes = {t.slug: t for t in Theme.objects.all()}
    sdgs = {s.number: s for s in SDG.objects.all()}
    for spec in CASES:
        event = events[spec["event"]] if spec["event"] else None
        # Seed data: statuses and their dates are set directly, as if the review had happened
        # after the event, instead of replaying the review services with today's dates.
        presented = event.end if event else timezone.now()
        stamps: dict[str, Any] = {}
        if spec["status"] in (S.SUBMITTED, S.PUBLISHED):
            stamps["submitted_at"] = presented + datetime.timedelta(days=30)
        if spec["status"] == S.PUBLISHED:
            stamps["published_at"] = presented + datetime.timedelta(days=45)
        country = countries[spec["country"]]
        case, created = CaseStudy.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "country": country,
                "organization": orgs[spec["organization"]],
                "year": spec["year"],
                "event": event,
                "summary": spec["summary"],
                "challenge": spec["challenge"],
                "solution": spec["solution"],
                "results": spec["results"],
                "lessons_learned": spec["lessons_learned"],
                "status": spec["status"],
                "created_by": focal if country.iso3 == "BGD" else editor,
                **stamps,
            },
        )
        result.created["cases"] += created
        if created:
            case.themes.set([themes[s] for s in spec["themes"]])
            case.sdgs.set([sdgs[n] for n in spec["sdgs"]])
        for filename, title, kind in spec.get("documents", []):
            doc = Document(case=case, title=title, kind=kind, uploaded_by=case.created_by)
            _save_document(result, doc, filename)
    for slug, filename, title, kind in EVENT_DOCUMENTS:
        doc = Document(event=events[slug], title=title, kind=kind, uploaded_by=editor)
        _save_document(result, doc, filename)


def reference_data_missing() -> bool:
    return not (Country.objects.exists() and SDG.objects.exists() and Theme.objects.exists())


@transaction.atomic
def load_demo() -> DemoResult:
    """Build (or complete) the demo content; safe to run any number of times."""
    result = DemoResult()
    if reference_data_missing():
        load_all()
        result.reference_loaded = True
    countries = _countries()
    orgs = _organizations(result, countries)
    events = _events(result, countries, orgs)
    editor, focal = _users(result, countries, orgs)
    _cases(result, countries, orgs, events, editor, focal)
    # Seed cases are written directly, not through the workflow: index them in one pass.
    search_index.rebuild()
    return result
