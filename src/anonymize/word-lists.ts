/**
 * Word lists. Pseudonyms and fictional streets are invented (rare as real names), so a
 * surrogate is recognisable as one on a second pass and distinctive as a replay canary.
 */

const split = (s: string): string[] => s.trim().split(/\s+/);

/** Invented given names used as surrogates. */
export const PSEUDO_FIRST = split(`
  Ambrin Corvella Dastin Elowen Faradel Gavrin Halden Isolde Jarrow Kestrel Lunara Maddox Nerissa Orrin Pellam
  Quenna Rowenna Sorrel Tavish Ulrika Varro Wrenna Yarrow Zephyra Aldric Brisa Caelan Delphine Evander Fenna
  Gideonne Hollis Ilsabet Jessamy Kaius Linnea Marisol Nevin Odalys Percival Quillon Rosalind Saoirse Thandor
  Undine Valko Wystan Xanthe Yestin Zoriah Anselm Bellamy Cressida Dorian Emrys Florian Galadra Hesper Ivo
  Juniper Kasimir Lorcan Mirela Niamhra Oswin Perrin Ravenna Solenne Tamsin Uriel Vesna Willa Xavia Yvaine
  Zarek Alarice Berengar Calloway Dunstan Elspeth Fintan Greer Hadley Isaura Jorah Kenna Leander Mabyn Norah
  Orla Primrose Quade Rhiannon Seren Torin Ulfric Verity Wolfe Ysolde Zinnia
`);

/** Invented family names used as surrogates. */
export const PSEUDO_LAST = split(`
  Ashgrove Blackwood Coldharbour Dunmere Eastbrook Fallowfield Greywater Hollowell Ivesdale Juniperhill
  Kettlewell Larkspur Marrowby Northcott Oakhurst Pendleford Quarrington Ravensworth Stonebridge Thistlewood
  Underhill Vantmoor Wetherby Yarborough Zellweger Aldersey Birchmore Cranleigh Dovecote Elmstead Foxley
  Glenhaven Harrowgate Inglewood Jessop Kingsmere Lindqvist Moorcroft Nettlefold Ormsby Pemberton Quillfeather
  Rookwood Saltmarsh Tidewell Umberfield Vexley Whitlock Yelverton Zandvoort Arkwright Brightwater Castellane
  Drummond Everhart Fairweather Goldthorpe Hawthorne Islington Jarvington Kilbride Loxley Merriweather Norwood
  Oxenford Prestwick Quenby Rushworth Sherbourne Thornbury Upwood Vallance Winterbourne Yardley
`);

/** Invented street names for address surrogates. */
export const FICTIONAL_STREETS = split(`
  Brambleholt Quillmere Fennimore Larkhaven Thistledown Mossbarrow Emberfield Wrenlock Hollyfen Cobbleway
  Starling Duskmoor Tansywood Glimmerbrook Owlcroft Pebblecombe Rushmere Willowisp Amberlane Cindervale
  Foxglade Heronsgate Juniperwell Kingfisher Lanternside Meadowsweet Nightjar Orchardine Primrosehill Quarrystone
`);

/** Street-type words kept as they are in address surrogates (any language). */
export const STREET_TYPES = new Set(
  split(`
    Street St Avenue Ave Road Rd Boulevard Blvd Lane Ln Drive Dr Court Ct Way Place Pl Terrace Close Crescent Square
    Parkway Highway Hwy Row Grove Gardens Walk Loop Circle Cir Trail Trl Path Alley Pike Mews Hill Embankment Quay Wharf Rue Avenue Boulevard Bd Allée Chemin Impasse Quai Place Calle Avenida
    Avda Paseo Plaza Carrer Camino Rua Travessa Praça Alameda Via Viale Piazza Corso Vicolo Strasse Straße Str
    Weg Allee Platz Gasse Ring Damm Apt Suite Unit Floor de del la las los du des di della delle dos das da do
    le les am an der im bis ter nº No N
  `),
);

/**
 * Capitalised words that follow a name trigger ("this is", "I'm", "soy", "ich bin") but are
 * not names: first words of common phrases, nouns German capitalises, titles, days, products.
 */
export const NOT_NAMES = new Set(
  split(`
    I A An The This That It He She We They You Your My Our His Her Its Their Sorry Glad Happy Fine Good Great Okay OK Ok
    Not Just Still Also Here There Now Back Very Really Trying Looking Calling Writing Having Getting Going Done Sure
    Afraid Interested Unable Able Confused Frustrated New Customer Client User Admin Support Team Manager Agent Bot
    Assistant Mr Mrs Ms Dr Sir Madam Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
    April June July August September October November December Premium Pro Plus Basic Free Gold Silver Order Account
    Everyone All Guys Folks Team There Again World Everyone Friend Friends Thanks Thank Welcome Hello Hi Hey Dear Regards Best Cheers Kunde Kundin
    Herr Frau Nutzer Sie Ich Du Wir Hier Neu Leider Seit Schon Cliente Usuario Señor Señora Aquí Nuevo Nueva Client
    Monsieur Madame Nouveau Nouvelle Déjà Cliente Utente Signore Signora Nuovo Nuova Qui Senhor Senhora Aqui Novo Nova
    English Spanish German French Italian Portuguese Email Phone Visa Mastercard Amex PayPal Stripe Google Apple
    Microsoft Amazon Windows Linux Android Chrome Firefox Safari iPhone OpenAI Anthropic Claude ChatGPT GPT API JSON
    Yes No Please Could Would Can Will Should May Might Must Let Maybe Unfortunately However Today Tomorrow Yesterday
    Morning Afternoon Evening Night Everybody Somebody Nobody Anyone Someone Tech Billing Sales Service Services
    Happy Bien Mal Muy Sehr Gut Tres Très Molto Muito Bom Buen Buena Bueno Buongiorno Buenos Buenas Bonjour Hallo
    Ola Olá Oi Ciao Hola Salut Guten Bom Boa Grazie Gracias Danke Merci Obrigado Obrigada Saludos Atentamente
    Cordialement Cordiali Atenciosamente Mit Viele Liebe Beste Schöne Un Una Uno Le La Les Der Die Das El Lo
    Ihr Ihre Euer Eure Votre Vos Su Sus Sua Seu Il Urgent Important Critical Valued Dear Kind Best
  `),
);

/**
 * Common given names (many languages). Used where context is weak: a generic `name` JSON
 * field, and "Firstname Lastname" pairs with no trigger word.
 */
export const COMMON_FIRST_NAMES = new Set(
  split(`
    James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark
    Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary
    Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond
    Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian
    Keith Roger Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel
    Logan Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip Louis Oliver
    Harry Liam Lucas Leo Max Tom Tim Ben Sam Dan Mike Chris Alex Nick Matt Steve Dave Jim Bob Bill Rob Tony Pete Ian
    Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley
    Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen
    Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet
    Catherine Maria Heather Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith
    Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail
    Alice Judy Sophia Grace Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany
    Charlotte Marie Kayla Alexis Lori Sophie Chloe Lucy Ella Mia Ava Zoe Lily Jane Kate Beth Jenny Lena Nina Eva
    Carlos Miguel Javier Antonio Manuel Francisco Pedro Alejandro Pablo Diego Luis Jorge Sergio Fernando Rafael Andrés
    Raúl Enrique Ramón Alberto Álvaro Hugo Mario Adrián Iván Rubén Óscar Marta Lucía Carmen Isabel Pilar Dolores Elena
    Laura Cristina Paula Raquel Beatriz Rosa Ana Sofía Valentina Camila Daniela Gabriela Mariana Fernanda Martina
    Hans Klaus Jürgen Wolfgang Stefan Thomas Andreas Michael Uwe Frank Markus Matthias Sebastian Tobias Florian Lukas
    Jonas Felix Niklas Moritz Maximilian Paul Leon Finn Ursula Monika Petra Sabine Andrea Claudia Susanne Katrin Julia
    Anja Birgit Heike Karin Gabriele Nicole Stefanie Lea Lena Leonie Hannah Johanna Greta Marie Emilia Clara Mila
    Jean Pierre Michel Philippe Alain Nicolas Christophe Laurent Julien François Sébastien Olivier Frédéric Thierry
    Mathieu Antoine Guillaume Vincent Benoît Théo Hugo Louis Jules Gabriel Arthur Marie Nathalie Isabelle Sylvie
    Catherine Françoise Valérie Sandrine Céline Sophie Aurélie Camille Léa Manon Chloé Inès Juliette Louise Margaux
    João José Antônio Francisco Carlos Paulo Lucas Luiz Marcos Gabriel Rafael Mateus Guilherme Gustavo Thiago Bruno
    Rodrigo Felipe Leonardo Vinícius Eduardo Ana Francisca Antônia Adriana Juliana Márcia Fernanda Patrícia Aline
    Beatriz Larissa Letícia Bianca Amanda Bruna Giovanna Luana Mariana Rafaela Vitória
    Giuseppe Giovanni Antonio Mario Luigi Francesco Angelo Vincenzo Pietro Salvatore Carlo Franco Domenico Bruno Paolo
    Michele Giorgio Aldo Sergio Luciano Marco Matteo Lorenzo Alessandro Andrea Leonardo Riccardo Davide Federico
    Giulia Francesca Chiara Sara Martina Giorgia Alessia Elisa Silvia Federica Valentina Paola Roberta Simona Giada
    Aurora Alice Ginevra Beatrice Emma Priya Rahul Amit Anil Sunil Raj Ravi Vijay Arjun Rohan Neha Pooja Anjali
    Deepika Sneha Kavya Ananya Aisha Fatima Omar Ali Ahmed Mohammed Hassan Yusuf Wei Li Ming Hiroshi Yuki Kenji
  `),
);

/** Words meaning "phone" near a bare digit run: the context that makes it a phone number. */
const PHONE_WORDS = split(`
  phone tel mobile cell call ring reach whatsapp sms text fax contact handy telefon rufnummer anrufen ruf téléphone
  portable joindre appel teléfono telefono móvil movil celular llam telefone ligue ligar cellulare chiama
`);

/** Whether the few words before a digit run talk about a phone (plain substring checks: this runs per candidate). */
export function phoneContext(before: string): boolean {
  const tail = before.slice(-32).toLowerCase();
  return PHONE_WORDS.some((w) => tail.includes(w));
}
