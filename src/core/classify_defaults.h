/*
 * classify_defaults: every number the BPO/KPO tagger uses, in one place.
 * docs/classification.md explains each one and why it has its value; the
 * unit tests build inputs exactly on the thresholds below. Change a number
 * here, re-run `vendormatch classify`, and every vendor follows.
 */
#ifndef VM_CLASSIFY_DEFAULTS_H
#define VM_CLASSIFY_DEFAULTS_H

/* How sure a phrase match is, by stage (multiplies the category weight). */
#define TAX_STRENGTH_EXACT 1.0    /* the whole phrase is an alias */
#define TAX_STRENGTH_CONTAINS 0.9 /* the phrase contains an alias as whole words */
#define TAX_STRENGTH_FUZZY 0.75   /* matched only after correcting typos */

/*
 * Fuzzy matching corrects a word that is not in the taxonomy's vocabulary to
 * the closest vocabulary word with the same first letter, within this many
 * Damerau-Levenshtein edits by word length; shorter words are never corrected
 * ("tax" must not become "tech"). When several words tie, the phrase decides:
 * each reading is tried and the first that is an exact alias wins, else the
 * first that contains one ("custmer suport": "support" and the Portuguese
 * "suporte" tie; "customer support" is an alias). More ties than these limits
 * mean no correction for the tied words.
 */
#define TAX_FUZZY_MAX_TIES 4      /* tied words kept per misspelt word */
#define TAX_FUZZY_MAX_READINGS 16 /* readings of one phrase tried at most */
#define TAX_FUZZY_MIN_LEN 5       /* words of 5..8 letters: 1 edit */
#define TAX_FUZZY_LONG_LEN 9      /* words of 9+ letters: 2 edits */
#define TAX_FUZZY_MAX_EDITS_SHORT 1
#define TAX_FUZZY_MAX_EDITS_LONG 2

/* At most this many categories come out of one phrase. */
#define TAX_MAX_MATCHES 8
/* The per-phrase cache is emptied when it holds this many phrases. */
#define TAX_CACHE_MAX_ENTRIES (1u << 20)

/* A category's strongest evidence counts in full; every further phrase that
 * maps to the same category adds its weight times this. */
#define CLASSIFY_REPEAT_FACTOR 0.5

/* Description text is weaker evidence than a listed service. */
#define CLASSIFY_DESCRIPTION_FACTOR 0.4

/* Expertise and data-security signals: flat amounts added once per side. */
#define CLASSIFY_EXPERTISE_WEIGHT 0.5 /* "PhD", "law degree" -> KPO; "process training" -> BPO */
#define CLASSIFY_DATA_SECURITY_WEIGHT 0.2 /* "ISO 27001", "confidentiality" -> KPO */

/*
 * HYBRID when the weaker side carries at least this share of the total
 * evidence (>=, with CLASSIFY_EPSILON slack for rounding), i.e. at least about
 * half the weight of the stronger side; otherwise the stronger side wins.
 */
#define CLASSIFY_HYBRID_MIN_SHARE 0.33
#define CLASSIFY_EPSILON 1e-9
/*
 * A practice, not a mention: when the weaker side's services name at least
 * CLASSIFY_PRACTICE_SERVICES different categories, a share of
 * CLASSIFY_PRACTICE_MIN_SHARE is enough for HYBRID (a multi-tower firm that
 * lists six operations towers beside an analytics and a consulting practice).
 */
#define CLASSIFY_PRACTICE_SERVICES 2
#define CLASSIFY_PRACTICE_MIN_SHARE 0.2

/*
 * Confidence = clarity x amount. Clarity is the winning side's share (BPO/KPO)
 * or 2 x the weaker share (HYBRID, so an even split is 1.0); amount is
 * 1 - exp(-total / CLASSIFY_CONFIDENCE_SCALE), so one exact service gives
 * 0.63 and three give 0.95.
 */
#define CLASSIFY_CONFIDENCE_SCALE 1.0

/*
 * Abbreviations that mean different services in different listings, each with
 * its two readings: {abbreviation, {{expansion, cue words}, {expansion, cue
 * words}}}. The expansion is an alias naming the reading's category (so the
 * side comes from the taxonomy); the cue words, in normal form, are what a
 * listing of that reading says around it. classify() picks the reading whose
 * cues the rest of the vendor's text (its other services, its description)
 * holds more of, counting a reading's category already matched there as
 * CLASSIFY_AMBIGUOUS_CATEGORY_CUES cues; with no cue either way, the side the
 * rest of its evidence leans to (minority share below CLASSIFY_HYBRID_MIN_SHARE);
 * with neither, the abbreviation is evidence of weight 0 for both readings.
 */
/* clang-format off */
#define CLASSIFY_AMBIGUOUS \
    {"rpo", {{"recruitment process outsourcing", \
              "recruitment recruiting recruiter recruit hiring hire talent candidate staffing " \
              "staff workforce hr human onboarding interview job employer sourcing headcount " \
              "payroll"}, \
             {"research process outsourcing", \
              "research analysis analytics analyst insight equity investment market financial " \
              "report intelligence modelling modeling valuation diligence"}}}, \
    {"rcm", {{"revenue cycle management", \
              "revenue cycle medical healthcare health hospital physician patient clinic " \
              "practice billing claim coding coder denial payer provider insurance ar " \
              "reimbursement"}, \
             {"reliability centered maintenance", \
              "reliability maintenance asset plant equipment engineering engineer fmea fmeca " \
              "industrial manufacturing oil gas utility"}}}, \
    {"pv", {{"pharmacovigilance", \
             "drug safety pharma pharmaceutical adverse event case icsr clinical science " \
             "medical vigilance signal regulatory"}, \
            {"photovoltaic", \
             "solar energy renewable panel module rooftop power plant electrical inverter " \
             "installation engineering"}}}, \
    {"msp", {{"contingent workforce management", \
              "contingent workforce talent staffing recruitment recruiting hiring rpo " \
              "contractor freelancer"}, \
             {"managed service provider", \
              "it network cloud infrastructure server security endpoint helpdesk desk " \
              "monitoring device"}}}
/* clang-format on */
/*
 * Services real listings name that are neither BPO nor KPO: information
 * technology and "digital" in general (a multi-tower group's IT line says
 * nothing about whether its other work is process or knowledge work). A
 * service phrase equal to one of these (normal form) is recognised: it is
 * no evidence for either side and does not go to `taxonomy unknown`.
 */
#define CLASSIFY_NEUTRAL_SERVICES                                                                  \
    "it", "it service", "information technology", "it outsourcing", "ito", "technology",           \
        "technology service", "technology solution", "digital", "digital service",                 \
        "digital solution", "digital business", "digital experience", "cloud", "cloud service",    \
        "cloud computing", "cloud migration", "cybersecurity", "cyber security", "security",       \
        "software", "software development", "software solution", "application development",        \
        "app development", "web development", "system integration", "infrastructure",              \
        "infrastructure service", "network service", "enterprise application", "ai",               \
        "artificial intelligence and automation", "automation", "intelligent automation", "iot"

/* A reading's category already in the vendor's other evidence counts as this many cues. */
#define CLASSIFY_AMBIGUOUS_CATEGORY_CUES 2
/* A resolved abbreviation is as sure as a contained alias. */
#define CLASSIFY_ABBREVIATION_STRENGTH 0.9

/* Phrases in the expertise column that point to knowledge work... */
#define CLASSIFY_KPO_EXPERTISE                                                                     \
    "phd", "doctorate", "doctoral", "law degree", "lawyer", "attorney", "advocate", "barrister",   \
        "solicitor", "paralegal", "cfa", "chartered financial analyst", "chartered accountant",    \
        "cpa", "acca", "actuary", "fellow of the institute", "mba", "economist", "statistician",   \
        "data scientist", "scientist", "physician", "pharmacist", "doctor", "medical doctor",      \
        "md", "patent agent", "patent attorney", "engineer", "analyst", "master degree",           \
        "postgraduate", "domain expert", "subject matter expert", "consultant", "researcher",      \
        "llb", "llm", "jd", "frm", "former partner"
/* ...and to process work. */
#define CLASSIFY_BPO_EXPERTISE                                                                     \
    "process training", "basic skill", "basic training", "agent training", "high school",          \
        "graduate agent", "entry level", "script", "on the job training", "call handling training"
/* Phrases in the data_security column that call for confidentiality (KPO nudge). */
#define CLASSIFY_DATA_SECURITY_SIGNALS                                                             \
    "iso 27001", "iso iec 27001", "iso27001", "soc 2", "soc2", "soc 1", "confidential",            \
        "confidentiality", "nda", "non disclosure", "security control", "hipaa", "gdpr",           \
        "pci dss", "encryption", "encrypted", "access control", "clean desk", "secure facility",   \
        "data protection"

#endif
