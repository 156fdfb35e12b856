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

A second document, kwakveen_jaarstukken_2024.pdf (annual accounts), has what the first lacks:
three-level numbered headings with the program questions ("Wat wilden we bereiken?") as small
headings, financial tables with right-aligned amounts and a Totaal row, an indicator table with a
Bron column, a key-figures frame on the left of the text that wraps beside it, a three-column
page, footnotes, wrapped bullets and a numbered list, one landscape page with an eight-column
table, a paragraph and a table over a page break (header repeated), and "Pagina N van M".

A third, zandmeer_kadernota_2026.pdf (a kadernota), has what the first two lack: a table of
contents with dot leaders, headings as white text on a coloured bar and a chapter title page, two
columns of unequal width (a wide main column and a narrow column of "Wist u dat...?" notes) over
two pages, a table with a merged header cell ("Meerjarenraming" over the years), amounts in
parentheses and bold subtotal rows, numbered paragraphs with a hanging indent, a definition list,
a chart with its caption, a paragraph and a bulleted list over a page break, a table cell that
wraps over several lines, and "kadernota 2026 | N" in the footer.

The script writes tests/fixtures/labels.json: for every fixture the pages, which pages are image-only
or have a broken text layer, the paragraphs (kind, text, the pages they start and end on), the
table rows, words OCR must find, and the expected status per --ocr setting; for Kwakveen also
the landscape and three-column pages, the sidebar, the footnotes and per passage its themes
and the themes whose words occur in it without counting (hard negatives); for Zandmeer the
same and the contents lines with their pages, the side notes, the caption and the merged header.

All text is original and the municipalities (Brakelveen, Kwakveen, Zandmeer) are fictional.
Needs LibreOffice Writer and PyMuPDF on the machine that runs it; CI only reads the committed
PDFs:

    apt-get install libreoffice-writer-nogui
    python scripts/make_fixtures.py                  # every fixture
    python scripts/make_fixtures.py --only kwakveen  # one; the others' labels stay as they are
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

# the opening every fixture's style sheet shares: its fonts (each then sets its own styles)
STYLES_OPEN = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS}>
 <office:font-face-decls>
  <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'"/>
  <style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'"/>
 </office:font-face-decls>
 <office:styles>
"""
STYLES = (
    STYLES_OPEN
    + """  <style:default-style style:family="paragraph">
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
)

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


def write_odt_file(
    path: Path,
    body: str,
    content_styles: str,
    styles: str,
    title: str,
    creator: str,
    ns: str = NS,
    pictures: dict[str, bytes] | None = None,
) -> None:
    """An OpenDocument text file: content (its automatic styles and body), styles, metadata
    (title, creator) and any pictures, zipped as LibreOffice reads it."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ns}>'
        f"{content_styles}<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {NS}><office:meta>'
        f"<dc:title>{title}</dc:title>"
        f"<meta:initial-creator>{creator}</meta:initial-creator>"
        "</office:meta></office:document-meta>"
    )
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="image/png"/>'
        for name in pictures or {}
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
        f"{entries}</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        for name, data in (
            ("content.xml", content),
            ("styles.xml", styles),
            ("meta.xml", meta),
            ("META-INF/manifest.xml", manifest),
        ):
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (pictures or {}).items():
            z.writestr(name, data, compress_type=zipfile.ZIP_STORED)


def write_odt(path: Path) -> None:
    write_odt_file(
        path,
        _items_xml(document_items()),
        CONTENT_STYLES,
        STYLES,
        "Programmabegroting 2025 gemeente Brakelveen",
        "Afdeling Financiën",
    )


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


def make_brakelveen() -> dict:
    """Build the Brakelveen export and the three PDFs made from it; return their labels."""
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
    print(f"broken text layer reads: {sample!r}")

    themes = {
        "informatieveiligheid": 1,
        "digitalisering": 1,
        "datagedreven": 1,
        "smart_city": 1,
        "digitale_transformatie": 0,
    }
    return {
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
                "never": "ok: 1 of 2 pages scanned, not OCR'd",
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
    }


# --- the second fixture: Kwakveen, jaarstukken 2024 ---------------------------------------------
# Each item: (kind, value) or (kind, value, themes). Kinds: h1, h1break (new page), h1land (new
# landscape page), h1port (back to portrait on a new page), h2, h3, h4 (the small program
# headings), para (may hold footnote marks "{fn1}"), bullets and numbers (lists of items),
# sidebar ((title, lines, paragraph)), table (a name in KW_TABLES), columns3 (items).
# themes: {"themes": [...], "hard_negative": [...]}: the passage's own labels per the guide, and
# the themes whose words occur in it without counting.

KW_NAME = "kwakveen_jaarstukken_2024"
KW_HEADER = "Gemeente Kwakveen · Jaarstukken 2024"

KW_FOOTNOTES = {
    "fn1": "Het resultaat is berekend vóór bestemming, dus voordat de stortingen in en "
    "onttrekkingen aan de bestemmingsreserves zijn verwerkt.",
    "fn2": "De zelfevaluatie over 2024 is op 14 april 2025 aan de raad gestuurd; de "
    "collegeverklaring DigiD is zonder bevindingen afgegeven.",
    "fn3": "Bedragen van taakvelden onder de € 100.000 zijn samengevoegd onder Overige taakvelden.",
}

KW_DIGI = ("digitalisering",)
KW_ITEMS: list = [
    ("h1", "1 Inleiding"),
    (
        "para",
        "Met deze jaarstukken legt het college verantwoording af over het jaar 2024. Wij laten "
        "per programma zien wat wij wilden bereiken, wat wij daarvoor hebben gedaan en wat dat "
        "heeft gekost. De jaarrekening sluit met een voordelig resultaat van € 1.384.000, "
        "waarvan wij voorstellen € 600.000 te bestemmen voor de uitvoering van de digitale "
        "agenda en het restant toe te voegen aan de algemene reserve.",
        {"themes": ["digitale_transformatie"], "hard_negative": []},
    ),
    ("h2", "1.1 Leeswijzer"),
    ("para", "De jaarstukken bestaan uit vier delen, die in deze volgorde zijn opgenomen:"),
    (
        "numbers",
        [
            "Het jaarverslag met de programmaverantwoording per programma.",
            "De verplichte paragrafen, waaronder de paragraaf bedrijfsvoering.",
            "Het overzicht van baten en lasten per taakveld.",
            "De analyse van het weerstandsvermogen en de risico's.",
        ],
    ),
    ("h2", "1.2 Kwakveen in 2024"),
    (
        "sidebar",
        (
            "Kerncijfers",
            [
                "Inwoners: 41.200",
                "Huishoudens: 18.350",
                "Oppervlakte: 64 km²",
                "Banen: 15.900",
                "Kernen: 5",
            ],
            "Kwakveen groeide in 2024 met bijna vierhonderd inwoners, vooral door de oplevering "
            "van de eerste woningen in het plan Rietlanden en door de komst van statushouders. "
            "Het aantal jongeren onder de achttien bleef gelijk, terwijl het aantal inwoners "
            "boven de vijfenzeventig met ruim zes procent toenam. Dat zien wij terug in de vraag "
            "naar huishoudelijke hulp en woningaanpassingen. De werkloosheid bleef laag en "
            "ondernemers op de bedrijventerreinen Kwakveen-Oost en De Vonder meldden opnieuw dat "
            "zij moeilijk personeel vinden. Het college zette in op betaalbare woningen voor "
            "starters, op vervoer voor ouderen in de kleine kernen en op een bibliotheek die ook "
            "als ontmoetingsplek dient. In de kernen Hoogwoud en Kwakveen-Dorp werden de "
            "dorpshuizen verbouwd met bijdragen van de provincie.",
        ),
    ),
    ("h2", "1.3 Het resultaat in het kort"),
    (
        "para",
        "Het voordelige resultaat{fn1} ontstaat vooral doordat de algemene uitkering hoger was "
        "dan geraamd en doordat enkele projecten in de openbare ruimte later zijn gestart. "
        "Daartegenover staan hogere lasten voor jeugdhulp en voor de energie van de "
        "gemeentelijke gebouwen. De afwijkingen per programma lichten wij in hoofdstuk 2 toe.",
    ),
    ("h1break", "2 Programma's"),
    ("h2", "2.1 Bestuur en dienstverlening"),
    (
        "para",
        "In dit programma vallen de raad en het college, de burgerzaken en de dienstverlening "
        "aan inwoners en ondernemers. De raad stelde in maart de data van de "
        "raadsvergaderingen voor 2025 vast en vergaderde in januari vanwege de gladheid "
        "digitaal.",
        {"themes": [], "hard_negative": ["datagedreven", "digitalisering"]},
    ),
    ("h3", "2.1.3 Digitale dienstverlening"),
    ("h4", "Wat wilden we bereiken?"),
    (
        "para",
        "Inwoners en ondernemers kunnen hun zaken met de gemeente op een moment regelen dat "
        "hun past. Ons doel voor 2024 was dat driekwart van de aanvragen online wordt gedaan en "
        "dat inwoners die dat niet kunnen, aan de balie of thuis worden geholpen.",
        {"themes": ["digitalisering"], "hard_negative": []},
    ),
    ("h4", "Wat hebben we daarvoor gedaan?"),
    (
        "bullets",
        [
            "Wij hebben twaalf nieuwe digitale formulieren in gebruik genomen, onder meer voor "
            "de melding van een verhuizing, de aanvraag van een standplaats en de melding van "
            "een evenement, allemaal met DigiD of eHerkenning.",
            "Het zaaksysteem is vervangen door een applicatie in de cloud; inwoners zien in "
            "MijnKwakveen hoe ver hun aanvraag is en ontvangen het besluit digitaal.",
            "In de bibliotheek hielden vrijwilligers wekelijks een spreekuur voor inwoners die "
            "hulp nodig hebben bij DigiD, bij de aangifte inkomstenbelasting of bij het "
            "aanvragen van toeslagen.",
        ],
    ),
    ("h3", "2.1.4 Informatieveiligheid en privacy"),
    (
        "para",
        "De gemeente werkt volgens de Baseline Informatiebeveiliging Overheid. Uit de "
        "ENSIA-zelfevaluatie{fn2} bleek dat wij aan 86 procent van de maatregelen voldoen; de "
        "verbeterpunten gaan over het beheer van de toegangsrechten en over afspraken met "
        "leveranciers. In het najaar voerde een extern bureau een phishingsimulatie uit, waarbij "
        "9 procent van de medewerkers op de link klikte, tegen 15 procent een jaar eerder.",
        {"themes": ["informatieveiligheid"], "hard_negative": []},
    ),
    (
        "para",
        "Er zijn in 2024 elf datalekken gemeld bij de functionaris gegevensbescherming, van wie "
        "er drie zijn doorgemeld aan de Autoriteit Persoonsgegevens. Het ging in alle gevallen "
        "om post of e-mail die bij de verkeerde ontvanger terechtkwam. Wij hebben daarop de "
        "werkinstructie voor het versturen van brieven met persoonsgegevens aangepast en een "
        "controle ingebouwd in het zaaksysteem, zodat een medewerker het adres bevestigt "
        "voordat een besluit wordt verzonden. Voor de vier nieuwe verwerkingen die in 2024 zijn "
        "gestart, is vooraf een gegevensbeschermingseffectbeoordeling gedaan. Het "
        "verwerkingsregister is in december volledig bijgewerkt en op de website gepubliceerd. "
        "De CISO rapporteerde twee keer aan het college en aan de auditcommissie over de stand "
        "van de informatiebeveiliging, waarbij ook de uitkomsten van de penetratietest op de "
        "website en het klantportaal zijn besproken. Twee kwetsbaarheden met een hoog risico "
        "zijn binnen een week verholpen; de overige bevindingen staan op het verbeterplan voor "
        "2025. Om de afhankelijkheid van één leverancier te beperken, hebben wij samen met de "
        "buurgemeenten een contract gesloten met een regionaal securitycentrum dat de "
        "netwerken dag en nacht bewaakt en bij een verdachte melding direct de "
        "dienstdoende beheerder waarschuwt.",
        {"themes": ["informatieveiligheid", "digitalisering"], "hard_negative": []},
    ),
    ("h4", "Indicatoren"),
    (
        "para",
        "De tabel hieronder vergelijkt de cijfers over 2024 met die over 2023. Waar landelijke "
        "cijfers beschikbaar zijn, staat ook het gemiddelde van Nederland vermeld.",
        {"themes": [], "hard_negative": ["datagedreven"]},
    ),
    ("table", "indicatoren"),
    ("h4", "Wat heeft het gekost?"),
    ("table", "financien"),
    (
        "para",
        "De overschrijding op dienstverlening en digitalisering ontstaat door de dubbele "
        "licentiekosten in de maanden waarin het oude en het nieuwe zaaksysteem naast elkaar "
        "draaiden. De leges voor reisdocumenten waren hoger dan geraamd, omdat veel inwoners "
        "hun paspoort dat tien jaar eerder was verlengd, opnieuw lieten vervangen.",
        {"themes": ["digitalisering"], "hard_negative": []},
    ),
    ("h2", "2.2 Ruimte, wonen en leefomgeving"),
    ("h3", "2.2.1 Openbare ruimte"),
    ("h4", "Wat wilden we bereiken?"),
    (
        "para",
        "Een schone en veilige openbare ruimte, waarin het onderhoud wordt gedaan waar het "
        "nodig is en niet volgens een vast rooster. Met slimme technologie in de straat willen "
        "wij sneller zien waar iets misgaat.",
        {"themes": ["smart_city"], "hard_negative": []},
    ),
    ("h4", "Wat hebben we daarvoor gedaan?"),
    (
        "bullets",
        [
            "De 140 ondergrondse containers voor restafval zijn voorzien van vulgraadsensoren. "
            "De inzamelaar rijdt alleen nog langs containers die voor driekwart vol zijn, wat "
            "een vijfde van de ritten scheelt.",
            "Op de Stationsweg en de Rijksstraatweg zijn acht verkeerslichten vervangen door "
            "intelligente verkeersregelinstallaties die met fietsers en bussen communiceren.",
            "Door budgetten voor groenonderhoud en riolering slim te combineren, konden drie "
            "straten in één keer worden heringericht.",
        ],
    ),
    (
        "para",
        "Op het Marktplein en bij het station hangen sinds juni camera's waarmee de "
        "boa's het fout parkeren en het dumpen van afval handhaven. De beelden worden na "
        "vier weken verwijderd.",
        {"themes": [], "hard_negative": ["smart_city"]},
    ),
    ("h3", "2.2.2 Wonen"),
    (
        "para",
        "In 2024 zijn 212 woningen opgeleverd, waarvan 74 in de sociale huur. De transformatie "
        "van het voormalige belastingkantoor aan de Havenkade naar 48 appartementen voor "
        "starters is in het najaar afgerond.",
        {"themes": [], "hard_negative": ["digitale_transformatie"]},
    ),
    ("h2", "2.3 Zorg, jeugd en werk"),
    (
        "para",
        "In het sociaal domein zetten wij de transformatie voort: meer ondersteuning dichtbij "
        "en minder dure specialistische hulp. Om daarop te kunnen sturen, werken wij "
        "informatiegestuurd. Een data-analist koppelt sinds het voorjaar de gegevens over "
        "jeugdhulp, Wmo en bijstand in een dashboard, dat het college en de wijkteams elk "
        "kwartaal bespreken. Daaruit bleek dat een kwart van de jeugdhulptrajecten langer duurde "
        "dan de afgesproken termijn; met de aanbieders zijn daarover nieuwe afspraken gemaakt.",
        {"themes": ["datagedreven"], "hard_negative": ["digitale_transformatie"]},
    ),
    ("h4", "Wat heeft het gekost?"),
    (
        "para",
        "De lasten van jeugdhulp waren € 735.000 hoger dan begroot. Het aantal jongeren met "
        "een maatwerkvoorziening steeg van 610 naar 664, en de tarieven van de aanbieders zijn "
        "per 1 januari met gemiddeld 7 procent verhoogd. De lasten van de Wmo bleven binnen het "
        "budget, omdat de huishoudelijke hulp voor een deel als algemene voorziening wordt "
        "geboden. Voor de inzet van de data-analist is € 85.000 uit de middelen voor preventie "
        "gebruikt.",
        {"themes": ["datagedreven"], "hard_negative": []},
    ),
    ("h2", "2.4 Overzicht van de investeringen"),
    (
        "para",
        "De tabel geeft per investering het krediet dat de raad beschikbaar heeft gesteld, "
        "wat daarvan tot en met 2024 is besteed en hoe het project ervoor staat. Bedragen zijn "
        "in duizenden euro's.",
    ),
    ("table", "investeringen"),
    (
        "para",
        "Bij de renovatie van sporthal De Vonder en het fietspad naar Hoogwoud is het grootste "
        "deel van het krediet nog niet besteed. Wij stellen voor die kredieten over te hevelen "
        "naar 2025; de kapitaallasten schuiven daardoor een jaar op.",
    ),
    ("h1break", "3 Paragraaf bedrijfsvoering"),
    (
        "columns3",
        [
            ("h2", "3.1 Personeel"),
            (
                "para",
                "Eind 2024 werkten 312 medewerkers bij de gemeente, samen 281 fte. Het "
                "ziekteverzuim daalde van 6,4 naar 5,7 procent. Vooral voor vergunningverleners "
                "en ICT-specialisten bleef het lastig om vacatures te vullen; wij hebben daarom "
                "vier trainees aangenomen die wij zelf opleiden.",
            ),
            ("h2", "3.2 Digitale agenda"),
            (
                "para",
                "In mei stelde de raad de digitale agenda 2024-2027 vast. Daarin beschrijven wij "
                "hoe digitalisering de samenleving en ons werk verandert en welke keuzes wij "
                "daarin maken: digitale dienstverlening waar het kan, persoonlijk contact waar "
                "het nodig is. Het algoritmeregister staat sinds oktober online, met vijf "
                "algoritmen en een toets op ethiek en discriminatie.",
                {"themes": ["digitale_transformatie", "digitalisering"], "hard_negative": []},
            ),
            ("h2", "3.3 Rechtmatigheid"),
            (
                "para",
                "Over 2024 legt het college voor het eerst zelf verantwoording af over de "
                "rechtmatigheid. De accountant vond geen fouten boven de "
                "rapporteringsgrens. Bij de inkoop van schoonmaak is een contract verlengd "
                "zonder nieuwe aanbesteding; dat is in de verantwoording gemeld.",
            ),
            ("h2", "3.4 Huisvesting"),
            (
                "para",
                "Het gemeentehuis kreeg in de zomer zonnepanelen en ledverlichting. Het "
                "energieverbruik daalde daardoor met een kwart, maar door de hogere tarieven "
                "waren de energielasten toch € 46.000 hoger dan begroot.",
            ),
        ],
    ),
    (
        "para",
        "De kosten van de bedrijfsvoering waren in totaal € 412.000 hoger dan begroot, vooral "
        "door de inhuur op vacatures en door de hogere energielasten. De lasten van ICT stegen "
        "met € 88.000 door hogere licentiekosten.",
        {"themes": [], "hard_negative": ["digitalisering"]},
    ),
    ("h1land", "4 Baten en lasten per taakveld"),
    (
        "para",
        "Het overzicht hieronder geeft de lasten en baten per taakveld{fn3}, in duizenden euro's. "
        "Een negatief saldo betekent dat de lasten hoger zijn dan de baten.",
    ),
    ("table", "taakvelden"),
    (
        "para",
        "Het grootste verschil zit bij Samenkracht en burgerparticipatie, waar de kosten van de "
        "maatwerkvoorzieningen voor jeugd hoger uitvielen dan begroot.",
    ),
    ("h1port", "5 Weerstandsvermogen en risico's"),
    (
        "para",
        "Het beschikbare weerstandsvermogen bedraagt eind 2024 € 17,6 miljoen. Het benodigde "
        "weerstandsvermogen, berekend met een simulatie over alle risico's, is € 7,9 miljoen. "
        "De ratio van 2,2 valt in de klasse ruim voldoende die de raad als norm heeft gesteld.",
    ),
    (
        "para",
        "Nieuw op de lijst is het risico dat een cyberaanval de dienstverlening dagenlang "
        "stillegt. Wij schatten de kans klein maar het gevolg groot in, en houden daarvoor "
        "€ 400.000 aan als deel van het benodigde weerstandsvermogen. Het crisisplan is in "
        "november met de bestuurders geoefend.",
        {"themes": ["informatieveiligheid"], "hard_negative": []},
    ),
]


def _kw_amount(n: int) -> str:
    """A whole number the Dutch way: 1.245, -152."""
    return f"{n:,}".replace(",", ".")


def _kw_financial_rows() -> list[tuple[str, ...]]:
    lines = [
        ("Burgerzaken", 1245, 1198),
        ("Dienstverlening en digitalisering", 2310, 2462),
        ("Informatieveiligheid en privacy", 385, 371),
        ("Bestuur en raad", 1870, 1834),
        ("Leges reisdocumenten", -640, -712),
    ]
    rows = [(name, _kw_amount(b), _kw_amount(r), _kw_amount(b - r)) for name, b, r in lines]
    tb, tr = sum(b for _, b, _ in lines), sum(r for _, _, r in lines)
    return [*rows, ("Totaal", _kw_amount(tb), _kw_amount(tr), _kw_amount(tb - tr))]


def _kw_investment_rows() -> list[tuple[str, ...]]:
    lines = [
        ("Vervanging zaaksysteem", 420, 398, "Afgerond in juni; het oude systeem is uitgezet"),
        (
            "Vulgraadsensoren ondergrondse containers",
            165,
            151,
            "Afgerond; alle containers zijn aangesloten",
        ),
        (
            "Verkeersregelinstallaties Stationsweg",
            880,
            610,
            "Zes van de acht installaties in gebruik; rest in maart 2025",
        ),
        (
            "Herinrichting Dorpsstraat Hoogwoud",
            1350,
            420,
            "Gestart in september, vertraagd door de levering van bestrating",
        ),
        (
            "Verbouw dorpshuis Hoogwoud",
            760,
            744,
            "Opgeleverd in mei; de provincie droeg € 250.000 bij",
        ),
        (
            "Verbouw dorpshuis Kwakveen-Dorp",
            690,
            702,
            "Opgeleverd in oktober; kleine overschrijding door asbestsanering",
        ),
        ("Zonnepanelen en ledverlichting gemeentehuis", 540, 528, "Afgerond in juli"),
        (
            "Vervanging laptops en telefoons",
            310,
            296,
            "Afgerond; oude apparaten zijn gewist en verkocht",
        ),
        (
            "Renovatie sporthal De Vonder",
            2100,
            350,
            "Ontwerp gereed; aanbesteding in het eerste kwartaal van 2025",
        ),
        ("Rioolvervanging Kwakveen-Oost", 1800, 1150, "Loopt volgens planning; afronding in 2025"),
        (
            "Fietspad Hoogwoud - Kwakveen",
            940,
            95,
            "Grondaankoop loopt; de provincie subsidieert de helft",
        ),
        ("Uitbreiding begraafplaats Zuid", 450, 40, "Bestemmingsplan in procedure"),
    ]
    return [
        (str(i), name, _kw_amount(k), _kw_amount(b), _kw_amount(k - b), note)
        for i, (name, k, b, note) in enumerate(lines, 1)
    ]


def _kw_taakveld_rows() -> list[tuple[str, ...]]:
    # taakveld, lasten begroting, lasten rekening, baten begroting, baten rekening
    lines = [
        ("0.1 Bestuur", 2140, 2096, 35, 41),
        ("0.2 Burgerzaken", 1245, 1198, 640, 712),
        ("0.4 Overhead, inclusief ICT", 9870, 10282, 210, 236),
        ("1.1 Crisisbeheersing en brandweer", 2960, 2960, 0, 0),
        ("2.1 Verkeer, wegen en water", 4310, 3785, 180, 205),
        ("5.7 Openbaar groen en recreatie", 2730, 2804, 60, 58),
        ("6.1 Samenkracht en burgerparticipatie", 3480, 4215, 120, 134),
        ("7.4 Volksgezondheid", 1890, 1862, 0, 12),
        ("8.3 Wonen en bouwen", 1520, 1433, 1210, 1488),
        ("Overige taakvelden", 640, 611, 95, 88),
    ]
    rows = []
    for name, lb, lr, bb, br in lines:
        sb, sr = bb - lb, br - lr
        rows.append((name, *(_kw_amount(v) for v in (lb, lr, bb, br, sb, sr, sr - sb))))
    tot = [sum(x[i] for x in lines) for i in range(1, 5)]
    lb, lr, bb, br = tot
    rows.append(
        (
            "Totaal",
            *(_kw_amount(v) for v in (lb, lr, bb, br, bb - lb, br - lr, (br - lr) - (bb - lb))),
        )
    )
    return rows


KW_TABLES = {
    "indicatoren": {
        "header": ("Indicator", "Eenheid", "2023", "2024", "Nederland", "Bron"),
        "widths": (5.2, 2.2, 1.5, 1.5, 1.9, 3.7),
        "numeric": (2, 3, 4),
        "rows": [
            ("Aanvragen online ingediend", "%", "68", "74", "n.b.", "eigen registratie"),
            (
                "Tevredenheid over de dienstverlening",
                "cijfer",
                "7,1",
                "7,3",
                "7,0",
                "Waarstaatjegemeente",
            ),
            ("Gemelde datalekken", "aantal", "14", "11", "n.b.", "eigen registratie"),
            ("Tevredenheid over de website", "cijfer", "6,8", "7,2", "6,9", "monitor"),
            ("Woo-verzoeken binnen de termijn", "%", "81", "88", "n.b.", "eigen registratie"),
        ],
    },
    "financien": {
        "header": ("Bedragen x € 1.000", "Begroting 2024", "Rekening 2024", "Verschil"),
        "widths": (7.0, 3.0, 3.0, 3.0),
        "numeric": (1, 2, 3),
        "rows": _kw_financial_rows(),
    },
    "investeringen": {
        "header": ("Nr", "Investering", "Krediet", "Besteed", "Restant", "Stand van zaken"),
        "widths": (0.9, 4.6, 1.8, 1.8, 1.8, 5.1),
        "numeric": (2, 3, 4),
        "rows": _kw_investment_rows(),
    },
    "taakvelden": {
        "header": (
            "Taakveld",
            "Lasten begroting",
            "Lasten rekening",
            "Baten begroting",
            "Baten rekening",
            "Saldo begroting",
            "Saldo rekening",
            "Verschil",
        ),
        "widths": (6.7, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6, 2.4),
        "numeric": (1, 2, 3, 4, 5, 6, 7),
        "rows": _kw_taakveld_rows(),
    },
}


KW_STYLES = (
    STYLES_OPEN
    + f"""  <style:default-style style:family="paragraph">
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
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="13pt"
     fo:font-weight="bold" fo:color="#1f4e79"/>
  </style:style>
  <style:style style:name="Heading_3" style:display-name="Heading 3" style:family="paragraph"
    style:parent-style-name="Standard" style:next-style-name="Body" style:default-outline-level="3">
   <style:paragraph-properties fo:margin-top="0.35cm" fo:margin-bottom="0.15cm"
     fo:keep-with-next="always"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="11.5pt"
     fo:font-weight="bold" fo:color="#1f4e79"/>
  </style:style>
  <style:style style:name="Heading_4" style:display-name="Heading 4" style:family="paragraph"
    style:parent-style-name="Standard" style:next-style-name="Body" style:default-outline-level="4">
   <style:paragraph-properties fo:margin-top="0.2cm" fo:margin-bottom="0.1cm"
     fo:keep-with-next="always"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="10pt"
     fo:font-weight="bold" fo:font-style="italic"/>
  </style:style>
  <style:style style:name="Bullet" style:family="paragraph" style:parent-style-name="Body"
    style:list-style-name="Bullets">
   <style:paragraph-properties fo:margin-bottom="0.1cm"/>
  </style:style>
  <style:style style:name="Numbered" style:family="paragraph" style:parent-style-name="Body"
    style:list-style-name="Numbers">
   <style:paragraph-properties fo:margin-bottom="0.1cm"/>
  </style:style>
  <style:style style:name="Table_Text" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="8.5pt"/>
  </style:style>
  <style:style style:name="Table_Num" style:family="paragraph" style:parent-style-name="Table_Text">
   <style:paragraph-properties fo:text-align="end"/>
  </style:style>
  <style:style style:name="Table_Head" style:family="paragraph" style:parent-style-name="Table_Text">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Table_Head_Num" style:family="paragraph" style:parent-style-name="Table_Head">
   <style:paragraph-properties fo:text-align="end"/>
  </style:style>
  <style:style style:name="Side_Head" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-bottom="0.1cm"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="10pt"
     fo:font-weight="bold" fo:color="#1f4e79"/>
  </style:style>
  <style:style style:name="Side_Text" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:line-height="125%"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="9pt"/>
  </style:style>
  <style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard"
    style:class="extra">
   <style:paragraph-properties fo:margin-left="0.5cm" fo:text-indent="-0.5cm"/>
   <style:text-properties fo:font-size="8.5pt"/>
  </style:style>
  <style:style style:name="Footnote_anchor" style:display-name="Footnote anchor" style:family="text">
   <style:text-properties style:text-position="super 58%"/>
  </style:style>
  <style:style style:name="Footnote_Symbol" style:display-name="Footnote Symbol" style:family="text"/>
  <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="end"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="8pt" fo:color="#555555"/>
  </style:style>
  <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="8pt" fo:color="#555555"/>
  </style:style>
  <text:notes-configuration text:note-class="footnote" text:citation-style-name="Footnote_Symbol"
    text:citation-body-style-name="Footnote_anchor" text:default-style-name="Footnote"
    style:num-format="1" text:start-value="0" text:footnotes-position="page"
    text:start-numbering-at="document"/>
  <text:list-style style:name="Bullets">
   <text:list-level-style-bullet text:level="1" text:bullet-char="•">
    <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
     <style:list-level-label-alignment text:label-followed-by="listtab"
       text:list-tab-stop-position="0.9cm" fo:text-indent="-0.5cm" fo:margin-left="0.9cm"/>
    </style:list-level-properties>
   </text:list-level-style-bullet>
  </text:list-style>
  <text:list-style style:name="Numbers">
   <text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1">
    <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
     <style:list-level-label-alignment text:label-followed-by="listtab"
       text:list-tab-stop-position="0.9cm" fo:text-indent="-0.6cm" fo:margin-left="0.9cm"/>
    </style:list-level-properties>
   </text:list-level-style-number>
  </text:list-style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
     style:print-orientation="portrait" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm"
     fo:margin-left="2.5cm" fo:margin-right="2.5cm">
    <style:footnote-sep style:width="0.018cm" style:distance-before-sep="0.1cm"
      style:distance-after-sep="0.1cm" style:rel-width="25%" style:color="#000000"
      style:adjustment="left"/>
   </style:page-layout-properties>
   <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.5cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.5cm"/></style:footer-style>
  </style:page-layout>
  <style:page-layout style:name="pm2">
   <style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm"
     style:print-orientation="landscape" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm"
     fo:margin-left="2.5cm" fo:margin-right="2.5cm">
    <style:footnote-sep style:width="0.018cm" style:distance-before-sep="0.1cm"
      style:distance-after-sep="0.1cm" style:rel-width="25%" style:color="#000000"
      style:adjustment="left"/>
   </style:page-layout-properties>
   <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.5cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.5cm"/></style:footer-style>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p text:style-name="Header">{KW_HEADER}</text:p></style:header>
   <style:footer><text:p text:style-name="Footer">Pagina <text:page-number text:select-page="current">1</text:page-number> van <text:page-count>1</text:page-count></text:p></style:footer>
  </style:master-page>
  <style:master-page style:name="Landscape" style:page-layout-name="pm2">
   <style:header><text:p text:style-name="Header">{KW_HEADER}</text:p></style:header>
   <style:footer><text:p text:style-name="Footer">Pagina <text:page-number text:select-page="current">1</text:page-number> van <text:page-count>1</text:page-count></text:p></style:footer>
  </style:master-page>
 </office:master-styles>
</office:document-styles>
"""
)


def _table_styles(prefix: str, tables: dict[str, dict]) -> list[str]:
    """The ODF styles of each table and of its columns ("T_name", "T_name.0", ...)."""
    out = []
    for name, t in tables.items():
        out.append(
            f'<style:style style:name="{prefix}_{name}" style:family="table">'
            f'<style:table-properties style:width="{sum(t["widths"]):.2f}cm" table:align="left"'
            ' fo:margin-top="0.2cm" fo:margin-bottom="0.3cm"/></style:style>'
        )
        out.extend(
            f'<style:style style:name="{prefix}_{name}.{i}" style:family="table-column">'
            f'<style:table-column-properties style:column-width="{w}cm"/></style:style>'
            for i, w in enumerate(t["widths"])
        )
    return out


def _table_columns(prefix: str, name: str, widths: list[float]) -> str:
    return "".join(
        f'<table:table-column table:style-name="{prefix}_{name}.{i}"/>' for i in range(len(widths))
    )


def _kw_content_styles() -> str:
    tables = _table_styles("T", KW_TABLES)
    return (
        "<office:automatic-styles>"
        '<style:style style:name="Sect3" style:family="section">'
        '<style:section-properties text:dont-balance-text-columns="false">'
        '<style:columns fo:column-count="3" fo:column-gap="0.6cm"/>'
        "</style:section-properties></style:style>"
        '<style:style style:name="Break" style:family="paragraph" style:parent-style-name="Heading_1">'
        '<style:paragraph-properties fo:break-before="page"/></style:style>'
        '<style:style style:name="Land" style:family="paragraph" style:parent-style-name="Heading_1"'
        ' style:master-page-name="Landscape"><style:paragraph-properties style:page-number="auto"/>'
        "</style:style>"
        '<style:style style:name="Port" style:family="paragraph" style:parent-style-name="Heading_1"'
        ' style:master-page-name="Standard"><style:paragraph-properties style:page-number="auto"/>'
        "</style:style>"
        + "".join(tables)
        + '<style:style style:name="Cell" style:family="table-cell">'
        '<style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #808080"/>'
        "</style:style>"
        '<style:style style:name="Head" style:family="table-cell">'
        '<style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #808080"'
        ' fo:background-color="#dde6f0"/></style:style>'
        '<style:style style:name="Total" style:family="table-cell">'
        '<style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #808080"'
        ' fo:background-color="#f2f2f2"/></style:style>'
        '<style:style style:name="Side" style:family="graphic">'
        '<style:graphic-properties style:wrap="right" style:horizontal-pos="left"'
        ' style:horizontal-rel="paragraph" style:vertical-pos="top" style:vertical-rel="paragraph"'
        ' fo:border="0.75pt solid #1f4e79" fo:background-color="#eef3f8" fo:padding="0.2cm"'
        ' fo:margin-right="0.4cm"/></style:style>'
        "</office:automatic-styles>"
    )


def _kw_inline(text: str) -> str:
    """Body text with its footnote marks "{fn1}" as ODF footnotes."""
    out, n = [], 0
    for part in re.split(r"(\{fn\d\})", text):
        m = re.fullmatch(r"\{(fn\d)\}", part)
        if not m:
            out.append(escape(part))
            continue
        n = int(m.group(1)[2:])
        out.append(
            f'<text:note text:id="{m.group(1)}" text:note-class="footnote">'
            f"<text:note-citation>{n}</text:note-citation><text:note-body>"
            f'<text:p text:style-name="Footnote">{escape(KW_FOOTNOTES[m.group(1)])}</text:p>'
            "</text:note-body></text:note>"
        )
    return "".join(out)


def _kw_table_xml(name: str) -> str:
    t = KW_TABLES[name]
    numeric = set(t["numeric"])
    cols = _table_columns("T", name, t["widths"])

    def row(cells: tuple[str, ...], head: bool) -> str:
        total = cells[0] == "Totaal"
        out = []
        for i, c in enumerate(cells):
            cell = "Head" if head else "Total" if total else "Cell"
            par = ("Table_Head" if head or total else "Table_Text") + (
                "_Num" if i in numeric and (head or total) else ""
            )
            if i in numeric and not head and not total:
                par = "Table_Num"
            out.append(
                f'<table:table-cell table:style-name="{cell}" office:value-type="string">'
                f"{_p(par, c)}</table:table-cell>"
            )
        return "<table:table-row>" + "".join(out) + "</table:table-row>"

    return (
        f'<table:table table:name="{name}" table:style-name="T_{name}">'
        + cols
        + "<table:table-header-rows>"
        + row(t["header"], True)
        + "</table:table-header-rows>"
        + "".join(row(r, False) for r in t["rows"])
        + "</table:table>"
    )


def _kw_items_xml(items: list) -> str:
    out: list[str] = []
    styles = {
        "h1": ("Heading_1", 1),
        "h1break": ("Break", 1),
        "h1land": ("Land", 1),
        "h1port": ("Port", 1),
        "h2": ("Heading_2", 2),
        "h3": ("Heading_3", 3),
        "h4": ("Heading_4", 4),
    }
    for kind, value, *_ in items:
        if kind in styles:
            style, level = styles[kind]
            out.append(
                f'<text:h text:style-name="{style}" text:outline-level="{level}">'
                f"{escape(value)}</text:h>"
            )
        elif kind == "para":
            out.append(f'<text:p text:style-name="Body">{_kw_inline(value)}</text:p>')
        elif kind in ("bullets", "numbers"):
            list_style, par = (
                ("Bullets", "Bullet") if kind == "bullets" else ("Numbers", "Numbered")
            )
            out.append(f'<text:list text:style-name="{list_style}">')
            out.extend(f"<text:list-item>{_p(par, item)}</text:list-item>" for item in value)
            out.append("</text:list>")
        elif kind == "sidebar":
            title, lines, para = value
            frame = (
                '<draw:frame draw:style-name="Side" draw:name="Kerncijfers"'
                ' text:anchor-type="paragraph" svg:width="4.2cm" draw:z-index="0">'
                '<draw:text-box fo:min-height="2cm">'
                + _p("Side_Head", title)
                + "".join(_p("Side_Text", line) for line in lines)
                + "</draw:text-box></draw:frame>"
            )
            out.append(f'<text:p text:style-name="Body">{frame}{_kw_inline(para)}</text:p>')
        elif kind == "columns3":
            out.append('<text:section text:style-name="Sect3" text:name="Bedrijfsvoering">')
            out.append(_kw_items_xml(value))
            out.append("</text:section>")
        elif kind == "table":
            out.append(_kw_table_xml(value))
    return "".join(out)


def kw_write_odt(path: Path) -> None:
    write_odt_file(
        path,
        _kw_items_xml(KW_ITEMS),
        _kw_content_styles(),
        KW_STYLES,
        "Jaarstukken 2024 gemeente Kwakveen",
        "Team Planning en Control",
    )


def _kw_plain(text: str) -> str:
    return re.sub(r"\{fn\d\}", "", text)


def kw_paragraphs() -> list[dict]:
    """What the document says, in reading order: headings (with their level), paragraphs, list
    items, the sidebar's lines; each with the passage's theme labels where it has any."""
    out: list[dict] = []
    levels = {"h1": 1, "h1break": 1, "h1land": 1, "h1port": 1, "h2": 2, "h3": 3, "h4": 4}

    def walk(items: list, columns: bool) -> None:
        for kind, value, *extra in items:
            base = {"three_columns": columns}
            if extra:
                base.update(extra[0])
            if kind in levels:
                out.append({"kind": "heading", "level": levels[kind], "text": value, **base})
            elif kind == "para":
                marks = [int(n) for n in re.findall(r"\{fn(\d)\}", value)]
                entry = {"kind": "para", "text": _kw_plain(value), **base}
                if marks:
                    entry["footnote_marks"] = marks
                out.append(entry)
            elif kind in ("bullets", "numbers"):
                for n, item in enumerate(value, 1):
                    entry = {"kind": "bullet" if kind == "bullets" else "item", "text": item}
                    if kind == "numbers":
                        entry["number"] = f"{n}."
                    out.append({**entry, **base})
            elif kind == "sidebar":
                title, lines, para = value
                out.extend({"kind": "sidebar", "text": t, **base} for t in (title, *lines))
                out.append({"kind": "para", "text": para, "beside_sidebar": True, **base})
            elif kind == "columns3":
                walk(value, True)

    walk(KW_ITEMS, False)
    return out


def kw_locate(pdf: Path, paragraphs: list[dict]) -> None:
    """As locate, in reading order (the program headings recur), with the footnote numbers
    after words taken out of the export's text."""
    with pymupdf.open(pdf) as doc:
        pages = [re.sub(r"(?<=[a-z])\d(?=[ ,.])", "", _flat(p.get_text())) for p in doc]
    page, at = 0, 0
    for para in paragraphs:
        words = para["text"].split()
        head, tail = " ".join(words[:5]), " ".join(words[-5:])
        found = None
        for i in range(page, len(pages)):
            start = pages[i].find(head, at if i == page else 0)
            if start >= 0:
                found = (i, start)
                break
        if found is None and head in pages[page]:  # placed before its anchor: a frame
            found = (page, pages[page].find(head))
            para["page"] = para["end_page"] = page + 1
            continue
        if found is None:
            sys.exit(f"cannot find paragraph in the export: {para['text'][:60]}")
        page, at = found
        end_page = next(
            (j for j in range(page, len(pages)) if tail in pages[j][at if j == page else 0 :]),
            None,
        )
        if end_page is None:
            sys.exit(f"cannot find the end of a paragraph in the export: {para['text'][:60]}")
        para["page"], para["end_page"] = page + 1, end_page + 1
        at += len(head)


def make_kwakveen() -> dict:
    """Build kwakveen_jaarstukken_2024.pdf; return its entry for labels.json."""
    with tempfile.TemporaryDirectory() as tmp:
        odt = Path(tmp) / f"{KW_NAME}.odt"
        kw_write_odt(odt)
        pdf = export_pdf(odt, Path(tmp))
        good = OUT / f"{KW_NAME}.pdf"
        with pymupdf.open(pdf) as doc:  # no timestamps
            doc.set_metadata({**doc.metadata, "creationDate": "", "modDate": ""})
            doc.save(good, garbage=4, deflate=True)

    paragraphs = kw_paragraphs()
    kw_locate(good, paragraphs)
    with pymupdf.open(good) as doc:
        page_count = doc.page_count
        texts = [_flat(p.get_text()) for p in doc]
        landscape = [i + 1 for i, p in enumerate(doc) if p.rect.width > p.rect.height]
        tables = []
        after = _kw_before_tables(paragraphs)
        for name, t in KW_TABLES.items():
            keys = [" ".join(max(r, key=len).split()[:4]) for r in t["rows"]]
            first = after[name] - 1
            pages = sorted(
                {
                    next(i + 1 for i in range(first, len(texts)) if k in texts[i])
                    for k in keys
                    if any(k in x for x in texts[first:])
                }
            )
            if len(pages) == 0 or any(not any(k in x for x in texts) for k in keys):
                sys.exit(f"cannot find the rows of table {name} in the export")
            tables.append(
                {
                    "name": name,
                    "header": list(t["header"]),
                    "rows": [list(r) for r in t["rows"]],
                    "right_aligned_columns": [t["header"][i] for i in t["numeric"]],
                    "pages": pages,
                    "header_repeated_on_each_page": True,
                }
            )
        side_page = next(p["page"] for p in paragraphs if p["kind"] == "sidebar")
        page = doc[side_page - 1]
        box = page.search_for("Kerncijfers")[0]
        beside = next(p for p in paragraphs if p.get("beside_sidebar"))
        body = page.search_for(" ".join(beside["text"].split()[:3]))[0]
        footnotes = []
        for key, text in KW_FOOTNOTES.items():
            number = int(key[2:])
            at = [i + 1 for i, t in enumerate(texts) if " ".join(text.split()[-5:]) in t]
            marked = next(p for p in paragraphs if number in p.get("footnote_marks", []))
            before = re.search(r"(\S+)\{" + key + r"\}", _kw_items_text()).group(1)
            footnotes.append(
                {
                    "number": number,
                    "text": text,
                    "page": at[0],
                    "marker_after": before,
                    "in_paragraph": marked["text"][:60],
                    "font_size_pt": 8.5,
                }
            )
    over_break = [p for p in paragraphs if p["end_page"] > p["page"]]
    split = [t["name"] for t in tables if len(t["pages"]) > 1]
    columns = sorted({p["page"] for p in paragraphs if p["three_columns"]})
    if not over_break or not split or len(landscape) != 1 or len(columns) != 1:
        sys.exit(
            f"layout moved: over break {len(over_break)}, tables split {split}, "
            f"landscape {landscape}, three-column pages {columns}; adjust the text"
        )
    if box.x0 >= body.x0:
        sys.exit("layout moved: the sidebar is not left of the text beside it")
    themes = {t: 0 for t in THEME_IDS}
    for p in paragraphs:
        for t in p.get("themes", []):
            themes[t] = 1
    return {
        "made": "ODT written in Python, exported with LibreOffice Writer",
        "pages": page_count,
        "image_only_pages": [],
        "broken_text_pages": [],
        "running_header": KW_HEADER,
        "running_footer": "Pagina N van M",
        "landscape_pages": landscape,
        "three_column_pages": columns,
        "paragraphs": paragraphs,
        "paragraphs_over_page_break": [p["text"][:60] for p in over_break],
        "tables_over_page_break": split,
        "sidebar": {
            "page": side_page,
            "side": "left",
            "bbox_title": [round(v, 1) for v in box],
            "text_beside_starts_at_x": round(body.x0, 1),
            "lines": [p["text"] for p in paragraphs if p["kind"] == "sidebar"],
            "beside_paragraph": beside["text"][:60],
        },
        "footnotes": footnotes,
        "tables": tables,
        "themes": themes,
        "status": {"never": "ok", "auto": "ok", "always": "ok"},
    }


def _kw_before_tables(paragraphs: list[dict]) -> dict[str, int]:
    """Per table, the page of the paragraph just before it."""
    out, n = {}, 0
    plain = [p for p in paragraphs if p["kind"] not in ("bullet", "item", "sidebar")]

    def walk(items: list) -> None:
        nonlocal n
        for kind, value, *_ in items:
            if kind == "table":
                out[value] = plain[n - 1]["page"]
            elif kind == "columns3":
                walk(value)
            elif kind in ("bullets", "numbers"):
                continue
            elif kind == "sidebar":
                n += 1
            else:
                n += 1

    walk(KW_ITEMS)
    return out


THEME_IDS = (
    "informatieveiligheid",
    "digitalisering",
    "datagedreven",
    "smart_city",
    "digitale_transformatie",
)


def _kw_items_text() -> str:
    def walk(items: list) -> str:
        parts = []
        for kind, value, *_ in items:
            if kind == "para":
                parts.append(value)
            elif kind == "columns3":
                parts.append(walk(value))
        return " ".join(parts)

    return walk(KW_ITEMS)


# --- Zandmeer kadernota 2026 --------------------------------------------------------------------
# A third document with what the first two lack: a table of contents with dot leaders, headings
# as white text on a coloured bar and a chapter title page, a page in two columns of unequal
# width (a wide main column, a narrow column of "Wist u dat...?" notes) over two pages, a table
# with a merged header cell, amounts in parentheses and bold subtotal rows, numbered paragraphs
# with hanging indent, a definition list, a chart with a caption, a paragraph and a bulleted list
# over a page break, a table cell whose text wraps over several lines, and "kadernota 2026 | N".

ZM_NAME = "zandmeer_kadernota_2026"
ZM_HEADER = "Gemeente Zandmeer"
ZM_FOOTER = "kadernota 2026 | N"

ZM_ITEMS: list = [
    ("cover", "Kadernota 2026"),
    ("coversub", "Gemeente Zandmeer"),
    ("tochead", "Inhoud"),
    ("toc", None),
    ("title", "1 Kaders voor 2026"),
    (
        "lead",
        "Met deze kadernota geeft het college de raad de financiële en inhoudelijke kaders voor "
        "de begroting 2026 en de meerjarenraming tot en met 2029.",
    ),
    ("bar2break", "1.1 Inleiding"),
    (
        "para",
        "Zandmeer staat er financieel redelijk voor, maar de ruimte wordt kleiner. De "
        "algemene uitkering groeit minder hard dan de kosten van jeugdhulp, loonstijgingen en "
        "energie. Wij kiezen daarom voor een kadernota met weinig nieuwe wensen en een paar "
        "duidelijke keuzes. Wat wij wel toevoegen, is zo veel mogelijk incidenteel of wordt "
        "binnen de bestaande budgetten gevonden door slim combineren van budgetten in het "
        "fysieke domein.",
        {"themes": [], "hard_negative": ["smart_city"]},
    ),
    (
        "para",
        "In het sociaal domein zetten wij de transformatie van de jeugdhulp voort: meer "
        "ondersteuning dichtbij huis via het sociaal team en minder verwijzingen naar dure "
        "specialistische zorg. De afspraken met de regio over de inkoop lopen tot 2027.",
        {"themes": [], "hard_negative": ["digitale_transformatie"]},
    ),
    ("bar2", "1.2 Uitgangspunten"),
    (
        "num",
        (
            "1.2.1",
            "De begroting 2026 is structureel en reëel sluitend; incidentele baten worden "
            "niet gebruikt om structurele lasten te dekken.",
        ),
    ),
    (
        "num",
        (
            "1.2.2",
            "Lonen worden geïndexeerd met 3,4 procent en prijzen met 2,6 procent, volgens de "
            "raming van het Centraal Planbureau in het voorjaar van 2025.",
        ),
    ),
    (
        "num",
        (
            "1.2.3",
            "De onroerendezaakbelasting stijgt met het inflatiepercentage; een extra verhoging "
            "stellen wij alleen voor als de meicirculaire daartoe dwingt.",
        ),
    ),
    (
        "num",
        (
            "1.2.4",
            "Nieuwe investeringen in de informatievoorziening worden in vijf jaar afgeschreven "
            "en pas opgenomen als de beheerkosten erbij zijn geraamd.",
        ),
        {"themes": [], "hard_negative": ["digitalisering"]},
    ),
    ("bar2", "1.3 Begrippen"),
    (
        "defn",
        (
            "Autonome ontwikkeling:",
            "een verandering in de lasten of baten waarop de gemeente geen invloed heeft, "
            "zoals de indexering van lonen of een nieuwe rijksregel.",
        ),
    ),
    (
        "defn",
        (
            "Nieuw beleid:",
            "een voorstel van het college om iets te gaan doen dat nog niet in de begroting "
            "staat, met de kosten die daarbij horen.",
        ),
    ),
    (
        "defn",
        (
            "Risico:",
            "een gebeurtenis die onzeker is en die, als zij zich voordoet, een financieel "
            "gevolg heeft dat niet in de begroting is opgenomen.",
        ),
    ),
    (
        "defn",
        (
            "Weerstandsvermogen:",
            "de verhouding tussen het geld dat beschikbaar is om tegenvallers op te vangen en "
            "de risico's die de gemeente loopt.",
        ),
    ),
    ("bar2", "1.4 Het financiële beeld"),
    (
        "para",
        "Na verwerking van de autonome ontwikkelingen en het nieuwe beleid sluit de "
        "meerjarenraming in 2026 en 2027 met een klein overschot. Vanaf 2028 ontstaat een tekort "
        "dat in 2029 oploopt tot ruim € 1,1 miljoen. Dat tekort komt vooral doordat het Rijk de "
        "opschalingskorting weer invoert en doordat de extra middelen voor jeugdhulp na 2027 "
        "vervallen. Wij stellen voor het tekort niet nu met bezuinigingen te dekken, maar in de "
        "begroting 2026 met een pakket maatregelen te komen. Daarbij kijken wij naar de tarieven "
        "van de sportaccommodaties, naar het aantal gemeentelijke gebouwen en naar de "
        "samenwerking met de buurgemeenten in de bedrijfsvoering. De raad krijgt in september "
        "een overzicht van de mogelijkheden, met per maatregel de opbrengst, de gevolgen voor "
        "inwoners en de termijn waarop de maatregel effect heeft. Zo kan de raad bij de "
        "behandeling van de begroting een afgewogen keuze maken, en houden wij rekening met de "
        "uitkomst van de herijking van het gemeentefonds die het Rijk voor het najaar van 2025 "
        "heeft aangekondigd.",
    ),
    ("bar1", "2 Financieel kader"),
    (
        "para",
        "De tabel hieronder laat zien hoe het saldo van de meerjarenraming verandert door de "
        "voorstellen in deze kadernota. Nadelen staan tussen haakjes.",
    ),
    ("table", "kader"),
    ("figure", "Figuur 1: Saldo na kadernota per jaar, bedragen x € 1.000"),
    (
        "para",
        "De grootste nadelen zijn de loon- en prijsontwikkeling en de hogere kosten van "
        "jeugdhulp en Wmo. Het voordeel uit de meicirculaire dekt die in de eerste twee jaren, "
        "maar niet daarna.",
    ),
    ("bar1break", "3 Digitale gemeente"),
    (
        "columns",
        [
            (
                "main",
                [
                    (
                        "para",
                        "De raad stelde in december 2024 de digitale agenda 2025-2028 vast. Daarin "
                        "beschrijven wij hoe digitalisering de samenleving en onze eigen organisatie "
                        "verandert, en welke keuzes de gemeente daarbij maakt: wij zetten "
                        "technologie in waar die inwoners helpt, wij zijn open over de algoritmen "
                        "die wij gebruiken en wij zorgen dat niemand buiten de boot valt. In 2026 "
                        "publiceren wij het algoritmeregister en richten wij een ethische commissie "
                        "in die nieuwe toepassingen vooraf beoordeelt.",
                        {"themes": ["digitale_transformatie"], "hard_negative": []},
                    ),
                    (
                        "para",
                        "Inwoners regelen al veel zaken online, maar nog niet alles. In 2026 "
                        "vervangen wij het klantportaal MijnZandmeer, zodat inwoners en ondernemers "
                        "ook een melding openbare ruimte, een aanvraag voor bijzondere bijstand en "
                        "een evenementenvergunning online kunnen doen en kunnen volgen. Voor het "
                        "nieuwe portaal en de koppeling met het zaaksysteem vragen wij € 180.000 in "
                        "2026 en daarna € 120.000 per jaar.",
                        {"themes": ["digitalisering"], "hard_negative": []},
                    ),
                    (
                        "para",
                        "Met de groei van digitale diensten groeit ook de dreiging. De gemeente "
                        "voldoet aan de Baseline Informatiebeveiliging Overheid, maar uit de "
                        "ENSIA-verantwoording over 2024 bleek dat het beheer van "
                        "toegangsrechten en de afspraken met leveranciers beter moeten. Wij "
                        "stellen daarom een tweede security officer aan, laten elk jaar een "
                        "penetratietest uitvoeren en oefenen twee keer per jaar met het "
                        "crisisteam hoe wij handelen bij een ransomware-aanval.",
                        {"themes": ["informatieveiligheid"], "hard_negative": []},
                    ),
                ],
            ),
            (
                "side",
                [
                    (
                        "note",
                        "Wist u dat... 78 procent van de aanvragen in 2024 online is gedaan?",
                        {"themes": ["digitalisering"], "hard_negative": []},
                    ),
                    (
                        "note",
                        "Wist u dat... de raad in januari vanwege storm digitaal vergaderde?",
                        {"themes": [], "hard_negative": ["digitalisering"]},
                    ),
                ],
            ),
            (
                "main",
                [
                    (
                        "para",
                        "Wij willen beter sturen op wat er in de gemeente gebeurt. Daarom bouwt "
                        "het nieuwe datateam in 2026 dashboards voor het sociaal domein en de "
                        "openbare ruimte, die elk kwartaal laten zien hoeveel meldingen er "
                        "binnenkomen, hoe snel zij worden afgehandeld en waar de kosten stijgen. "
                        "Het college gebruikt deze cijfers bij de keuzes in de begroting. Voor het "
                        "datateam is € 140.000 per jaar geraamd.",
                        {"themes": ["datagedreven"], "hard_negative": []},
                    ),
                    (
                        "para",
                        "Op de Havenweg en de Stationslaan vervangen wij de verkeerslichten door "
                        "intelligente verkeerslichten die met fietsers en bussen communiceren. "
                        "Samen met de provincie plaatsen wij sensoren die het aantal fietsers en "
                        "de luchtkwaliteit meten. De eerste resultaten delen wij als open data, "
                        "zodat ook bewoners en onderzoekers ermee aan de slag kunnen.",
                        {"themes": ["smart_city", "datagedreven"], "hard_negative": []},
                    ),
                    (
                        "para",
                        "De data van de raadsvergaderingen in het najaar staan op de website. Daar "
                        "vindt u ook de planning van de begrotingsbehandeling op 6 en 7 november.",
                        {"themes": [], "hard_negative": ["datagedreven"]},
                    ),
                ],
            ),
            (
                "side",
                [
                    (
                        "note",
                        "Wist u dat... er in Zandmeer 64 sensoren in ondergrondse containers "
                        "melden wanneer zij vol zijn?",
                        {"themes": ["smart_city"], "hard_negative": []},
                    ),
                    (
                        "note",
                        "“Een slimme stad begint bij de vraag wat inwoners nodig hebben.” — "
                        "wethouder digitale zaken",
                        {"themes": [], "hard_negative": ["smart_city"]},
                    ),
                ],
            ),
        ],
    ),
    ("bar1", "4 Nieuw beleid en risico's"),
    (
        "para",
        "De voorstellen voor nieuw beleid staan in de tabel hieronder, met een korte toelichting "
        "en het bedrag voor 2026.",
    ),
    ("table", "voorstellen"),
    (
        "para",
        "Bij het opstellen van deze kadernota zijn de volgende risico's in beeld, die wij in de "
        "paragraaf weerstandsvermogen van de begroting 2026 verder uitwerken:",
    ),
    (
        "bullets",
        [
            "De herijking van het gemeentefonds kan voor Zandmeer nadelig uitvallen; wij houden "
            "rekening met een nadeel tot € 40 per inwoner.",
            "De kosten van jeugdhulp kunnen verder stijgen als het aantal jongeren met "
            "specialistische hulp niet afneemt.",
            "Een digitale aanval kan de dienstverlening dagen stilleggen; de cyberverzekering "
            "dekt alleen een deel van de herstelkosten.",
            "De aanbesteding van het nieuwe klantportaal kan duurder uitvallen door de krappe "
            "markt voor ontwikkelaars.",
            "Het project voor de sporthal aan de Duinweg kan vertragen als de stikstofberekening "
            "opnieuw moet.",
            "Hogere rente maakt nieuwe leningen voor investeringen duurder dan in de "
            "meerjarenraming is aangenomen.",
        ],
    ),
    (
        "para",
        "Het college stelt de raad voor de kaders in deze kadernota vast te stellen als basis "
        "voor de begroting 2026.",
    ),
]

ZM_BULLET_THEMES = {
    2: {"themes": ["informatieveiligheid"], "hard_negative": []},
    3: {"themes": ["digitalisering"], "hard_negative": []},
}


def _zm_amount(n: int) -> str:
    """A whole number the Dutch way, a disadvantage in parentheses: 1.120, (540)."""
    s = f"{abs(n):,}".replace(",", ".")
    return f"({s})" if n < 0 else s


def _zm_kader_rows() -> list[tuple[str, ...]]:
    start = ("Saldo meerjarenraming begroting 2025", (412, 156, -238, -517))
    autonomous = [
        ("Algemene uitkering meicirculaire 2025", (1120, 731, 182, -75)),
        ("Loon- en prijsontwikkeling", (-540, -565, -590, -610)),
        ("Jeugdhulp en Wmo", (-320, -350, -350, -350)),
        ("Energielasten gemeentelijke gebouwen", (-95, -60, -40, -40)),
    ]
    policy = [
        ("Klantportaal MijnZandmeer", (-180, -120, -120, -120)),
        ("Informatieveiligheid", (-95, -95, -95, -95)),
        ("Datateam", (-140, -140, -140, -140)),
        ("Intelligente verkeerslichten", (-60, -15, -15, -15)),
        ("ICT 0.4 Overhead", (-45, -45, -45, -45)),
    ]

    def line(name: str, v: tuple[int, ...]) -> tuple[str, ...]:
        return (name, *(_zm_amount(x) for x in v))

    def total(lines: list) -> tuple[int, ...]:
        return tuple(sum(v[i] for _, v in lines) for i in range(4))

    sa, sp = total(autonomous), total(policy)
    end = tuple(start[1][i] + sa[i] + sp[i] for i in range(4))
    return [
        line(*start),
        *(line(*x) for x in autonomous),
        line("Subtotaal autonome ontwikkelingen", sa),
        *(line(*x) for x in policy),
        line("Subtotaal nieuw beleid", sp),
        line("Saldo na kadernota", end),
    ]


ZM_TABLES = {
    "kader": {
        "header": (
            "Bedragen x € 1.000",
            "Meerjarenraming 2026",
            "Meerjarenraming 2027",
            "Meerjarenraming 2028",
            "Meerjarenraming 2029",
        ),
        "merged": ("Meerjarenraming", ("2026", "2027", "2028", "2029")),
        "widths": (7.6, 2.1, 2.1, 2.1, 2.1),
        "numeric": (1, 2, 3, 4),
        "rows": _zm_kader_rows(),
    },
    "voorstellen": {
        "header": ("Nr", "Voorstel", "Toelichting", "2026"),
        "widths": (0.9, 3.4, 9.6, 2.1),
        "numeric": (3,),
        "rows": [
            (
                "1",
                "Klantportaal MijnZandmeer",
                "Het huidige portaal wordt in 2026 niet meer ondersteund door de leverancier. Het "
                "nieuwe portaal is gekoppeld aan het zaaksysteem, zodat inwoners de stand van hun "
                "aanvraag zien en besluiten digitaal ontvangen; de structurele kosten voor "
                "licenties en beheer zijn meegenomen.",
                "(180)",
            ),
            (
                "2",
                "Informatieveiligheid",
                "Tweede security officer en jaarlijkse penetratietest.",
                "(95)",
            ),
            (
                "3",
                "Datateam",
                "Twee data-analisten die samen met de beleidsafdelingen dashboards bouwen voor "
                "het sociaal domein en de openbare ruimte, en die de kwaliteit van de gegevens "
                "bewaken waarop het college zijn keuzes baseert; het team start in het "
                "voorjaar van 2026.",
                "(140)",
            ),
            ("4", "Intelligente verkeerslichten", "Havenweg en Stationslaan.", "(60)"),
        ],
    },
}
ZM_BOLD_ROWS = ("Subtotaal", "Saldo na kadernota")


def _zm_chart_png() -> bytes:
    """A small bar chart of the saldo after the kadernota, as the finance team draws one."""
    from PIL import ImageDraw

    saldo = [
        int(v.strip("()").replace(".", "")) * (-1 if v.startswith("(") else 1)
        for v in _zm_kader_rows()[-1][1:]
    ]
    w, h = 520, 240
    img = Image.new("P", (w, h), 0)
    img.putpalette([255, 255, 255, 31, 78, 121, 192, 80, 77, 90, 90, 90] + [0] * 756)
    d = ImageDraw.Draw(img)
    zero = 120
    d.line([(40, zero), (w - 20, zero)], fill=3, width=2)
    d.line([(40, 20), (40, h - 20)], fill=3, width=2)
    scale = 90 / max(abs(v) for v in saldo)
    for i, v in enumerate(saldo):
        x = 80 + i * 110
        top, bottom = sorted((zero, zero - int(v * scale)))
        d.rectangle([x, top, x + 60, bottom], fill=1 if v >= 0 else 2)
        d.text((x + 15, h - 16), str(2026 + i), fill=3)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


ZM_STYLES = (
    STYLES_OPEN
    + f"""  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="10pt"
     fo:language="nl" fo:country="NL" fo:hyphenate="false"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph"/>
  <style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm"
     fo:line-height="130%"/>
  </style:style>
  <style:style style:name="Cover" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-top="1cm" fo:margin-bottom="0.2cm"/>
   <style:text-properties fo:font-size="30pt" fo:font-weight="bold" fo:color="#0b6e69"/>
  </style:style>
  <style:style style:name="Cover_Sub" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-bottom="1.5cm"/>
   <style:text-properties fo:font-size="16pt" fo:color="#555555"/>
  </style:style>
  <style:style style:name="Toc_Head" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-bottom="0.4cm"/>
   <style:text-properties fo:font-size="14pt" fo:font-weight="bold" fo:color="#0b6e69"/>
  </style:style>
  <style:style style:name="Toc1" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-top="0.25cm" fo:margin-bottom="0.1cm">
    <style:tab-stops><style:tab-stop style:position="16cm" style:type="right"
      style:leader-style="dotted" style:leader-text="."/></style:tab-stops>
   </style:paragraph-properties>
   <style:text-properties fo:font-size="11pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Toc2" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-left="0.6cm" fo:margin-bottom="0.1cm">
    <style:tab-stops><style:tab-stop style:position="15.4cm" style:type="right"
      style:leader-style="dotted" style:leader-text="."/></style:tab-stops>
   </style:paragraph-properties>
   <style:text-properties fo:font-size="10.5pt"/>
  </style:style>
  <style:style style:name="Title_Bar" style:family="paragraph" style:parent-style-name="Standard"
    style:default-outline-level="1">
   <style:paragraph-properties fo:break-before="page" fo:margin-top="7cm" fo:margin-bottom="0.6cm"
     fo:background-color="#0b6e69" fo:padding="0.6cm"/>
   <style:text-properties fo:font-size="32pt" fo:font-weight="bold" fo:color="#ffffff"/>
  </style:style>
  <style:style style:name="Lead" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:line-height="130%"/>
   <style:text-properties fo:font-size="13pt" fo:font-style="italic" fo:color="#0b6e69"/>
  </style:style>
  <style:style style:name="Bar1" style:family="paragraph" style:parent-style-name="Standard"
    style:default-outline-level="1">
   <style:paragraph-properties fo:margin-top="0.5cm" fo:margin-bottom="0.3cm"
     fo:background-color="#0b6e69" fo:padding="0.15cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-size="15pt" fo:font-weight="bold" fo:color="#ffffff"/>
  </style:style>
  <style:style style:name="Bar2" style:family="paragraph" style:parent-style-name="Standard"
    style:default-outline-level="2">
   <style:paragraph-properties fo:margin-top="0.35cm" fo:margin-bottom="0.2cm"
     fo:background-color="#d7ecea" fo:padding="0.1cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-size="12pt" fo:font-weight="bold" fo:color="#0b6e69"/>
  </style:style>
  <style:style style:name="Numbered_Para" style:family="paragraph" style:parent-style-name="Body">
   <style:paragraph-properties fo:margin-left="1.3cm" fo:text-indent="-1.3cm">
    <style:tab-stops><style:tab-stop style:position="0cm"/></style:tab-stops>
   </style:paragraph-properties>
  </style:style>
  <style:style style:name="Definition" style:family="paragraph" style:parent-style-name="Body"/>
  <style:style style:name="Bullet" style:family="paragraph" style:parent-style-name="Body"
    style:list-style-name="Bullets">
   <style:paragraph-properties fo:margin-bottom="0.1cm"/>
  </style:style>
  <style:style style:name="Note" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-bottom="0.4cm" fo:line-height="120%"
     fo:background-color="#fdf1d8" fo:padding="0.2cm" fo:border-left="2pt solid #e0a526"/>
   <style:text-properties fo:font-size="9pt" fo:font-style="italic"/>
  </style:style>
  <style:style style:name="Caption" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-top="0.1cm" fo:margin-bottom="0.35cm"/>
   <style:text-properties fo:font-size="8.5pt" fo:font-style="italic" fo:color="#555555"/>
  </style:style>
  <style:style style:name="Figure" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center" fo:margin-top="0.2cm"/>
  </style:style>
  <style:style style:name="Table_Text" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-size="8.5pt"/>
  </style:style>
  <style:style style:name="Table_Num" style:family="paragraph" style:parent-style-name="Table_Text">
   <style:paragraph-properties fo:text-align="end"/>
  </style:style>
  <style:style style:name="Table_Head" style:family="paragraph" style:parent-style-name="Table_Text">
   <style:text-properties fo:font-weight="bold" fo:color="#ffffff"/>
  </style:style>
  <style:style style:name="Table_Head_Center" style:family="paragraph"
    style:parent-style-name="Table_Head">
   <style:paragraph-properties fo:text-align="center"/>
  </style:style>
  <style:style style:name="Table_Head_Num" style:family="paragraph" style:parent-style-name="Table_Head">
   <style:paragraph-properties fo:text-align="end"/>
  </style:style>
  <style:style style:name="Table_Bold" style:family="paragraph" style:parent-style-name="Table_Text">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Table_Bold_Num" style:family="paragraph" style:parent-style-name="Table_Bold">
   <style:paragraph-properties fo:text-align="end"/>
  </style:style>
  <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-size="8pt" fo:color="#0b6e69" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="end"/>
   <style:text-properties fo:font-size="8pt" fo:color="#555555"/>
  </style:style>
  <style:style style:name="Strong" style:family="text">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <text:list-style style:name="Bullets">
   <text:list-level-style-bullet text:level="1" text:bullet-char="■">
    <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
     <style:list-level-label-alignment text:label-followed-by="listtab"
       text:list-tab-stop-position="0.8cm" fo:text-indent="-0.5cm" fo:margin-left="0.8cm"/>
    </style:list-level-properties>
    <style:text-properties fo:color="#0b6e69"/>
   </text:list-level-style-bullet>
  </text:list-style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
     fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.5cm"
     fo:border-bottom="0.5pt solid #0b6e69"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.5cm"/></style:footer-style>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p text:style-name="Header">{ZM_HEADER}</text:p></style:header>
   <style:footer><text:p text:style-name="Footer">kadernota 2026 | <text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>
  </style:master-page>
 </office:master-styles>
</office:document-styles>
"""
)


def _zm_content_styles() -> str:
    tables = _table_styles("Z", ZM_TABLES)
    cell = '<style:table-cell-properties fo:padding="0.08cm" fo:border-bottom="0.5pt solid #9fb8b6"'
    return (
        "<office:automatic-styles>"
        '<style:style style:name="Sect" style:family="section">'
        '<style:section-properties text:dont-balance-text-columns="true">'
        '<style:columns fo:column-count="2">'
        '<style:column style:rel-width="11*" fo:start-indent="0cm" fo:end-indent="0.4cm"/>'
        '<style:column style:rel-width="5*" fo:start-indent="0.4cm" fo:end-indent="0cm"/>'
        "</style:columns></style:section-properties></style:style>"
        '<style:style style:name="ColBreak" style:family="paragraph" style:parent-style-name="Body">'
        '<style:paragraph-properties fo:break-before="column"/></style:style>'
        '<style:style style:name="NoteBreak" style:family="paragraph" style:parent-style-name="Note">'
        '<style:paragraph-properties fo:break-before="column"/></style:style>'
        '<style:style style:name="Bar1Break" style:family="paragraph" style:parent-style-name="Bar1">'
        '<style:paragraph-properties fo:break-before="page"/></style:style>'
        '<style:style style:name="Bar2Break" style:family="paragraph" style:parent-style-name="Bar2">'
        '<style:paragraph-properties fo:break-before="page"/></style:style>'
        '<style:style style:name="Img" style:family="graphic">'
        '<style:graphic-properties style:wrap="none" style:vertical-pos="top"'
        ' style:vertical-rel="baseline"/></style:style>'
        + "".join(tables)
        + f'<style:style style:name="Cell" style:family="table-cell">{cell}/></style:style>'
        f'<style:style style:name="Head" style:family="table-cell">{cell}'
        ' fo:background-color="#0b6e69"/></style:style>'
        f'<style:style style:name="Sub" style:family="table-cell">{cell}'
        ' fo:background-color="#eef6f5"/></style:style>'
        "</office:automatic-styles>"
    )


def _zm_table_xml(name: str) -> str:
    t = ZM_TABLES[name]
    numeric = set(t["numeric"])
    cols = _table_columns("Z", name, t["widths"])

    def cell(text: str, style: str, par: str, extra: str = "") -> str:
        return (
            f'<table:table-cell table:style-name="{style}" office:value-type="string"{extra}>'
            f"{_p(par, text)}</table:table-cell>"
        )

    def row(cells: tuple[str, ...]) -> str:
        bold = cells[0].startswith(ZM_BOLD_ROWS)
        out = []
        for i, c in enumerate(cells):
            par = "Table_Bold" if bold else "Table_Text"
            if i in numeric:
                par = "Table_Bold_Num" if bold else "Table_Num"
            out.append(cell(c, "Sub" if bold else "Cell", par))
        return "<table:table-row>" + "".join(out) + "</table:table-row>"

    if "merged" in t:
        top, years = t["merged"]
        n = len(years)
        head = (
            "<table:table-row>"
            + cell(t["header"][0], "Head", "Table_Head", ' table:number-rows-spanned="2"')
            + cell(top, "Head", "Table_Head_Center", f' table:number-columns-spanned="{n}"')
            + "<table:covered-table-cell/>" * (n - 1)
            + "</table:table-row><table:table-row><table:covered-table-cell/>"
            + "".join(cell(y, "Head", "Table_Head_Num") for y in years)
            + "</table:table-row>"
        )
    else:
        head = (
            "<table:table-row>"
            + "".join(
                cell(h, "Head", "Table_Head_Num" if i in numeric else "Table_Head")
                for i, h in enumerate(t["header"])
            )
            + "</table:table-row>"
        )
    return (
        f'<table:table table:name="{name}" table:style-name="Z_{name}">'
        + cols
        + f"<table:table-header-rows>{head}</table:table-header-rows>"
        + "".join(row(r) for r in t["rows"])
        + "</table:table>"
    )


def _zm_toc_entries() -> list[tuple[int, str]]:
    """The headings the table of contents lists: (level, text)."""
    out = []
    for kind, value, *_ in ZM_ITEMS:
        if kind in ("title", "bar1", "bar1break"):
            out.append((1, value))
        elif kind in ("bar2", "bar2break"):
            out.append((2, value))
    return out


def _zm_items_xml(items: list, toc_pages: dict[str, int]) -> str:
    out: list[str] = []
    simple = {
        "cover": "Cover",
        "coversub": "Cover_Sub",
        "tochead": "Toc_Head",
        "lead": "Lead",
        "para": "Body",
        "caption": "Caption",
    }
    headings = {
        "title": ("Title_Bar", 1),
        "bar1": ("Bar1", 1),
        "bar1break": ("Bar1Break", 1),
        "bar2": ("Bar2", 2),
        "bar2break": ("Bar2Break", 2),
    }
    for kind, value, *_ in items:
        if kind in simple:
            out.append(_p(simple[kind], value))
        elif kind in headings:
            style, level = headings[kind]
            out.append(
                f'<text:h text:style-name="{style}" text:outline-level="{level}">'
                f"{escape(value)}</text:h>"
            )
        elif kind == "toc":
            for level, text in _zm_toc_entries():
                out.append(
                    f'<text:p text:style-name="Toc{level}">{escape(text)}<text:tab/>'
                    f"{toc_pages.get(text, 0)}</text:p>"
                )
        elif kind == "num":
            number, text = value
            out.append(
                f'<text:p text:style-name="Numbered_Para">{number}<text:tab/>{escape(text)}</text:p>'
            )
        elif kind == "defn":
            term, text = value
            out.append(
                '<text:p text:style-name="Definition"><text:span text:style-name="Strong">'
                f"{escape(term)}</text:span> {escape(text)}</text:p>"
            )
        elif kind == "bullets":
            out.append('<text:list text:style-name="Bullets">')
            out.extend(f"<text:list-item>{_p('Bullet', b)}</text:list-item>" for b in value)
            out.append("</text:list>")
        elif kind == "table":
            out.append(_zm_table_xml(value))
        elif kind == "figure":
            out.append(
                '<text:p text:style-name="Figure"><draw:frame draw:style-name="Img"'
                ' draw:name="Figuur1" text:anchor-type="as-char" svg:width="11cm"'
                ' svg:height="5.08cm" draw:z-index="0"><draw:image'
                ' xlink:href="Pictures/saldo.png" xlink:type="simple" xlink:show="embed"'
                ' xlink:actuate="onLoad"/></draw:frame></text:p>'
            )
            out.append(_p("Caption", value))
        elif kind == "columns":
            out.append('<text:section text:style-name="Sect" text:name="DigitaleGemeente">')
            first = True
            for lane, parts in value:
                for i, (_k, text, *_) in enumerate(parts):
                    if lane == "main":
                        style = "ColBreak" if i == 0 and not first else "Body"
                    else:
                        style = "NoteBreak" if i == 0 else "Note"
                    out.append(_p(style, text))
                first = False
            out.append("</text:section>")
    return "".join(out)


def zm_write_odt(path: Path, toc_pages: dict[str, int]) -> None:
    ns = NS.replace(
        'office:version="1.3"', 'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"'
    )
    write_odt_file(
        path,
        _zm_items_xml(ZM_ITEMS, toc_pages),
        _zm_content_styles(),
        ZM_STYLES,
        "Kadernota 2026 gemeente Zandmeer",
        "Team Financiën",
        ns=ns,
        pictures={"Pictures/saldo.png": _zm_chart_png()},
    )


def zm_paragraphs() -> list[dict]:
    """What the document says in reading order (the table of contents apart): headings with
    their level, paragraphs, numbered paragraphs, definitions, bullets, the caption, and the
    main column and the side notes of the two-column pages, each with its theme labels."""
    out: list[dict] = []
    levels = {"cover": 1, "title": 1, "bar1": 1, "bar1break": 1, "bar2": 2, "bar2break": 2}
    for kind, value, *extra in ZM_ITEMS:
        base = dict(extra[0]) if extra else {}
        if kind in levels:
            out.append({"kind": "heading", "level": levels[kind], "text": value, **base})
        elif kind in ("coversub", "lead", "para"):
            out.append({"kind": "para", "text": value, **base})
        elif kind == "tochead":
            out.append({"kind": "heading", "level": 2, "text": value})
        elif kind == "num":
            out.append({"kind": "numbered_para", "number": value[0], "text": value[1], **base})
        elif kind == "defn":
            out.append({"kind": "definition", "term": value[0], "text": " ".join(value), **base})
        elif kind == "bullets":
            for i, b in enumerate(value):
                out.append({"kind": "bullet", "text": b, **ZM_BULLET_THEMES.get(i, {})})
        elif kind == "figure":
            out.append({"kind": "caption", "text": value})
        elif kind == "columns":
            for lane, parts in value:
                for _k, text, *ex in parts:
                    entry = {"kind": "para" if lane == "main" else "note", "text": text}
                    entry["column"] = "main" if lane == "main" else "side"
                    out.append({**entry, **(ex[0] if ex else {})})
    return out


def _zm_locate(pages: list[str], paragraphs: list[dict]) -> None:
    """The pages each paragraph starts and ends on; in reading order, but a page's side notes
    may come before or after its main column in the export's text."""
    running = re.compile(rf"^{ZM_HEADER} | kadernota 2026 \| \d+$")
    pages = [running.sub("", t) for t in pages]
    page = 0
    for para in paragraphs:
        words = para["text"].split()
        head, tail = " ".join(words[:5]), " ".join(words[-5:])
        start = next((i for i in range(page, len(pages)) if head in pages[i]), None)
        if start is None:
            sys.exit(f"cannot find paragraph in the export: {para['text'][:60]}")
        end = next(
            (j for j in range(start, len(pages)) if tail in " ".join(pages[start : j + 1])), None
        )
        if end is None:
            sys.exit(f"cannot find the end of a paragraph in the export: {para['text'][:60]}")
        para["page"], para["end_page"] = start + 1, end + 1
        page = start + 1 if para["text"] == "Inhoud" else start  # the rest of it: the contents


def _zm_export(toc_pages: dict[str, int]) -> tuple[bytes, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        odt = Path(tmp) / f"{ZM_NAME}.odt"
        zm_write_odt(odt, toc_pages)
        pdf = export_pdf(odt, Path(tmp))
        with pymupdf.open(pdf) as doc:  # no timestamps
            doc.set_metadata({**doc.metadata, "creationDate": "", "modDate": ""})
            data = doc.tobytes(garbage=4, deflate=True)
            texts = [_flat(p.get_text()) for p in doc]
    return data, texts


def make_zandmeer() -> dict:
    """Build zandmeer_kadernota_2026.pdf; return its entry for labels.json. Exported twice: the
    second time with the table of contents' page numbers that the first export gave."""
    entries = _zm_toc_entries()
    toc_pages: dict[str, int] = {}
    for _ in range(3):
        data, texts = _zm_export(toc_pages)
        found = {}
        for _level, text in entries:
            at = [i + 1 for i, t in enumerate(texts) if i > 0 and text in t]
            found[text] = at[0] if at else 0
        if found == toc_pages:
            break
        toc_pages = found
    else:
        sys.exit(f"the table of contents does not settle: {toc_pages}")
    good = OUT / f"{ZM_NAME}.pdf"
    good.write_bytes(data)

    paragraphs = zm_paragraphs()
    _zm_locate(texts, paragraphs)
    with pymupdf.open(good) as doc:
        page_count = doc.page_count
        tables = []
        for name, t in ZM_TABLES.items():
            keys = [_flat(r[1] if name == "voorstellen" else r[0]) for r in t["rows"]]
            pages = sorted({next(i + 1 for i, x in enumerate(texts) if k in x) for k in keys})
            entry = {
                "name": name,
                "header": list(t["header"]),
                "rows": [list(r) for r in t["rows"]],
                "right_aligned_columns": [t["header"][i] for i in t["numeric"]],
                "pages": pages,
            }
            if "merged" in t:
                top, years = t["merged"]
                entry["merged_header"] = {
                    "cell": top,
                    "spans_columns": [t["header"][i] for i in range(1, len(years) + 1)],
                    "second_header_row": list(years),
                    "first_column_spans_two_header_rows": t["header"][0],
                }
                entry["negative_amounts_in_parentheses"] = True
                entry["bold_rows"] = [r[0] for r in t["rows"] if r[0].startswith(ZM_BOLD_ROWS)]
            else:
                long = [r for r in t["rows"] if len(r[2]) > 200]
                entry["cells_wrapping_over_3_lines_or_more"] = [r[2][:60] for r in long]
            tables.append(entry)
        side = [p for p in paragraphs if p.get("column") == "side"]
        main = [p for p in paragraphs if p.get("column") == "main"]
        col_pages = sorted({p["page"] for p in side + main})
        page = doc[side[0]["page"] - 1]
        note_x = page.search_for(" ".join(side[0]["text"].split()[:3]))[0].x0
        main_x = page.search_for(" ".join(main[0]["text"].split()[:3]))[0].x0
        caption = next(p for p in paragraphs if p["kind"] == "caption")
        image_pages = [i + 1 for i, p in enumerate(doc) if p.get_image_info()]
    bullets = [p for p in paragraphs if p["kind"] == "bullet"]
    over_break = [p for p in paragraphs if p["end_page"] > p["page"]]
    if (
        len(col_pages) != 2
        or {p["page"] for p in side} != set(col_pages)
        or note_x < main_x + 200
        or not any(p["kind"] == "para" and "column" not in p for p in over_break)
        or bullets[0]["page"] == bullets[-1]["page"]
        or image_pages != [caption["page"]]
        or not 5 <= page_count <= 7
    ):
        sys.exit(
            f"layout moved: two-column pages {col_pages}, side notes at x {note_x:.0f} "
            f"(main {main_x:.0f}), over break {[p['text'][:30] for p in over_break]}, "
            f"bullets on {[b['page'] for b in bullets]}, images {image_pages}, "
            f"{page_count} pages; adjust the text"
        )
    themes = {t: 0 for t in THEME_IDS}
    for p in paragraphs:
        for t in p.get("themes", []):
            themes[t] = 1
    return {
        "made": "ODT written in Python, exported with LibreOffice Writer",
        "pages": page_count,
        "image_only_pages": [],
        "broken_text_pages": [],
        "running_header": ZM_HEADER,
        "running_footer": ZM_FOOTER,
        "toc": {
            "page": 1,
            "dot_leaders": True,
            "lines": [{"level": lv, "text": text, "page": toc_pages[text]} for lv, text in entries],
        },
        "chapter_title_page": next(p["page"] for p in paragraphs if p["text"] == entries[0][1]),
        "headings_on_coloured_bar": [
            p["text"]
            for p in paragraphs
            if p["kind"] == "heading" and p["text"] not in ("Kadernota 2026", "Inhoud")
        ],
        "two_column_pages": {
            "pages": col_pages,
            "main_column_starts_at_x": round(main_x, 1),
            "side_column_starts_at_x": round(note_x, 1),
            "side_notes": [{"text": p["text"], "page": p["page"]} for p in side],
        },
        "figure": {"page": caption["page"], "caption": caption["text"], "caption_below": True},
        "paragraphs": paragraphs,
        "paragraphs_over_page_break": [p["text"][:60] for p in over_break],
        "list_over_page_break": [bullets[0]["page"], bullets[-1]["page"]],
        "tables": tables,
        "themes": themes,
        "status": {"never": "ok", "auto": "ok", "always": "ok"},
    }


FIXTURES = ("brakelveen", "kwakveen", "zandmeer")


def main(argv: list[str] | None = None) -> None:
    """Build every fixture, or with --only NAME (brakelveen, kwakveen, zandmeer) one of them; the labels
    of the fixtures not built stay as labels.json has them."""
    args = sys.argv[1:] if argv is None else argv
    only = set(FIXTURES)
    if args[:1] == ["--only"] and len(args) == 2 and args[1] in FIXTURES:
        only = {args[1]}
    elif args:
        sys.exit(f"usage: make_fixtures.py [--only {'|'.join(FIXTURES)}]")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "labels.json"
    labels = {
        "about": "Written by scripts/make_fixtures.py; the municipalities Brakelveen, "
        "Kwakveen and Zandmeer are fictional.",
        "fixtures": {},
    }
    if path.exists() and only != set(FIXTURES):
        labels = {**json.loads(path.read_text(encoding="utf-8")), "about": labels["about"]}
    if "brakelveen" in only:
        labels["fixtures"].update(make_brakelveen())
    if "kwakveen" in only:
        labels["fixtures"][f"{KW_NAME}.pdf"] = make_kwakveen()
    if "zandmeer" in only:
        labels["fixtures"][f"{ZM_NAME}.pdf"] = make_zandmeer()
    path.write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n")
    for f in sorted(OUT.glob("*.pdf")):
        print(f"{f.name}: {f.stat().st_size // 1024} kB")


if __name__ == "__main__":
    main()
