# ruff: noqa: E501  (data file: long Swedish description strings)
"""Illustrative initiatives 2023–2025 for the sample data (used by make_sample_data.py).

Each row: (objekt code, status code, innovation_effektivitet, operativt_strategiskt,
extern_intern, title, description). Ratings follow the rubric in DOMAIN.md:
1 = only efficiency / operational (direct change now) / internal benefit,
5 = only innovation / strategic (long-term prerequisites) / external benefit (residents, companies).

Objekt codes: LS Ledning och styrning, SO Social omsorg, VS Välfärd samhällsservice,
VK Välfärd skola, UA Utbildning och arbetsmarknad, NT Natur och trafik, KF Kultur och fritid,
SB Samhällsbyggnad, FA Fastighet, MI Medborgar- och internservice.
Status codes: g genomförd, p pågående, u pausad, a avbruten, b beslutad.
"""

from __future__ import annotations

OBJEKT_CODES = {
    "LS": "Ledning och styrning",
    "SO": "Social omsorg",
    "VS": "Välfärd samhällsservice",
    "VK": "Välfärd skola",
    "UA": "Utbildning och arbetsmarknad",
    "NT": "Natur och trafik",
    "KF": "Kultur och fritid",
    "SB": "Samhällsbyggnad",
    "FA": "Fastighet",
    "MI": "Medborgar- och internservice",
}
STATUS_CODES = {"g": "genomförd", "p": "pågående", "u": "pausad", "a": "avbruten", "b": "beslutad"}

Row = tuple[str, str, int, int, int, str, str]

INITIATIVES: dict[int, list[Row]] = {
    2023: [
        (
            "LS",
            "g",
            1,
            1,
            1,
            "E-signering av tjänsteskrivelser",
            "Tjänsteskrivelser och beslut till nämnderna signeras nu elektroniskt i stället för på "
            "papper. Handläggningen kortas med flera dagar och arkiveringen sker automatiskt.",
        ),
        (
            "LS",
            "g",
            1,
            2,
            1,
            "Gemensam mall för verksamhetsuppföljning i Power BI",
            "Kvartalsrapporteringen till kommunstyrelsen samlas i en gemensam rapportmall som hämtar "
            "data direkt ur ekonomisystemet. Manuell sammanställning i kalkylark försvinner.",
        ),
        (
            "LS",
            "g",
            1,
            1,
            1,
            "Telefoni i Teams för kommunhuset",
            "Den gamla växellösningen ersätts med telefoni direkt i Teams för kommunhusets "
            "medarbetare. Färre system att förvalta och lägre licenskostnader.",
        ),
        (
            "LS",
            "g",
            2,
            5,
            1,
            "Styrmodell för digitaliseringsinitiativ",
            "En gemensam process för hur digitaliseringsinitiativ prioriteras, beslutas och följs upp "
            "inom objektförvaltningen. Modellen ska ge bättre överblick över portföljen under "
            "kommande år.",
        ),
        (
            "LS",
            "g",
            1,
            2,
            2,
            "Digital nämndadministration",
            "Kallelser, handlingar och protokoll till förtroendevalda hanteras i ett gemensamt "
            "digitalt verktyg. Utskick av pappershandlingar upphör.",
        ),
        (
            "LS",
            "g",
            1,
            1,
            1,
            "Automatiserad avstämning av leverantörsfakturor",
            "En mjukvarurobot matchar inkommande fakturor mot beställningar och flaggar avvikelser för "
            "manuell granskning. Ekonomienheten beräknar att hundratals timmar frigörs per år.",
        ),
        (
            "SO",
            "g",
            1,
            1,
            2,
            "Digital signering av biståndsbeslut",
            "Biståndshandläggare inom äldreomsorgen kan signera beslut digitalt i verksamhetssystemet. "
            "Beslutet når den enskilde snabbare och utskrift och skanning undviks.",
        ),
        (
            "SO",
            "g",
            1,
            1,
            2,
            "Nyckelfri hemtjänst",
            "Hemtjänstpersonalen använder digitala lås i stället för fysiska nycklar hos brukarna. "
            "Nyckelhanteringen minskar och risken för borttappade nycklar försvinner.",
        ),
        (
            "SO",
            "g",
            1,
            1,
            2,
            "Planeringsstöd för körrutter i hemtjänsten",
            "Ett planeringsverktyg föreslår körrutter och besöksordning utifrån brukarnas insatser. "
            "Målet är mindre restid och fler timmar hos brukarna.",
        ),
        (
            "SO",
            "g",
            2,
            1,
            4,
            "Digital tillsyn nattetid",
            "Brukare som önskar kan få nattlig tillsyn via kamera i stället för fysiska besök. Det ger "
            "färre störande besök för den enskilde och frigör tid för nattpatrullen.",
        ),
        (
            "SO",
            "g",
            1,
            2,
            4,
            "E-tjänst för ansökan om försörjningsstöd",
            "Invånare kan ansöka om ekonomiskt bistånd digitalt och ladda upp underlag direkt. "
            "Ansökningarna kommer oftare in kompletta, vilket kortar handläggningstiden.",
        ),
        (
            "SO",
            "g",
            1,
            1,
            1,
            "Robotstöd för fortsättningsansökningar om bistånd",
            "En mjukvarurobot kontrollerar inkomstuppgifter och förbereder beslutsunderlag för "
            "återkommande ansökningar. Handläggaren fattar fortfarande beslutet men slipper manuella "
            "kontroller.",
        ),
        (
            "SO",
            "u",
            3,
            2,
            3,
            "Läkemedelsautomater i ordinärt boende",
            "Test med automatiska läkemedelsdispensrar hos brukare med hemtjänst. Testet pausades då "
            "leverantören inte kunde säkra kopplingen till journalsystemet.",
        ),
        (
            "VS",
            "g",
            1,
            2,
            4,
            "E-tjänst för bostadsanpassningsbidrag",
            "Ansökan om bostadsanpassningsbidrag kan göras digitalt med intyg som bilagor. "
            "Handläggarna får kompletta ärenden och sökande kan följa sitt ärende.",
        ),
        (
            "VS",
            "g",
            1,
            1,
            3,
            "Digital årsräkning för gode män",
            "Ställföreträdare lämnar årsräkningen till överförmyndarenheten via en e-tjänst. "
            "Granskningen går snabbare när underlagen kommer in strukturerat.",
        ),
        (
            "VS",
            "g",
            3,
            2,
            5,
            "Chatt i budget- och skuldrådgivningen",
            "Invånare kan ställa enklare frågor om ekonomi och skulder via chatt på webben. Syftet är "
            "att sänka tröskeln för att söka hjälp i ett tidigt skede.",
        ),
        (
            "VS",
            "g",
            1,
            2,
            4,
            "Färdtjänstresor bokas i app",
            "Resenärer med färdtjänst kan boka och avboka resor i en app i stället för via telefon. "
            "Trycket på beställningscentralen minskar.",
        ),
        (
            "VS",
            "a",
            3,
            2,
            3,
            "Översättningstjänst vid mottagning av nyanlända",
            "Handläggare provade en digital översättningstjänst vid enklare besök. Arbetet avbröts "
            "eftersom tjänsten saknade flera av de språk som behövs.",
        ),
        (
            "VK",
            "g",
            1,
            1,
            3,
            "Digital frånvaroanmälan i grundskolan",
            "Vårdnadshavare anmäler frånvaro i en app och uppgiften går direkt till lärare och "
            "skoladministration. Telefonsamtalen till expeditionerna minskar kraftigt.",
        ),
        (
            "VK",
            "g",
            1,
            1,
            1,
            "Automatisk tilldelning av elevkonton",
            "Konton och licenser för nya elever skapas automatiskt utifrån elevregistret. IT-stödet "
            "slipper manuella beställningar vid terminsstart.",
        ),
        (
            "VK",
            "g",
            2,
            4,
            1,
            "Förberedelser för digitala nationella prov",
            "Skolornas nätverk, enheter och rutiner ses över inför att de nationella proven blir "
            "digitala. Arbetet lägger grunden för kommande provomgångar.",
        ),
        (
            "VK",
            "g",
            1,
            2,
            3,
            "Gemensam plattform för förskolans dokumentation",
            "Förskolorna samlar dokumentation av barnens lärande och kommunikationen med "
            "vårdnadshavare i en plattform. Tidigare användes tre olika verktyg.",
        ),
        (
            "VK",
            "g",
            1,
            1,
            1,
            "Schemaläggningsverktyg för gymnasieskolan",
            "Ett nytt verktyg för schema och lokalplanering ersätter kalkylark. Schemaläggarna räknar "
            "med att arbetet tar halva tiden.",
        ),
        (
            "VK",
            "g",
            2,
            2,
            5,
            "Samlad skolvalsinformation på webben",
            "Information om skolor och skolval samlas på en sida med jämförbara uppgifter om varje "
            "skola. Det blir enklare för familjer att välja.",
        ),
        (
            "UA",
            "g",
            1,
            2,
            4,
            "Digital ansökan till vuxenutbildningen",
            "Ansökan till kurser inom vuxenutbildningen görs i en e-tjänst som kontrollerar behörighet "
            "automatiskt. Antagningen går snabbare.",
        ),
        (
            "UA",
            "g",
            1,
            1,
            1,
            "Digitala deltagarlistor i arbetsmarknadsinsatser",
            "Närvaro i arbetsmarknadsinsatser registreras digitalt i stället för på papperslistor. "
            "Underlag för ersättningar tas fram automatiskt.",
        ),
        (
            "UA",
            "g",
            2,
            1,
            4,
            "Videomöten med jobbcoach",
            "Deltagare kan träffa sin jobbcoach via videomöte. Det minskar uteblivna besök och restid "
            "för både deltagare och coacher.",
        ),
        (
            "UA",
            "g",
            1,
            1,
            3,
            "Kompetensprofil i webbformulär",
            "Nyinskrivna deltagare fyller i sin kompetensprofil digitalt före första samtalet. Coachen "
            "får ett bättre underlag från start.",
        ),
        (
            "UA",
            "g",
            1,
            1,
            1,
            "Automatisk överföring av feriepraktiklöner",
            "Lönerapporter för feriepraktikanter förs över automatiskt till lönesystemet. Felaktiga "
            "utbetalningar och dubbelregistrering undviks.",
        ),
        (
            "NT",
            "g",
            2,
            1,
            5,
            "Felanmälan med kartposition",
            "Invånare kan felanmäla till exempel trasig belysning eller klotter och markera platsen på "
            "en karta. Ärendet går direkt till rätt entreprenör.",
        ),
        (
            "NT",
            "g",
            1,
            1,
            1,
            "Digital körjournal för kommunens fordon",
            "Kommunens bilar utrustas med digital körjournal. Manuell rapportering av resor och "
            "förmånsberäkning upphör.",
        ),
        (
            "NT",
            "g",
            3,
            1,
            2,
            "Fyllnadsgivare i papperskorgar",
            "Givare i papperskorgar i centrala lägen visar när de behöver tömmas. Körningar till "
            "halvtomma korgar undviks.",
        ),
        (
            "NT",
            "g",
            1,
            2,
            3,
            "Schakttillstånd via e-tjänst",
            "Ledningsägare söker schakttillstånd digitalt och bifogar kartor direkt. Handläggningen "
            "blir mer enhetlig.",
        ),
        (
            "KF",
            "g",
            2,
            1,
            5,
            "Bibliotekskort i mobilen",
            "Nya låntagare kan skaffa bibliotekskort digitalt med BankID och använda det i mobilen "
            "direkt.",
        ),
        (
            "KF",
            "g",
            1,
            1,
            1,
            "Kassasystem för simhallarna",
            "Simhallarnas kassor byts mot en molntjänst kopplad till ekonomisystemet. Kassaavstämningen "
            "sker automatiskt.",
        ),
        (
            "KF",
            "g",
            1,
            1,
            1,
            "Närvaro i kulturskolan registreras i app",
            "Lärare i kulturskolan registrerar närvaro i en app. Rapporteringen till ekonomi för "
            "avgifter och statistik blir enklare.",
        ),
        (
            "KF",
            "g",
            1,
            2,
            2,
            "Besöksräknare på fritidsgårdarna",
            "Besök på fritidsgårdarna registreras med räknare i stället för manuella listor. "
            "Statistiken ska användas för att planera öppettiderna.",
        ),
        (
            "SB",
            "g",
            1,
            2,
            4,
            "Kontroll av handlingar i bygglovsansökan",
            "E-tjänsten för bygglov byggs ut med en kontroll av att obligatoriska handlingar finns med. "
            "Färre ärenden behöver kompletteras.",
        ),
        (
            "SB",
            "g",
            1,
            2,
            3,
            "Skanning av bygglovsarkivet",
            "Äldre bygglovsritningar skannas och görs sökbara. Handläggare och invånare slipper beställa "
            "ritningar från arkivet.",
        ),
        (
            "SB",
            "g",
            3,
            2,
            5,
            "Samråd om detaljplaner i digital kartvy",
            "Samrådshandlingar publiceras i en kartvy där invånare kan lämna synpunkter direkt på "
            "platsen det gäller. Syftet är fler och bredare synpunkter.",
        ),
        (
            "SB",
            "p",
            2,
            5,
            1,
            "Gemensam plattform för geodata",
            "Kommunens geodata samlas i en plattform med gemensamma standarder. Det är en förutsättning "
            "för framtida digitala planprocesser.",
        ),
        (
            "FA",
            "g",
            1,
            1,
            1,
            "Arbetsordrar i mobilen för fastighetsskötare",
            "Fastighetsskötarna tar emot och avslutar arbetsordrar i mobilen. Pappersordrar och "
            "dubbelregistrering försvinner.",
        ),
        (
            "FA",
            "g",
            2,
            1,
            1,
            "Fjärravläsning av energimätare",
            "Mätare i kommunens fastigheter läses av automatiskt så att avvikande förbrukning upptäcks "
            "snabbare.",
        ),
        (
            "FA",
            "g",
            1,
            1,
            1,
            "Digitala nyckelskåp i skolor",
            "Nycklar i skolbyggnader lämnas ut via digitala skåp med behörighetsstyrning. Tiden för att "
            "lämna ut och kvittera nycklar minskar.",
        ),
        (
            "MI",
            "g",
            2,
            4,
            4,
            "Ny e-tjänsteplattform",
            "Kommunens e-tjänster flyttas till en ny plattform med bättre inloggning och möjlighet att "
            "följa sina ärenden. Plattformen är grunden för kommande tjänster.",
        ),
        (
            "MI",
            "g",
            1,
            1,
            3,
            "Kunskapsbank i kontaktcenter",
            "Kontaktcenter samlar svar på vanliga frågor i en gemensam kunskapsbank. Fler ärenden kan "
            "lösas redan i första kontakten.",
        ),
        (
            "MI",
            "g",
            1,
            1,
            1,
            "Självservice för lösenordsbyte",
            "Medarbetare kan själva återställa sitt lösenord med BankID. Samtalen till IT-supporten "
            "minskar.",
        ),
        (
            "MI",
            "a",
            1,
            1,
            1,
            "Automatisk diarieföring av e-post",
            "Inkommande e-post till registraturen skulle diarieföras med regler och automatik. "
            "Projektet avbröts när leverantören lade ned produkten.",
        ),
    ],
    2024: [
        (
            "LS",
            "g",
            4,
            5,
            1,
            "Högskoleutbildning i AI för ledare och lärare",
            "Tillsammans med Luleå tekniska universitet erbjuds en lärarledd utbildning om AI för "
            "ledare och lärare. Målet är att bygga den kunskap som krävs för att kunna använda AI "
            "ansvarsfullt på sikt.",
        ),
        (
            "LS",
            "g",
            3,
            5,
            1,
            "Riktlinjer för generativ AI",
            "Kommunen tar fram riktlinjer för hur medarbetare får använda generativ AI och vilken "
            "information som inte får hanteras i sådana verktyg.",
        ),
        (
            "LS",
            "g",
            5,
            3,
            1,
            "Copilot-pilot i kommunledningen",
            "En grupp medarbetare testar Microsoft Copilot i sitt dagliga arbete under ett halvår. "
            "Erfarenheterna ska visa var AI-stöd gör skillnad och vilka risker som behöver hanteras.",
        ),
        (
            "LS",
            "g",
            3,
            5,
            2,
            "Strategi för informationsförsörjning",
            "En strategi för hur information ska ägas, beskrivas och delas mellan verksamheterna. Den "
            "ska göra det möjligt att återanvända data i stället för att samla in samma uppgifter "
            "flera gånger.",
        ),
        (
            "LS",
            "p",
            2,
            5,
            2,
            "Förberedelser för säker digital kommunikation",
            "Kommunen förbereder anslutningen till den nationella infrastrukturen för säker digital "
            "kommunikation, som gör det möjligt att utbyta känslig information med andra "
            "myndigheter.",
        ),
        (
            "LS",
            "g",
            4,
            4,
            5,
            "Portal för öppna data",
            "Kommunen publicerar utvalda datamängder som öppna data, till exempel om förskolor och "
            "luftkvalitet. Företag och forskare ska kunna bygga egna tjänster på dem.",
        ),
        (
            "LS",
            "g",
            2,
            4,
            1,
            "Nyttoregister i portföljverktyget",
            "Förväntade och uppmätta nyttor för digitaliseringsinitiativen registreras i "
            "portföljverktyget. Det ger ett underlag för att prioritera kommande satsningar.",
        ),
        (
            "LS",
            "g",
            4,
            3,
            5,
            "Verktyg för digital medborgardialog",
            "Ett verktyg för digitala dialoger och enkäter upphandlas, så att fler Nackabor kan "
            "påverka beslut tidigt i processen.",
        ),
        (
            "SO",
            "g",
            3,
            5,
            3,
            "Plan för välfärdsteknik i äldreomsorgen",
            "En långsiktig plan för hur välfärdsteknik ska införas i äldreomsorgen, även hos externa "
            "utförare. Planen pekar ut vilka tekniker som ska prövas de kommande tre åren.",
        ),
        (
            "SO",
            "g",
            4,
            2,
            5,
            "Trygghetslarm med rörelsesensorer",
            "Trygghetslarmen kompletteras med sensorer som kan upptäcka fall och ovanliga "
            "rörelsemönster. Brukarna i piloten får hjälp snabbare och kan bo kvar hemma längre.",
        ),
        (
            "SO",
            "g",
            3,
            2,
            5,
            "Videobesök i socialpsykiatrin",
            "Brukare inom socialpsykiatrin erbjuds stöd via videosamtal som komplement till fysiska "
            "besök. Stödet blir mer flexibelt för den som har svårt att ta sig till ett möte.",
        ),
        (
            "SO",
            "u",
            5,
            4,
            4,
            "Analys av mönster inför placeringar av barn och unga",
            "En pilot där historiska uppgifter om placeringar analyseras för att hitta mönster som kan "
            "leda till tidigare insatser. Piloten pausades i väntan på en juridisk bedömning.",
        ),
        (
            "SO",
            "g",
            2,
            2,
            4,
            "Genomförandeplaner tillsammans med brukaren",
            "Genomförandeplaner i hemtjänsten tas fram tillsammans med brukaren på surfplatta, och "
            "brukarens egna önskemål dokumenteras direkt.",
        ),
        (
            "SO",
            "g",
            4,
            2,
            2,
            "Transkribering av utredningssamtal med AI",
            "Test av taligenkänning som skriver ut samtal i barnavårdsutredningar. Socialsekreterarna "
            "ska få mer tid för mötet med familjen och mindre för skrivande.",
        ),
        (
            "SO",
            "g",
            1,
            1,
            1,
            "Robot för utbetalningar inom LSS",
            "En mjukvarurobot sköter återkommande utbetalningar av assistansersättning. Felrisken "
            "minskar och handläggarnas tid frigörs.",
        ),
        (
            "SO",
            "g",
            4,
            2,
            1,
            "AI-sammanfattning av journalanteckningar",
            "Test av en språkmodell som sammanfattar långa journalanteckningar inför uppföljningsmöten. "
            "Handläggarna ska snabbare kunna sätta sig in i ett ärende.",
        ),
        (
            "VS",
            "g",
            2,
            4,
            5,
            "Jämföraren på ny plattform",
            "Kommunens jämförelsetjänst för skolor, förskolor och omsorg flyttas till en ny teknisk "
            "plattform. Det ska bli enklare att hålla informationen aktuell framöver.",
        ),
        (
            "VS",
            "g",
            2,
            2,
            2,
            "Mobil arbetsplats för fältassistenter",
            "Fältassistenterna får mobil åtkomst till dokumentation och kalender och kan arbeta ute i "
            "stället för att återvända till kontoret mellan uppdragen.",
        ),
        (
            "VS",
            "a",
            5,
            2,
            5,
            "Chattbot på kommunens webbplats",
            "En chattbot som svarar på vanliga frågor dygnet runt prövades på webbplatsen. Testet "
            "avbröts eftersom svaren bedömdes vara för osäkra.",
        ),
        (
            "VS",
            "g",
            4,
            3,
            2,
            "Prognoser för inflödet till socialtjänstens mottagning",
            "Prognoser över inflödet av ärenden används för att planera bemanningen i mottagningen. "
            "Modellen bygger på historiska ärendedata.",
        ),
        (
            "VS",
            "a",
            4,
            4,
            4,
            "Gemensamma samordnade planer med regionen",
            "En förstudie om en digital lösning där region och kommun tar fram samordnade individuella "
            "planer tillsammans med den enskilde. Förstudien avbröts när regionen bytte system.",
        ),
        (
            "VS",
            "g",
            1,
            2,
            5,
            "Digitala ansökningar om serveringstillstånd",
            "Restauranger kan söka serveringstillstånd och lämna restaurangrapporter digitalt. "
            "Handläggningen kortas och företagen får bättre överblick.",
        ),
        (
            "VK",
            "g",
            5,
            4,
            4,
            "AI-stöd i undervisningen",
            "Ett antal lärare prövar AI-verktyg för att anpassa uppgifter efter elevernas behov. "
            "Piloten ska ge underlag för kommunens hållning till AI i skolan.",
        ),
        (
            "VK",
            "g",
            3,
            5,
            3,
            "Fortbildning i digital kompetens för lärare",
            "Ett fortbildningsprogram ger lärare verktyg att undervisa om källkritik och digital "
            "säkerhet. Satsningen är en del av skolans långsiktiga digitaliseringsarbete.",
        ),
        (
            "VK",
            "g",
            1,
            3,
            1,
            "Elevhälsans journaler i ny lösning",
            "Elevhälsans journaler flyttas till ett modernt system med bättre behörighetsstyrning, "
            "vilket förbättrar informationssäkerheten.",
        ),
        (
            "VK",
            "g",
            3,
            5,
            2,
            "Prognosmodell för elevantal",
            "En modell som beräknar elevantal per skolområde tio år framåt utifrån befolkningsdata och "
            "planerat bostadsbyggande. Den blir underlag för skolplaneringen.",
        ),
        (
            "VK",
            "p",
            4,
            5,
            4,
            "Framtidens lärmiljöer",
            "Ett projekt som undersöker hur digitala och fysiska lärmiljöer bör utformas när nya skolor "
            "byggs. Resultatet påverkar skolbyggen under den kommande tioårsperioden.",
        ),
        (
            "VK",
            "g",
            3,
            2,
            5,
            "Lässtöd för elever med läs- och skrivsvårigheter",
            "Talsyntes och rättstavningsprogram görs tillgängliga för alla elever i grundskolan, både "
            "i skolan och hemma.",
        ),
        (
            "VK",
            "g",
            2,
            4,
            2,
            "Gemensam datamodell för skolstatistik",
            "Uppgifter om betyg, närvaro och resultat samlas i en gemensam datamodell så att rektorer "
            "och förvaltning kan följa utvecklingen över tid.",
        ),
        (
            "VK",
            "g",
            1,
            3,
            2,
            "Tvåfaktorsinloggning för elever",
            "Alla elever får inloggning med tvåfaktorsautentisering. Risken för kapade konton "
            "minskar.",
        ),
        (
            "UA",
            "g",
            4,
            3,
            5,
            "Matchning av arbetssökande mot lokala jobb",
            "En digital tjänst matchar arbetssökandes kompetenser mot lediga jobb hos lokala "
            "arbetsgivare. Tjänsten utvecklas tillsammans med näringslivet.",
        ),
        (
            "UA",
            "g",
            3,
            2,
            5,
            "Lärplattform för SFI",
            "Elever inom svenska för invandrare får tillgång till en digital lärplattform med övningar "
            "i egen takt. Fler kan kombinera studier och arbete.",
        ),
        (
            "UA",
            "g",
            5,
            3,
            4,
            "Validering av yrkeskunskaper i VR",
            "Test med VR-miljöer för att validera yrkeskunskaper inom bygg och omsorg. Testet ska visa "
            "om validering kan ske snabbare och mer rättvist.",
        ),
        (
            "UA",
            "g",
            3,
            5,
            3,
            "Utbildningsutbud utifrån arbetsmarknadens behov",
            "Statistik om arbetsmarknadens behov kopplas till vuxenutbildningens kursutbud, så att "
            "utbudet bättre möter framtida kompetensbehov.",
        ),
        (
            "UA",
            "u",
            1,
            2,
            3,
            "Digital hantering av studiestartsstöd",
            "Handläggningen av ansökningar om studiestartsstöd skulle digitaliseras i samverkan med CSN. "
            "Arbetet är pausat i väntan på en nationell lösning.",
        ),
        (
            "UA",
            "g",
            1,
            2,
            2,
            "E-arkiv för vuxenutbildningens betyg",
            "Betyg från vuxenutbildningen arkiveras digitalt i e-arkivet och betygskopior kan "
            "utfärdas snabbare.",
        ),
        (
            "NT",
            "p",
            5,
            5,
            3,
            "Digital tvilling av trafiknätet",
            "En digital modell av trafiknätet på västra Sicklaön tas fram för att simulera effekter av "
            "ombyggnader. Den används i planeringen inför tunnelbanans utbyggnad.",
        ),
        (
            "NT",
            "g",
            4,
            3,
            5,
            "Öppna mätningar av luftkvalitet",
            "Sensorer som mäter luftkvalitet sätts upp på flera platser och mätvärdena publiceras "
            "öppet, så att invånare kan följa luften i realtid.",
        ),
        (
            "NT",
            "g",
            4,
            2,
            2,
            "Trädinventering med drönare",
            "Drönarbilder och bildanalys används för att inventera kommunens träd och ge bättre "
            "underlag för skötseln.",
        ),
        (
            "NT",
            "g",
            1,
            1,
            1,
            "Mobil utrustning för parkeringsövervakning",
            "Parkeringsövervakarna använder mobil utrustning som läser av registreringsskyltar, vilket "
            "effektiviserar rapporteringen.",
        ),
        (
            "NT",
            "g",
            3,
            4,
            5,
            "Karta över klimatrisker",
            "En karta över risker för översvämning och värmebölja publiceras på webben. Den stödjer "
            "både kommunens planering och fastighetsägares egna åtgärder.",
        ),
        (
            "NT",
            "g",
            3,
            5,
            4,
            "Behovsanalys för laddinfrastruktur",
            "Data om elbilsanvändning och befintliga laddplatser analyseras för att planera "
            "utbyggnaden av publika laddplatser. Analysen är underlag för ett politiskt beslut.",
        ),
        (
            "KF",
            "g",
            4,
            3,
            2,
            "Anonyma beläggningssensorer i idrottshallar",
            "Anonyma sensorer mäter hur bokad tid i idrottshallarna faktiskt används. Resultatet "
            "används för att fördela tiderna på ett nytt sätt.",
        ),
        (
            "KF",
            "g",
            5,
            2,
            5,
            "Ljudguide till den offentliga konsten",
            "En app med ljudguider till den offentliga konsten i Nacka tas fram, så att invånare och "
            "besökare kan upptäcka konsten på egen hand.",
        ),
        (
            "KF",
            "g",
            3,
            2,
            5,
            "Meröppet bibliotek",
            "Biblioteken i Fisksätra och Orminge får meröppet: låntagare kan gå in med sitt "
            "bibliotekskort även utanför de bemannade tiderna.",
        ),
        (
            "KF",
            "g",
            5,
            3,
            5,
            "E-sport och spelskapande på fritidsgårdarna",
            "Fritidsgårdarna inreder rum för e-sport och spelskapande för att nå nya grupper av unga. "
            "Verksamheten utvärderas efter ett år.",
        ),
        (
            "KF",
            "g",
            2,
            4,
            3,
            "Förstudie om lokalbokning och föreningsbidrag",
            "En förstudie om ett nytt system för bokning av kommunens lokaler och hantering av "
            "föreningsbidrag, som underlag för upphandling.",
        ),
        (
            "SB",
            "g",
            4,
            4,
            4,
            "Stadsmodell i 3D",
            "En stadsmodell i 3D tas fram för planarbetet och för dialog med invånare. Den gör det "
            "lättare att förstå hur ny bebyggelse påverkar omgivningen.",
        ),
        (
            "SB",
            "g",
            3,
            5,
            3,
            "Digitala detaljplaner enligt nationell standard",
            "Nya detaljplaner tas fram som maskinläsbara planer enligt nationell standard, en "
            "förutsättning för automatiserad bygglovsprövning i framtiden.",
        ),
        (
            "SB",
            "u",
            4,
            4,
            4,
            "Regelbaserad prövning av enklare bygglov",
            "En förstudie om automatisk kontroll av enklare bygglovsansökningar. Arbetet sköts upp i "
            "väntan på att detaljplanerna blir digitala.",
        ),
        (
            "SB",
            "g",
            5,
            3,
            1,
            "AI-assistent för bygglovshandläggare",
            "Test av en intern AI-assistent som hjälper handläggare att hitta relevanta paragrafer och "
            "tidigare beslut. Syftet är att utforska hur AI kan stödja bedömningar.",
        ),
        (
            "SB",
            "g",
            2,
            2,
            5,
            "Bygglovsguide på webben",
            "En guide hjälper invånare att ta reda på om de behöver bygglov och vilka handlingar som "
            "krävs. Bygglovsenheten får färre frågor.",
        ),
        (
            "SB",
            "g",
            1,
            3,
            1,
            "Samordnad adressdatabas",
            "Adresser och lägenhetsnummer samlas i en databas som kopplas till folkbokföringen och "
            "verksamhetssystemen. Felaktiga adresser blir färre.",
        ),
        (
            "FA",
            "g",
            1,
            1,
            1,
            "Ronderingar registreras i mobilen",
            "Fastighetsskötarnas ronderingar registreras i mobilen med foto och position, vilket ger "
            "underhållsplaneringen bättre underlag.",
        ),
        (
            "FA",
            "g",
            3,
            2,
            1,
            "Smarta mätare för vatten och el",
            "Smarta mätare installeras i ett antal skolor och förskolor för att följa förbrukningen i "
            "realtid och hitta åtgärder som minskar energianvändningen.",
        ),
        (
            "FA",
            "g",
            2,
            5,
            1,
            "Digital lokalförsörjningsplan",
            "Lokalförsörjningsplanen görs om till ett digitalt verktyg där behov och befintliga lokaler "
            "kan jämföras flera år framåt.",
        ),
        (
            "MI",
            "p",
            3,
            4,
            5,
            "Mina sidor för invånare",
            "Invånare får en samlad vy över sina pågående ärenden, beslut och fakturor. Tjänsten "
            "byggs ut stegvis.",
        ),
        (
            "MI",
            "g",
            2,
            4,
            4,
            "Förstudie om digital post",
            "En förstudie om att skicka kommunens brev till invånarnas digitala brevlådor, med "
            "beräkning av besparingar och effekter på tillgängligheten.",
        ),
        (
            "MI",
            "g",
            2,
            3,
            5,
            "Tillgänglighetsanpassning av webbplatsen",
            "Webbplatsen granskas och anpassas efter lagen om tillgänglighet till digital offentlig "
            "service, så att personer med funktionsnedsättning lättare kan använda den.",
        ),
        (
            "MI",
            "g",
            1,
            2,
            1,
            "Ny plattform för IT-support",
            "IT-supporten byter ärendeverktyg och får en självbetjäningsportal för medarbetarna. "
            "Supportärenden kategoriseras automatiskt.",
        ),
    ],
    2025: [
        (
            "LS",
            "p",
            3,
            5,
            1,
            "Datadriven kommun",
            "Ett utvecklingsinitiativ för att använda information som redan finns i kommunens system "
            "till bättre analyser och prognoser. En teknisk infrastruktur för kvalitetssäkrad data och "
            "en analysplattform har etablerats och flera piloter pågår.",
        ),
        (
            "LS",
            "g",
            3,
            3,
            2,
            "Miljöspendanalys",
            "Kommunens inköpsdata kopplas till utsläppsfaktorer för att uppskatta klimatpåverkan från "
            "inköpen. Analysen visar vilka inköpskategorier som står för störst utsläpp.",
        ),
        (
            "LS",
            "g",
            2,
            3,
            1,
            "Automatisk informationsklassning i Microsoftmiljön",
            "Dokument och e-post märks automatiskt efter hur känslig informationen är. Det minskar "
            "risken för felhantering och gör det möjligt att använda Copilot på ett säkert sätt.",
        ),
        (
            "LS",
            "g",
            1,
            3,
            1,
            "Förstärkt övervakning av cybersäkerhet",
            "En funktion för kontinuerlig övervakning av säkerhetshändelser i kommunens IT-miljö "
            "införs, så att intrång och avvikelser upptäcks och hanteras snabbare.",
        ),
        (
            "LS",
            "g",
            2,
            4,
            1,
            "Utbildning i ansvarsfull AI-användning",
            "En fördjupande utbildning om kommunens riktlinjer för AI och en webbinarieserie för "
            "medarbetare som använder Copilot. Målet är trygg och korrekt användning.",
        ),
        (
            "LS",
            "g",
            2,
            4,
            2,
            "Införande av säker digital kommunikation (SDK)",
            "Anslutningen till infrastrukturen för säker digital kommunikation är slutförd. "
            "Socialtjänsten kan nu utbyta känslig information med andra kommuner och polisen.",
        ),
        (
            "LS",
            "g",
            3,
            3,
            1,
            "Prognos för ekonomiskt bistånd",
            "En pilot där historiska data används för att prognostisera kostnaderna för ekonomiskt "
            "bistånd. Prognosen används i budgetarbetet.",
        ),
        (
            "LS",
            "g",
            1,
            1,
            1,
            "Automatiserad månadsuppföljning",
            "Månadsrapporter om ekonomi och personal skapas automatiskt i analysplattformen. "
            "Controllers slipper ta fram samma tabeller för hand varje månad.",
        ),
        (
            "LS",
            "g",
            1,
            1,
            1,
            "Robotkontroll av nya leverantörer",
            "En mjukvarurobot kontrollerar nya leverantörer mot Bolagsverket och Skatteverket innan de "
            "läggs upp i ekonomisystemet. Kontrollen går från dagar till minuter.",
        ),
        (
            "LS",
            "g",
            2,
            2,
            1,
            "Copilot till fler medarbetare",
            "Efter piloten erbjuds Copilot till fler medarbetare, med lathundar och ett nätverk för "
            "erfarenhetsutbyte. Uppföljningen mäter hur mycket tid som sparas.",
        ),
        (
            "LS",
            "g",
            1,
            1,
            1,
            "Digital signering av avtal",
            "Avtal med leverantörer och andra parter signeras med e-legitimation och arkiveras "
            "automatiskt i avtalsdatabasen.",
        ),
        (
            "SO",
            "g",
            1,
            1,
            3,
            "Robotprocesser för trygghetslarm och matdistribution",
            "Mjukvarurobotar hanterar enklare ansökningar om trygghetslarm och matdistribution inom "
            "äldreomsorgen. Beslut som tidigare tog över tre dagar kan nu fattas inom ett dygn, och "
            "handläggarna får mer tid till mer komplexa ärenden.",
        ),
        (
            "SO",
            "p",
            2,
            2,
            3,
            "Orosanmälningar från polisen via säker digital kommunikation",
            "Ett pilotarbete tillsammans med andra kommuner och myndigheter där orosanmälningar från "
            "polisen tas emot digitalt i stället för på papper. Arbetssättet är tänkt att rullas ut i "
            "hela landet.",
        ),
        (
            "SO",
            "g",
            3,
            1,
            1,
            "Röststyrd dokumentation i hemtjänsten",
            "Medarbetare i hemtjänsten kan tala in sina anteckningar som sedan struktureras med hjälp "
            "av AI. Tiden för dokumentation efter besöken minskar.",
        ),
        (
            "SO",
            "g",
            1,
            1,
            2,
            "Digital signering av läkemedelsöverlämning",
            "Delegerad personal signerar läkemedelsöverlämning i en app i stället för på papperslistor. "
            "Avvikelser syns direkt för sjuksköterskan.",
        ),
        (
            "SO",
            "g",
            1,
            1,
            1,
            "Automatisk debitering av hemtjänstavgifter",
            "Utförd tid i hemtjänsten förs automatiskt över till avgiftsdebiteringen. Manuella "
            "justeringar och felaktiga fakturor minskar.",
        ),
        (
            "SO",
            "g",
            2,
            1,
            3,
            "Nattillsyn med kamera på särskilda boenden",
            "Digital tillsyn nattetid utökas till särskilda boenden. De boende får sova ostört och "
            "personalen kan prioritera dem som behöver hjälp.",
        ),
        (
            "SO",
            "g",
            1,
            4,
            1,
            "Översyn av socialtjänstens verksamhetssystem",
            "En kartläggning av hur verksamhetssystemet används och vilka moduler som saknas inför "
            "nästa avtalsperiod.",
        ),
        (
            "SO",
            "g",
            1,
            1,
            2,
            "Samlad vy över kö till särskilt boende",
            "Handläggare och boendesamordnare ser kö och lediga platser i samma vy. Tiden från beslut "
            "till erbjuden plats kortas.",
        ),
        (
            "SO",
            "g",
            2,
            1,
            1,
            "Taligenkänning i socialtjänstens utredningar",
            "Socialsekreterare använder taligenkänning för att skriva utredningstexter. Ett tidigare "
            "test visade att dokumentationstiden kan minska med en tredjedel.",
        ),
        (
            "VS",
            "g",
            1,
            1,
            4,
            "Jämföraren: ändringar på sekunder",
            "Jämförelsetjänsten där Nackabor jämför förskolor, skolor och omsorg har fått ett nytt "
            "redaktionellt flöde. Ändringar som tidigare tog upp till ett dygn publiceras nu på några "
            "sekunder.",
        ),
        (
            "VS",
            "g",
            1,
            1,
            3,
            "E-tjänst för ansökan om god man",
            "Ansökan och anmälan om behov av god man kan göras via e-tjänst, och "
            "överförmyndarenheten får strukturerade underlag.",
        ),
        (
            "VS",
            "g",
            1,
            1,
            2,
            "Robotstöd i handläggningen av bostadsanpassning",
            "En robot hämtar intyg och kontrollerar uppgifter i ansökningar om "
            "bostadsanpassningsbidrag, så att handläggningstiden kortas.",
        ),
        (
            "VS",
            "g",
            1,
            1,
            1,
            "Ärendelista för konsumentvägledningen",
            "Konsumentvägledarna får en gemensam ärendelista i stället för separata kalkylark, och "
            "statistiken till årsrapporten tas fram automatiskt.",
        ),
        (
            "VS",
            "g",
            1,
            1,
            4,
            "Tidsbokning på webben för budget- och skuldrådgivning",
            "Invånare bokar själva tid för rådgivning på webben, och färre samtal behövs för att "
            "planera mötena.",
        ),
        (
            "VS",
            "g",
            2,
            2,
            1,
            "Analys av färdtjänstresor",
            "Data om färdtjänstresor analyseras för att hitta felaktiga debiteringar och ge underlag "
            "till nästa upphandling.",
        ),
        (
            "VS",
            "g",
            1,
            2,
            2,
            "Gemensamt digitalt flöde för första kontakten med socialtjänsten",
            "Första kontakten med socialtjänsten samlas i ett digitalt flöde med gemensam "
            "ärendefördelning, så att rätt handläggare får ärendet direkt.",
        ),
        (
            "VS",
            "u",
            4,
            2,
            3,
            "AI-översättning vid enklare besök",
            "Test med AI-baserad översättning vid enklare besök i medborgarservice. Testet pausades "
            "efter en bedömning av dataskyddet.",
        ),
        (
            "VK",
            "g",
            1,
            2,
            2,
            "Digital rapportering från förskoleanordnare",
            "Från årsskiftet rapporterar alla förskoleanordnare digitalt inför tillsyn. Kommunen får "
            "en samlad bild av verksamheterna och arbetet inför tillsynerna minskar.",
        ),
        (
            "VK",
            "g",
            1,
            1,
            2,
            "Automatiska förslag på förskoleplacering",
            "Erbjudanden om förskoleplats tas fram automatiskt utifrån köregler och lediga platser. "
            "Placeringshandläggarna granskar förslagen i stället för att räkna fram dem.",
        ),
        (
            "VK",
            "g",
            1,
            1,
            3,
            "Digitalt underlag för utvecklingssamtal",
            "Underlaget för utvecklingssamtal fylls i digitalt av elev, vårdnadshavare och lärare före "
            "mötet, så att samtalet kan ägnas åt det viktigaste.",
        ),
        (
            "VK",
            "g",
            1,
            1,
            2,
            "Digitala remisser från elevhälsan",
            "Remisser från elevhälsan till regionen skickas digitalt. Väntan på svar blir kortare och "
            "pappershanteringen försvinner.",
        ),
        (
            "VK",
            "g",
            1,
            1,
            1,
            "Uppföljning av licenser för digitala läromedel",
            "Användningen av digitala läromedel följs upp per skola och licenser som inte används "
            "sägs upp.",
        ),
        (
            "VK",
            "g",
            3,
            5,
            2,
            "Gemensam hållning till AI i skolan",
            "Ett gemensamt ställningstagande om hur AI får användas i undervisning och bedömning tas "
            "fram tillsammans med rektorerna.",
        ),
        (
            "UA",
            "p",
            1,
            1,
            1,
            "Digital signering av betygskataloger i vuxenutbildningen",
            "Betygskataloger inom vuxenutbildningen ska signeras digitalt från 2026, vilket också gör "
            "digital arkivering möjlig. Det förenklar för lärare, anordnare och arkiv.",
        ),
        (
            "UA",
            "g",
            1,
            1,
            2,
            "Automatisk närvarorapportering till CSN",
            "Närvaro i vuxenutbildningen rapporteras automatiskt till CSN, så att manuella listor och "
            "sena rapporter undviks.",
        ),
        (
            "UA",
            "g",
            1,
            1,
            3,
            "Digitala intyg för deltagare i arbetsmarknadsinsatser",
            "Deltagare får intyg om genomförda insatser digitalt i stället för på papper, vilket "
            "minskar administrationen.",
        ),
        (
            "UA",
            "g",
            1,
            2,
            1,
            "Översikt över jobbcentrums ärenden",
            "En enkel översikt visar inflöde, pågående insatser och utfall för jobbcentrums ärenden, "
            "och cheferna följer upp den varje vecka.",
        ),
        (
            "UA",
            "g",
            1,
            1,
            1,
            "Samma schemaverktyg för vuxenutbildningen",
            "Kurser och salar i vuxenutbildningen schemaläggs i samma verktyg som gymnasieskolan, så "
            "att dubbelbokningar försvinner.",
        ),
        (
            "NT",
            "g",
            4,
            2,
            5,
            "Sensordata för infartsparkering",
            "Sensorer visar hur många platser som är lediga vid infartsparkeringarna och informationen "
            "visas i realtid för resenärerna. Datan används också för att planera framtida parkering.",
        ),
        (
            "NT",
            "g",
            1,
            1,
            2,
            "Felanmälningar av gatubelysning direkt till entreprenören",
            "Felanmälningar av gatubelysning skickas direkt till entreprenörens system utan manuell "
            "överföring.",
        ),
        (
            "NT",
            "g",
            1,
            1,
            1,
            "GPS-uppföljning av snöröjningen",
            "GPS-data från snöröjningsfordonen används för att planera rutter och följa upp utfört "
            "arbete. Kontrollen av entreprenörens fakturor förenklas.",
        ),
        (
            "NT",
            "g",
            1,
            1,
            1,
            "Mobil dokumentation vid tillsyn av enskilda avlopp",
            "Inspektörerna dokumenterar tillsynen av enskilda avlopp i en mobilapp med foto och karta, "
            "och protokollen skapas automatiskt.",
        ),
        (
            "KF",
            "g",
            1,
            2,
            4,
            "Nytt system för lokalbokning och bidrag",
            "Ett nytt system för bokning av lokaler och ansökan om föreningsbidrag har införts. Flera "
            "tidigare funktioner samlas i ett verktyg, vilket förenklar för medborgare och "
            "föreningar.",
        ),
        (
            "KF",
            "g",
            1,
            1,
            2,
            "Nya automater för utlåning på biblioteken",
            "Nya automater för utlåning och återlämning ersätter äldre utrustning, och personalen får "
            "mer tid för programverksamhet.",
        ),
        (
            "KF",
            "g",
            1,
            1,
            1,
            "Automatisk kassaavstämning i kulturhuset",
            "Kulturhusets kassor kopplas till ekonomisystemet så att avstämningen sker automatiskt.",
        ),
        (
            "SB",
            "g",
            4,
            3,
            3,
            "AI-pilot inom bygglov",
            "En pilot där AI sorterar inkomna bygglovsärenden och föreslår vilka kompletteringar som "
            "behövs. Syftet är att förstå hur tekniken kan bidra till bättre och snabbare beslut.",
        ),
        (
            "SB",
            "g",
            4,
            3,
            3,
            "AI-pilot inom detaljplanering",
            "AI används i en pilot för att analysera synpunkter från samråd om detaljplaner. Piloten "
            "har också visat hur viktig datakvaliteten är för kommunens geodatastrategi.",
        ),
        (
            "SB",
            "p",
            5,
            5,
            5,
            "Smart stad Nacka",
            "Programmet identifierar och driver konkreta smarta stad-projekt i samverkan med "
            "medborgare, näringsliv och akademi. Under hösten hölls workshoppar för att starta fler "
            "initiativ.",
        ),
        (
            "SB",
            "g",
            1,
            1,
            3,
            "Beställning av nybyggnadskarta via e-tjänst",
            "Nybyggnadskartor beställs via e-tjänst med betalning direkt, och kartingenjörerna får "
            "färre ofullständiga beställningar.",
        ),
        (
            "FA",
            "g",
            1,
            1,
            1,
            "Nya moduler i fastighetsförvaltningssystemet",
            "Förvaltningssystemet byggs ut med moduler för avtal och underhållsplanering, så att fler "
            "uppgifter kan hanteras i ett och samma system.",
        ),
        (
            "FA",
            "g",
            2,
            4,
            1,
            "Marknadsanalys inför upphandling av fastighetssystem",
            "En analys av leverantörsmarknaden inför kommande upphandling har gett nya insikter om "
            "möjliga kombinationer av leverantörer och tjänster.",
        ),
        (
            "FA",
            "g",
            1,
            1,
            2,
            "Felanmälan i portal för verksamheter i kommunens lokaler",
            "Verksamheter i kommunens lokaler felanmäler i en portal och kan följa åtgärden. "
            "Samtalen till fastighetsjouren minskar.",
        ),
        (
            "MI",
            "p",
            1,
            2,
            1,
            "Nytt ärendehanteringssystem",
            "Efter beslutet att byta lösning för ärendehantering pågår införandet av ett nytt system. "
            "Produktionssättning planeras till första kvartalet 2026.",
        ),
        (
            "MI",
            "p",
            1,
            3,
            3,
            "Breddinförande av digital post",
            "Kommunen deltar i SKR:s initiativ för att skicka utgående post till digitala brevlådor "
            "som Kivra och Min myndighetspost. Målet är att 80 procent av all utgående post ska gå "
            "digitalt.",
        ),
        (
            "MI",
            "g",
            3,
            4,
            5,
            "Digital medborgarutbildning",
            "Tillsammans med Internetstiftelsen, Adda och Göteborgs universitet har en digital "
            "medborgarutbildning tagits fram. Den ska öka förståelsen för digitala tjänster och "
            "minska det digitala utanförskapet.",
        ),
        (
            "MI",
            "g",
            1,
            1,
            2,
            "Samlat flöde för begäran om allmänna handlingar",
            "Begäranden om allmänna handlingar registreras i ett gemensamt flöde med mallar och "
            "påminnelser, och svarstiden följs upp automatiskt.",
        ),
    ],
}
