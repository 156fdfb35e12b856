"""Build the realistic test PDFs in tests/fixtures/ the way municipalities make theirs.

A budget written in a word processor and exported to PDF: this script writes an OpenDocument
text file (the XML by hand, no extra dependency) with running headers and footers, numbered
headings, bullets, a risk table with narrow columns that runs over a page break, a two-column
page, a text box and a paragraph that runs over a page break, and converts it with LibreOffice
(`libreoffice --headless --convert-to pdf`). From that export it derives:

- brakelveen_begroting_2025.pdf: the export as it is (a good text layer);
- brakelveen_scan_bijlage.pdf: two pages of the export, the second only an image of its text
  (a scanned appendix);
- brakelveen_jaarstukken_kapot.pdf: the export with every font's ToUnicode map removed and the
  embedded font programs' character maps made useless, so extraction gives glyph-code garbage
  as older exports do;
- brakelveen_gemengd.pdf: three pages of the good export and one of the broken one.

and writes tests/fixtures/labels.json: for every fixture the pages, which pages are image-only
or have a broken text layer, the paragraphs (kind, text, the pages they start and end on), the
table rows, words OCR must find, and the expected status per --ocr setting.

All text is original and the municipality (Brakelveen) is fictional. Needs LibreOffice Writer
and PyMuPDF on the machine that runs it; CI only reads the committed PDFs:

    apt-get install libreoffice-writer-nogui
    python scripts/make_fixtures.py
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pymupdf
from PIL import Image  # pillow: installed with matplotlib

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
NAME = "brakelveen_begroting_2025"

# --- the document -------------------------------------------------------------------------------
# Each item: (kind, text) with kind heading1, heading2, para, bullet, table, columns, textbox,
# pagebreak. Paragraph ids in labels.json follow the order of this list.

INTRO = [
    ("heading1", "1 Inleiding"),
    (
        "para",
        "Voor u ligt de programmabegroting 2025 van de gemeente Brakelveen. Het college legt "
        "hierin vast welke doelen het in 2025 nastreeft, welke activiteiten daarvoor nodig zijn "
        "en wat die kosten. De begroting is sluitend: na verwerking van de meicirculaire resteert "
        "een positief saldo van € 412.000, dat wij toevoegen aan de algemene reserve.",
    ),
    (
        "para",
        "Brakelveen telt op 1 januari 2024 ruim 38.600 inwoners. De groei van het aantal "
        "huishoudens zet door, vooral in de kernen Oudemolen en Zandhoeve. Dat vraagt om "
        "investeringen in wegen, scholen en voorzieningen, en om een organisatie die haar "
        "dienstverlening op orde houdt.",
    ),
    (
        "para",
        "De financiële positie van de gemeente is gezond, maar de vooruitzichten vanaf 2026 zijn "
        "onzeker. Het Rijk heeft de herijking van het gemeentefonds nog niet afgerond en de "
        "opschalingskorting komt terug in de meerjarenraming. Wij ramen de algemene uitkering "
        "daarom behoedzaam en houden in de jaren 2026 tot en met 2028 rekening met een tekort "
        "dat oploopt tot € 1,2 miljoen. In de kadernota 2026 doen wij voorstellen om dat tekort "
        "te dekken, met zowel besparingen als een verhoging van de onroerendezaakbelasting.",
    ),
    ("heading2", "1.1 Leeswijzer"),
    (
        "para",
        "Hoofdstuk 2 beschrijft de programma's met hun doelen, activiteiten en budgetten. "
        "Hoofdstuk 3 bevat de verplichte paragrafen, waaronder de paragraaf bedrijfsvoering met "
        "informatieveiligheid en digitale dienstverlening. Hoofdstuk 4 geeft het overzicht van "
        "de risico's en het weerstandsvermogen.",
    ),
    ("bullet", "Programma 1: Bestuur en dienstverlening"),
    ("bullet", "Programma 2: Ruimte, wonen en mobiliteit"),
    ("bullet", "Programma 3: Zorg, jeugd en werk"),
    ("heading1", "2 Programma's"),
    ("heading2", "2.1 Bestuur en dienstverlening"),
    (
        "para",
        "Inwoners en ondernemers regelen steeds meer zaken met de gemeente via internet. In 2024 "
        "werd 71 procent van de aanvragen voor een uittreksel, een parkeervergunning of een "
        "afspraak online gedaan. In 2025 breiden we het digitale loket uit met de melding van een "
        "verhuizing en de aanvraag van een gehandicaptenparkeerkaart, beide met DigiD. Voor "
        "ondernemers komt eHerkenning beschikbaar voor vergunningen voor evenementen en terrassen.",
    ),
    (
        "para",
        "Achter het loket werken we zaakgericht: elke aanvraag krijgt een dossier in het "
        "zaaksysteem, zodat een inwoner die belt te horen krijgt hoe ver zijn aanvraag is. De "
        "overgang naar het nieuwe zaaksysteem is in het voorjaar van 2025 afgerond. Het budget "
        "daarvoor bedraagt € 185.000, waarvan € 60.000 structureel voor licenties en beheer. "
        "Medewerkers van het klantcontactcentrum krijgen een training in het werken met het "
        "nieuwe systeem, en de oude applicaties worden na de overgang uitgezet en gearchiveerd "
        "volgens de Archiefwet. Wij verwachten dat de doorlooptijd van een gewone aanvraag "
        "daardoor met een derde afneemt, en we rapporteren daarover in de jaarstukken 2025 met "
        "de cijfers uit het zaaksysteem zelf.",
    ),
    ("heading2", "2.2 Ruimte, wonen en mobiliteit"),
    (
        "para",
        "Het onderhoud van wegen en fietspaden volgt het beheerplan openbare ruimte 2023-2027. "
        "In 2025 worden de Molenweg en de Dorpsstraat in Zandhoeve heringericht. De raad heeft "
        "daarvoor een krediet van € 1,4 miljoen beschikbaar gesteld. Bij de herinrichting "
        "krijgen fietsers meer ruimte en wordt de maximumsnelheid verlaagd naar 30 km per uur.",
    ),
    (
        "textbox",
        "Kader: slimme lantaarnpalen. In 2025 vervangen we 900 lantaarnpalen door ledverlichting "
        "met sensoren die het licht dimmen als er niemand op straat is. De palen sturen hun "
        "storingen zelf door naar de beheerder. Het project kost € 540.000.",
    ),
    (
        "para",
        "Op het bedrijventerrein De Kampen komen laadpalen en een proef met sensoren die de "
        "bezetting van parkeerplaatsen meten. Met die gegevens sturen vrachtwagens naar een vrije "
        "plek en voorkomen we zoekverkeer door de kern. De proef duurt twee jaar; de provincie "
        "draagt de helft van de kosten van € 120.000.",
    ),
    (
        "para",
        "Voor de woningbouw in Oudemolen-Noord is het bestemmingsplan in procedure. De eerste "
        "140 woningen worden in 2026 opgeleverd, waarvan een derde in de sociale huur. De "
        "gemeente werkt daarbij samen met woningcorporatie Veenwonen en met de waterschappen, "
        "omdat het gebied laag ligt en het regenwater ter plaatse moet worden opgevangen.",
    ),
    ("heading2", "2.3 Zorg, jeugd en werk"),
    (
        "para",
        "De kosten van jeugdhulp stijgen al enkele jaren sneller dan de bijdrage van het Rijk. "
        "Om beter te kunnen sturen bouwen we met de regiogemeenten een dashboard dat per kwartaal "
        "laat zien hoeveel jongeren welke hulp krijgen, hoe lang trajecten duren en wat ze kosten. "
        "Op basis van die cijfers maken we afspraken met aanbieders. Daarnaast stellen we in 2025 "
        "een datastrategie op, zodat gegevens uit verschillende domeinen veilig en volgens de "
        "regels kunnen worden gecombineerd.",
    ),
    (
        "para",
        "In het sociaal domein zetten we de transformatie voort: meer preventie in de wijk en "
        "minder dure specialistische hulp. Het wijkteam krijgt er twee medewerkers bij, die "
        "worden betaald uit de middelen van het Gezond en Actief Leven Akkoord.",
    ),
]

COLUMNS = [
    ("heading1", "3 Paragraaf bedrijfsvoering"),
    (
        "columns",
        [
            ("heading2", "3.1 Personeel en organisatie"),
            (
                "para",
                "De arbeidsmarkt blijft krap. Vacatures voor civiel technici en juristen staan "
                "gemiddeld vier maanden open. We werken daarom samen met de buurgemeenten aan een "
                "gezamenlijke trainee-pool en bieden medewerkers meer mogelijkheden om zich te "
                "ontwikkelen. Het ziekteverzuim was in 2023 5,8 procent; ons doel is 5 procent.",
            ),
            ("heading2", "3.2 Huisvesting"),
            (
                "para",
                "Het gemeentehuis wordt in 2025 verduurzaamd. Het dak krijgt zonnepanelen en de "
                "verwarming gaat over op een warmtepomp. De investering van € 2,1 miljoen wordt "
                "in veertig jaar afgeschreven; de lagere energielasten dekken een deel van de "
                "kapitaallasten.",
            ),
            ("heading2", "3.3 Digitale werkplek"),
            (
                "para",
                "Alle medewerkers werken sinds 2024 met een digitale werkplek in de cloud. In 2025 "
                "vervangen we de laptops die vijf jaar oud zijn en voeren we tweestapsverificatie "
                "in voor alle applicaties die van buiten het kantoor bereikbaar zijn. De "
                "servicedesk is op werkdagen van acht tot vijf bereikbaar.",
            ),
            (
                "para",
                "Voor de vergaderingen van de raad en de commissies gebruiken we een nieuw "
                "raadsinformatiesysteem. Raadsleden vinden daarin de stukken, de moties en de "
                "toezeggingen, en inwoners kunnen de vergaderingen live volgen.",
            ),
        ],
    ),
    ("heading2", "3.4 Informatieveiligheid"),
    (
        "para",
        "Informatieveiligheid en privacy vragen blijvend aandacht. De gemeente werkt volgens de "
        "Baseline Informatiebeveiliging Overheid (BIO) en legt daarover jaarlijks verantwoording "
        "af via de ENSIA-zelfevaluatie. In 2025 laten we twee penetratietesten uitvoeren op de "
        "systemen die van buitenaf bereikbaar zijn en oefenen we met het crisisteam een aanval "
        "met ransomware. Alle medewerkers volgen een e-learning over phishing; wie op een "
        "testmail klikt, krijgt een korte extra training.",
    ),
    (
        "para",
        "De functionaris gegevensbescherming houdt toezicht op de naleving van de AVG. In 2023 "
        "zijn zeventien datalekken gemeld, waarvan twee bij de Autoriteit Persoonsgegevens. Voor "
        "nieuwe verwerkingen voeren we vooraf een DPIA uit en het verwerkingsregister is "
        "volledig bijgewerkt. Voor de CISO en de privacyfunctie is structureel € 145.000 "
        "begroot, en er komt een tweede informatiebeveiligingsadviseur bij om de controles op "
        "de toegang tot systemen uit te voeren, de leveranciers te toetsen op hun maatregelen en "
        "de meldingen van beveiligingsincidenten af te handelen. Over de voortgang rapporteren we "
        "twee keer per jaar aan de auditcommissie van de raad, samen met de uitkomsten van de "
        "penetratietesten en de stand van de verbetermaatregelen uit de ENSIA-verantwoording. "
        "Ook de samenwerkingsverbanden waaraan wij deelnemen, zoals de regionale "
        "belastingsamenwerking en de omgevingsdienst, leggen wij jaarlijks de vraag voor hoe zij "
        "de informatiebeveiliging hebben geregeld, omdat zij met gegevens van onze inwoners "
        "werken. De uitkomsten nemen wij op in de ENSIA-verantwoording over het volgende jaar. "
        "Waar een samenwerkingsverband achterblijft, maken wij in het algemeen bestuur afspraken "
        "over de maatregelen en de termijn waarbinnen die genomen worden. Zo is in 2024 met de "
        "omgevingsdienst afgesproken dat alle medewerkers die toegang hebben tot het "
        "gemeentelijke zaaksysteem met tweestapsverificatie inloggen en dat hun accounts elk "
        "kwartaal worden nagelopen. Accounts van medewerkers die vertrekken, worden op hun "
        "laatste werkdag ingetrokken; de afdeling personeelszaken meldt dat vooraf aan de "
        "servicedesk, die de intrekking vastlegt in het logboek.",
    ),
    ("heading1", "4 Risico's en weerstandsvermogen"),
    (
        "para",
        "De tabel hieronder geeft de belangrijkste risico's met hun kans, het mogelijke "
        "financiële gevolg en de maatregel die we nemen. Het benodigde weerstandsvermogen "
        "berekenen we met een simulatie over alle risico's samen.",
    ),
    (
        "para",
        "Ten opzichte van de vorige begroting zijn twee risico's nieuw: de energieprijzen voor "
        "gemeentelijke gebouwen en de open-einderegelingen in de Wmo. Het risico op hogere "
        "kosten van de grondexploitatie is kleiner geworden, omdat de grond voor de eerste fase "
        "van Oudemolen-Noord inmiddels is aangekocht.",
    ),
    (
        "para",
        "Bij de risico's op de uitval van systemen en op een datalek gaat het niet alleen om "
        "geld. Inwoners moeten erop kunnen vertrouwen dat hun gegevens veilig zijn en dat de "
        "dienstverlening doorgaat als er iets misgaat. Daarom oefenen we het crisisplan jaarlijks "
        "en toetsen we de back-ups door ze daadwerkelijk terug te zetten.",
    ),
    (
        "para",
        "Voor elk risico is een eigenaar in de organisatie aangewezen, die de kans en het gevolg "
        "twee keer per jaar opnieuw inschat. Het managementteam bespreekt de risico's bij de "
        "tussenrapportages, en de raad ontvangt de bijgewerkte lijst bij de jaarstukken en bij de "
        "begroting. Risico's met een kans kleiner dan tien procent en een gevolg onder de "
        "€ 50.000 nemen wij niet in de tabel op.",
    ),
]

TABLE_HEADER = ("Nr", "Risico", "Kans", "Gevolg", "Maatregel")
TABLE_ROWS = [
    (
        "1",
        "Stijging kosten jeugdhulp boven de rijksbijdrage",
        "Groot",
        "€ 900.000",
        "Sturen op inzet met het regionale dashboard; afspraken met aanbieders over tarieven",
    ),
    (
        "2",
        "Uitval van systemen door een cyberaanval",
        "Klein",
        "€ 500.000",
        "Back-ups buiten het netwerk, penetratietesten en een geoefend crisisplan",
    ),
    (
        "3",
        "Hogere rente bij herfinanciering van leningen",
        "Middel",
        "€ 250.000",
        "Leningen spreiden over looptijden en renterisico jaarlijks herzien",
    ),
    (
        "4",
        "Vertraging woningbouw Oudemolen-Noord",
        "Middel",
        "€ 300.000",
        "Gefaseerde grondaankoop en een risicobuffer in de grondexploitatie",
    ),
    (
        "5",
        "Tekort aan personeel in technische functies",
        "Groot",
        "€ 150.000",
        "Trainee-pool met buurgemeenten en tijdelijke inhuur binnen budget",
    ),
    (
        "6",
        "Datalek bij een leverancier van de gemeente",
        "Middel",
        "€ 100.000",
        "Verwerkersovereenkomsten, audits bij leveranciers en een meldprocedure",
    ),
    (
        "7",
        "Schade aan wegen door extreme neerslag",
        "Middel",
        "€ 200.000",
        "Klimaatadaptatie in het beheerplan en een calamiteitenbudget",
    ),
    (
        "8",
        "Lagere algemene uitkering na herijking gemeentefonds",
        "Middel",
        "€ 600.000",
        "Scenario's in de kadernota en een behoedzame raming van de uitkering",
    ),
]

AFTER = [
    (
        "para",
        "Het beschikbare weerstandsvermogen bedraagt € 14,2 miljoen. Tegenover het benodigde "
        "weerstandsvermogen van € 6,8 miljoen geeft dat een ratio van 2,1, wat de raad als "
        "ruim voldoende heeft benoemd. Wij houden de ratio boven 1,4.",
    ),
]

TABLE_ROWS += [
    (
        "9",
        "Claims na afwijzing van aanvragen omgevingsvergunning",
        "Klein",
        "€ 75.000",
        "Zorgvuldige toetsing en juridische controle op besluiten met grote belangen",
    ),
    (
        "10",
        "Hogere energieprijzen voor gebouwen en openbare verlichting",
        "Middel",
        "€ 180.000",
        "Vaste contracten via de inkoopcombinatie en besparing door ledverlichting",
    ),
    (
        "11",
        "Open-einderegelingen Wmo door vergrijzing",
        "Groot",
        "€ 400.000",
        "Algemene voorzieningen in de wijk en scherpere indicatiestelling",
    ),
]

TABLE_ROWS += [
    (
        "12",
        "Aansprakelijkheid bij ongevallen in de openbare ruimte",
        "Klein",
        "€ 50.000",
        "Periodieke inspectie van wegen, bomen en speeltoestellen",
    ),
    (
        "13",
        "Uitstel van de invoering van de Omgevingswet-software",
        "Middel",
        "€ 90.000",
        "Gezamenlijke aanbesteding met de regio en een terugvaloptie voor vergunningen",
    ),
    (
        "14",
        "Lagere opbrengst leges door minder bouwaanvragen",
        "Middel",
        "€ 120.000",
        "Leges jaarlijks herzien en ramen op het gemiddelde van drie jaar",
    ),
]

OCR_WORDS = ("Informatieveiligheid", "penetratietesten", "ransomware", "gegevensbescherming")


# --- ODT ----------------------------------------------------------------------------------------

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"'
)

STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS}>
 <office:font-face-decls>
  <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'"/>
  <style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/>
   <style:text-properties style:font-name="Liberation Serif" fo:font-size="11pt"
     fo:language="nl" fo:country="NL" fo:hyphenate="false"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph"/>
  <style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm"
     fo:line-height="125%" fo:text-align="justify"/>
  </style:style>
  <style:style style:name="Heading_1" style:display-name="Heading 1" style:family="paragraph"
    style:parent-style-name="Standard" style:next-style-name="Body" style:default-outline-level="1">
   <style:paragraph-properties fo:margin-top="0.6cm" fo:margin-bottom="0.3cm"
     fo:keep-with-next="always"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="16pt"
     fo:font-weight="bold" fo:color="#1f4e79"/>
  </style:style>
  <style:style style:name="Heading_2" style:display-name="Heading 2" style:family="paragraph"
    style:parent-style-name="Standard" style:next-style-name="Body" style:default-outline-level="2">
   <style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.2cm"
     fo:keep-with-next="always"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="12.5pt"
     fo:font-weight="bold" fo:color="#1f4e79"/>
  </style:style>
  <style:style style:name="Bullet" style:family="paragraph" style:parent-style-name="Body"
    style:list-style-name="Bullets">
   <style:paragraph-properties fo:margin-bottom="0.1cm"/>
  </style:style>
  <style:style style:name="Table_Text" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="8.5pt"/>
  </style:style>
  <style:style style:name="Table_Head" style:family="paragraph" style:parent-style-name="Table_Text">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Box_Text" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:line-height="120%"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="9.5pt" fo:font-style="italic"/>
  </style:style>
  <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="end"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="8pt" fo:color="#555555"/>
  </style:style>
  <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="8pt" fo:color="#555555"/>
  </style:style>
  <text:list-style style:name="Bullets">
   <text:list-level-style-bullet text:level="1" text:bullet-char="•">
    <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
     <style:list-level-label-alignment text:label-followed-by="listtab"
       text:list-tab-stop-position="0.9cm" fo:text-indent="-0.5cm" fo:margin-left="0.9cm"/>
    </style:list-level-properties>
   </text:list-level-style-bullet>
  </text:list-style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
     fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.5cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.5cm"/></style:footer-style>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p text:style-name="Header">Gemeente Brakelveen · Programmabegroting 2025</text:p></style:header>
   <style:footer><text:p text:style-name="Footer">Pagina <text:page-number text:select-page="current">1</text:page-number> van <text:page-count>1</text:page-count></text:p></style:footer>
  </style:master-page>
 </office:master-styles>
</office:document-styles>
"""

CONTENT_STYLES = """
 <office:automatic-styles>
  <style:style style:name="Sect2" style:family="section">
   <style:section-properties text:dont-balance-text-columns="false">
    <style:columns fo:column-count="2" fo:column-gap="0.8cm"/>
   </style:section-properties>
  </style:style>
  <style:style style:name="Break" style:family="paragraph" style:parent-style-name="Heading_1">
   <style:paragraph-properties fo:break-before="page"/>
  </style:style>
  <style:style style:name="Risks" style:family="table">
   <style:table-properties style:width="16cm" table:align="left" fo:margin-top="0.2cm"
     fo:margin-bottom="0.3cm"/>
  </style:style>
  <style:style style:name="Risks.A" style:family="table-column"><style:table-column-properties style:column-width="1cm"/></style:style>
  <style:style style:name="Risks.B" style:family="table-column"><style:table-column-properties style:column-width="3.6cm"/></style:style>
  <style:style style:name="Risks.C" style:family="table-column"><style:table-column-properties style:column-width="1.7cm"/></style:style>
  <style:style style:name="Risks.D" style:family="table-column"><style:table-column-properties style:column-width="2.2cm"/></style:style>
  <style:style style:name="Risks.E" style:family="table-column"><style:table-column-properties style:column-width="7.5cm"/></style:style>
  <style:style style:name="Risks.cell" style:family="table-cell">
   <style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #808080"/>
  </style:style>
  <style:style style:name="Risks.head" style:family="table-cell">
   <style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #808080"
     fo:background-color="#dde6f0"/>
  </style:style>
  <style:style style:name="Frame" style:family="graphic">
   <style:graphic-properties style:wrap="parallel" style:horizontal-pos="right"
     style:horizontal-rel="paragraph" style:vertical-pos="top" style:vertical-rel="paragraph"
     fo:border="0.75pt solid #1f4e79" fo:background-color="#eef3f8" fo:padding="0.2cm"
     fo:margin-left="0.3cm"/>
  </style:style>
 </office:automatic-styles>
"""


def _p(style: str, text: str) -> str:
    return f'<text:p text:style-name="{style}">{escape(text)}</text:p>'


def _items_xml(items: list) -> str:
    out: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if bullets:
            out.append('<text:list text:style-name="Bullets">')
            out.extend(
                f'<text:list-item><text:p text:style-name="Bullet">{escape(b)}</text:p>'
                "</text:list-item>"
                for b in bullets
            )
            out.append("</text:list>")
            bullets.clear()

    for kind, value in items:
        if kind != "bullet":
            flush()
        if kind == "bullet":
            bullets.append(value)
        elif kind in ("heading1", "heading2", "break1"):
            level = "2" if kind == "heading2" else "1"
            style = {"heading1": "Heading_1", "heading2": "Heading_2", "break1": "Break"}[kind]
            out.append(
                f'<text:h text:style-name="{style}" text:outline-level="{level}">'
                f"{escape(value)}</text:h>"
            )
        elif kind == "para":
            out.append(_p("Body", value))
        elif kind == "textbox":
            frame = (
                '<draw:frame draw:style-name="Frame" draw:name="Kader" text:anchor-type="paragraph"'
                ' svg:width="6.2cm" draw:z-index="0"><draw:text-box fo:min-height="2cm">'
                + _p("Box_Text", value)
                + "</draw:text-box></draw:frame>"
            )
            out.append(f'<text:p text:style-name="Body">{frame}</text:p>')
        elif kind == "columns":
            out.append('<text:section text:style-name="Sect2" text:name="Bedrijfsvoering">')
            out.append(_items_xml(value))
            out.append("</text:section>")
        elif kind == "table":
            out.append(_table_xml())
    flush()
    return "".join(out)


def _table_xml() -> str:
    cols = "".join(f'<table:table-column table:style-name="Risks.{c}"/>' for c in "ABCDE")

    def row(cells: tuple[str, ...], head: bool) -> str:
        cell_style, par = ("Risks.head", "Table_Head") if head else ("Risks.cell", "Table_Text")
        return (
            "<table:table-row>"
            + "".join(
                f'<table:table-cell table:style-name="{cell_style}" office:value-type="string">'
                f"{_p(par, c)}</table:table-cell>"
                for c in cells
            )
            + "</table:table-row>"
        )

    return (
        '<table:table table:name="Risicos" table:style-name="Risks">'
        + cols
        + "<table:table-header-rows>"
        + row(TABLE_HEADER, True)
        + "</table:table-header-rows>"
        + "".join(row(r, False) for r in TABLE_ROWS)
        + "</table:table>"
    )


def document_items() -> list:
    """The whole document in reading order; the bedrijfsvoering chapter starts on a new page."""
    columns = [("break1", COLUMNS[0][1]), *COLUMNS[1:]]
    return [*INTRO, *columns, ("table", None), *AFTER]


def write_odt(path: Path) -> None:
    body = _items_xml(document_items())
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NS}>'
        f"{CONTENT_STYLES}<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {NS}><office:meta>'
        "<dc:title>Programmabegroting 2025 gemeente Brakelveen</dc:title>"
        "<meta:initial-creator>Afdeling Financiën</meta:initial-creator>"
        "</office:meta></office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3"'
        ' manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        for name, data in (
            ("content.xml", content),
            ("styles.xml", STYLES),
            ("meta.xml", meta),
            ("META-INF/manifest.xml", manifest),
        ):
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)


def export_pdf(odt: Path, outdir: Path) -> Path:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        sys.exit("LibreOffice is needed: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                office,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(odt),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return outdir / (odt.stem + ".pdf")


# --- derived PDFs -------------------------------------------------------------------------------


def image_only(src: Path, dst: Path, text_page: int, image_page: int) -> None:
    """Two pages of `src`: the first as it is, the second only an image of itself (a scan)."""
    with pymupdf.open(src) as doc, pymupdf.open() as out:
        out.insert_pdf(doc, from_page=text_page - 1, to_page=text_page - 1)
        page = doc[image_page - 1]
        # black and white at 200 dpi, as office scanners store text pages
        pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
        image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
        image = image.point(lambda v: 255 if v > 150 else 0).convert("1")
        png = io.BytesIO()
        image.save(png, "PNG", optimize=True)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=png.getvalue())
        out.set_metadata({"title": "Bijlage bij de programmabegroting 2025 gemeente Brakelveen"})
        out.save(dst, garbage=4, deflate=True)


def break_fonts(src: Path, dst: Path) -> int:
    """Remove every font's ToUnicode map and spoil the embedded fonts' own character maps, so
    that a reader sees only glyph codes: the text layer of an old export without a usable
    character map. Returns the number of fonts changed."""
    changed = 0
    with pymupdf.open(src) as doc:
        for xref in range(1, doc.xref_length()):
            if doc.xref_get_key(xref, "Type")[1] != "/Font":
                continue
            if doc.xref_get_key(xref, "ToUnicode")[0] != "null":
                doc.xref_set_key(xref, "ToUnicode", "null")
                changed += 1
            # simple fonts: drop the encoding's glyph names; composite: the descendant's CIDs
            # stay, but with no map back to text
            if doc.xref_get_key(xref, "Encoding")[0] == "dict":
                doc.xref_set_key(xref, "Encoding", "null")
        doc.set_metadata({"title": "Jaarstukken 2023 gemeente Brakelveen"})
        doc.save(dst, garbage=4, deflate=True)
    return changed


def mixed(good: Path, broken: Path, dst: Path, broken_page: int) -> None:
    """The first pages of the good export with one page of the broken one in between."""
    with pymupdf.open(good) as g, pymupdf.open(broken) as b, pymupdf.open() as out:
        out.insert_pdf(g, from_page=0, to_page=broken_page - 2)
        out.insert_pdf(b, from_page=broken_page - 1, to_page=broken_page - 1)
        out.insert_pdf(g, from_page=broken_page, to_page=broken_page)
        out.set_metadata({"title": "Programmabegroting 2025 gemeente Brakelveen"})
        out.save(dst, garbage=4, deflate=True)


# --- labels -------------------------------------------------------------------------------------


def _flat(text: str) -> str:
    """One line of text; a line broken after a hard hyphen ("ENSIA-" | "zelfevaluatie") joined."""
    return re.sub(r"(?<=\w)- (?=\w)", "-", " ".join(text.replace("\u00ad", "").split()))


def _paragraphs() -> list[dict]:
    out: list[dict] = []

    def walk(items: list, in_columns: bool) -> None:
        for kind, value in items:
            if kind == "columns":
                walk(value, True)
            elif kind == "table":
                continue
            else:
                k = {"heading1": "heading", "heading2": "heading", "break1": "heading"}.get(
                    kind, kind
                )
                out.append({"kind": k, "text": value, "two_columns": in_columns})

    walk(document_items(), False)
    return out


def locate(pdf: Path, paragraphs: list[dict]) -> None:
    """Add the pages each paragraph starts and ends on, found in the export's own text."""
    with pymupdf.open(pdf) as doc:
        pages = [_flat(p.get_text()) for p in doc]
    for para in paragraphs:
        words = para["text"].split()
        head, tail = " ".join(words[:5]), " ".join(words[-5:])
        starts = [i + 1 for i, t in enumerate(pages) if head in t]
        ends = [i + 1 for i, t in enumerate(pages) if tail in t]
        if not starts or not ends:
            sys.exit(f"cannot find paragraph in the export: {para['text'][:60]}")
        para["page"], para["end_page"] = starts[0], ends[-1]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        odt = Path(tmp) / f"{NAME}.odt"
        write_odt(odt)
        pdf = export_pdf(odt, Path(tmp))
        good = OUT / f"{NAME}.pdf"
        with pymupdf.open(pdf) as doc:  # no timestamps
            doc.set_metadata({**doc.metadata, "creationDate": "", "modDate": ""})
            doc.save(good, garbage=4, deflate=True)

    paragraphs = _paragraphs()
    locate(good, paragraphs)
    with pymupdf.open(good) as doc:
        page_count = doc.page_count
        table_pages = sorted(
            {
                i + 1
                for i, p in enumerate(doc)
                for row in TABLE_ROWS
                if row[1] in _flat(p.get_text())
            }
        )
    over_break = [p for p in paragraphs if p["end_page"] > p["page"]]
    if not over_break or len(table_pages) < 2:
        sys.exit("layout moved: no paragraph or no table over a page break; adjust the text")
    security = next(p["page"] for p in paragraphs if p["text"] == "3.4 Informatieveiligheid")

    scan = OUT / "brakelveen_scan_bijlage.pdf"
    image_only(good, scan, 1, security)
    broken = OUT / "brakelveen_jaarstukken_kapot.pdf"
    fonts = break_fonts(good, broken)
    mixed_pdf = OUT / "brakelveen_gemengd.pdf"
    mixed(good, broken, mixed_pdf, 2)

    with pymupdf.open(broken) as doc:
        sample = _flat(doc[0].get_text())[:80]

    themes = {
        "informatieveiligheid": 1,
        "digitalisering": 1,
        "datagedreven": 1,
        "smart_city": 1,
        "digitale_transformatie": 0,
    }
    labels = {
        "about": "Written by scripts/make_fixtures.py; the municipality Brakelveen is fictional.",
        "fixtures": {
            good.name: {
                "made": "ODT written in Python, exported with LibreOffice Writer",
                "pages": page_count,
                "image_only_pages": [],
                "broken_text_pages": [],
                "running_header": "Gemeente Brakelveen · Programmabegroting 2025",
                "running_footer": "Pagina N van M",
                "paragraphs": paragraphs,
                "paragraphs_over_page_break": [p["text"][:60] for p in over_break],
                "two_column_pages": sorted({p["page"] for p in paragraphs if p["two_columns"]}),
                "text_box": {
                    "page": next(p["page"] for p in paragraphs if p["kind"] == "textbox"),
                    "text": next(p["text"] for p in paragraphs if p["kind"] == "textbox"),
                },
                "table": {
                    "header": list(TABLE_HEADER),
                    "rows": [list(r) for r in TABLE_ROWS],
                    "pages": table_pages,
                    "header_repeated_on_each_page": True,
                },
                "themes": themes,
                "status": {"never": "ok", "auto": "ok", "always": "ok"},
            },
            scan.name: {
                "made": f"page 1 of {good.name} as it is; page {security} of it as a "
                "black-and-white 200 dpi image without text",
                "pages": 2,
                "image_only_pages": [2],
                "broken_text_pages": [],
                "ocr_words": list(OCR_WORDS),
                "status": {
                    "never": "ok",
                    "auto": "ok: 1 of 2 pages OCR'd",
                    "always": "ok: 2 of 2 pages OCR'd",
                },
            },
            broken.name: {
                "made": f"{good.name} with ToUnicode removed from its {fonts} fonts",
                "pages": page_count,
                "image_only_pages": [],
                "broken_text_pages": list(range(1, page_count + 1)),
                "extracted_sample": sample,
                "ocr_words": list(OCR_WORDS),
                "status": {
                    "never": f"no text: unreadable text layer ({page_count} of {page_count} pages)",
                    "auto": f"ok: {page_count} of {page_count} pages OCR'd",
                    "always": f"ok: {page_count} of {page_count} pages OCR'd",
                },
            },
            mixed_pdf.name: {
                "made": f"pages 1 and 3 of {good.name}, page 2 of the broken export",
                "pages": 3,
                "image_only_pages": [],
                "broken_text_pages": [2],
                "status": {
                    "never": "ok: 1 of 3 pages unreadable",
                    "auto": "ok: 1 of 3 pages OCR'd",
                    "always": "ok: 3 of 3 pages OCR'd",
                },
            },
        },
    }
    (OUT / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n")
    for f in sorted(OUT.glob("*.pdf")):
        print(f"{f.name}: {f.stat().st_size // 1024} kB")
    print(f"broken text layer reads: {sample!r}")


if __name__ == "__main__":
    main()
