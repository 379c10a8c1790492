/*
 * gen_catalog: writes a deterministic, realistically messy vendor catalog
 * (CSV) for the import benchmark: header names drawn from the aliases
 * people use, every value format the importer normalises, quoted
 * descriptions with commas and quotes, multi-valued cells with mixed
 * separators, BPO and KPO service phrases (some with typos).
 *
 * The idea: every row is a pure function of (seed, row number), so
 * `--changed PCT` can write the same catalog with the same identities and
 * PCT% of rows carrying different values, for the re-import benchmark.
 * Typo variants come from a small fixed set so the phrase vocabulary (and
 * the classifier's cache) stays bounded however many rows are written.
 * `--unknown PCT` leaves each of a row's country, languages, certifications,
 * headcount and hourly rate blank with probability PCT% (independently, from
 * a stream of their own, so every other value is as without it): a catalog
 * with many unknown facts, for the match benchmark.
 *
 *   gen_catalog -n ROWS [-s SEED] [--changed PCT] [--unknown PCT] [-o FILE]
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof *(a))

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static unsigned pick(uint64_t *s, unsigned n)
{
    return (unsigned)(splitmix(s) % n);
}

static const char *const h_id[] = {"ID", "Vendor ID", "id"};
static const char *const h_name[] = {"Company", "Company Name", "Vendor", "Provider", "Supplier"};
static const char *const h_services[] = {"Services", "Service Lines", "Capabilities", "Offerings"};
static const char *const h_country[] = {"Country", "HQ", "Location"};
static const char *const h_employees[] = {"Employees", "Headcount", "Team Size", "Company Size"};

static const char *const prefixes[] = {
    "Acme",   "Globex",   "Initech",  "Umbrella", "Stark",     "Wayne",
    "Hooli",  "Vandelay", "Soylent",  "Tyrell",   "Cyberdyne", "Wonka",
    "Oscorp", "Piper",    "Nakatomi", "Monarch",  "Gringotts", "Aperture",
    "Mesa",   "Dunder",   "Sterling", "Prestige", "Bluth",     "Massive",
    "Vertex", "Nimbus",   "Quantia",  "Lexis",    "Northwind", "Contoso"};
static const char *const middles[] = {"Contact",  "Research", "Analytics",   "Solutions",
                                      "Services", "Global",   "Outsourcing", "Knowledge",
                                      "Insights", "Care",     "Data",        "Partners",
                                      "Legal",    "Finance",  "Support"};
static const char *const suffixes[] = {"Inc",  "Ltd", "LLC", "Pvt Ltd",         "GmbH",
                                       "S.A.", "",    "",    "Private Limited", "Corp."};
static const char *const countries[] = {"India",        "IN",
                                        "IND",          "Philippines",
                                        "PH",           "USA",
                                        "US",           "United States",
                                        "UK",           "United Kingdom",
                                        "GB",           "Poland",
                                        "PL",           "Mexico",
                                        "MX",           "Brazil",
                                        "South Africa", "ZA",
                                        "Egypt",        "Vietnam",
                                        "Germany",      "DE",
                                        "Canada",       "Ireland",
                                        "Romania"};
static const char *const cities[] = {"Bangalore, India",  "Manila, Philippines",
                                     "Austin, USA",       "Krakow, Poland",
                                     "Cebu, PH",          "London, UK",
                                     "Cairo, Egypt",      "Pune, India",
                                     "Monterrey, Mexico", "Cape Town, South Africa"};
static const char *const bpo[] = {
    "Inbound call center", "Customer care",          "Customer support",  "Telesales",
    "Collections",         "Customer retention",     "Technical support", "Data entry",
    "Back office",         "Transaction processing", "Claims processing", "Medical billing",
    "Content moderation",  "Order management",       "Chat support",      "Email support",
    "Verification",        "Payroll processing",     "Accounts payable"};
static const char *const kpo[] = {"Investment research",
                                  "Equity research",
                                  "Financial analysis",
                                  "Legal research",
                                  "Patent search",
                                  "Market research",
                                  "Data analytics",
                                  "Business intelligence",
                                  "Pharmacovigilance",
                                  "eDiscovery",
                                  "Credit research",
                                  "Consulting",
                                  "Actuarial services",
                                  "Clinical data management",
                                  "Valuation"};
static const char *const typos[] = {"custmer suport", "call centre",    "data entery",
                                    "colections",     "markt research", "equty research",
                                    "leagl research", "tech suport"};
static const char *const industries[] = {"Banking",    "Insurance", "Healthcare",   "Retail",
                                         "Telecom",    "Utilities", "Pharma",       "Legal",
                                         "E-commerce", "Travel",    "Public sector"};
static const char *const languages[] = {"English",    "en",     "Spanish", "es",    "French",
                                        "fr",         "German", "de",      "Hindi", "Tagalog",
                                        "Portuguese", "pt",     "Polish",  "Arabic"};
static const char *const certs[] = {"ISO/IEC 27001:2013",
                                    "ISO 27001",
                                    "iso27001",
                                    "SOC 2",
                                    "SOC 2 Type II",
                                    "PCI DSS",
                                    "HIPAA",
                                    "ISO 9001",
                                    "GDPR",
                                    "COPC",
                                    "CMMI Level 3"};
static const char *const employees[] = {
    "1,000 - 9,999", "10,000+", "51-200 employees", "11-50", "201-500", "501-1000",
    "2-10",          "5000",    "about 250",        "< 10"};
static const char *const rates[] = {"$25 - $49 / hr", "< $25 / hr",       "USD 18", "15-20",
                                    "$50 - $99 / hr", "$100 - $149 / hr", "€30/h",  "£40",
                                    "$12/hr"};
static const char *const delivery[] = {"Offshore", "Nearshore", "Onshore", "Remote", "Onsite"};
static const char *const seps[] = {"; ", " | ", ", ", "\n"};
static const char *const expertise[] = {"",
                                        "",
                                        "Process-trained agents",
                                        "CFA charterholders",
                                        "Lawyers and paralegals",
                                        "PhD statisticians",
                                        "Certified coders"};
static const char *const security[] = {"", "", "Standard controls", "Clean desk, DLP, VDI",
                                       "Air-gapped review rooms, NDA per analyst"};

/* A multi-valued cell: 1..max items from list, joined by one separator;
 * blank: the same draws, an empty cell. */
static void multi(FILE *o, uint64_t *s, const char *const *list, unsigned n, unsigned max,
                  bool blank)
{
    unsigned k = 1 + pick(s, max);
    const char *sep = seps[pick(s, COUNT(seps))];
    if (!blank)
        fputc('"', o);
    for (unsigned i = 0; i < k; i++) {
        const char *item = list[pick(s, n)];
        if (!blank)
            fprintf(o, "%s%s", i ? sep : "", item);
    }
    if (!blank)
        fputc('"', o);
}

/* The facts --unknown may leave blank. */
enum fact { F_COUNTRY, F_LANGUAGES, F_CERTS, F_EMPLOYEES, F_RATE, F_COUNT };

static void services(FILE *o, uint64_t *s)
{
    unsigned side = pick(s, 10); /* 0-4 BPO, 5-8 KPO, 9 both */
    unsigned k = 1 + pick(s, 4);
    const char *sep = seps[pick(s, 3)];
    fputc('"', o);
    for (unsigned i = 0; i < k; i++) {
        const char *p;
        unsigned r = pick(s, 20);
        if (r == 0)
            p = typos[pick(s, COUNT(typos))];
        else if (side < 5 || (side == 9 && i % 2 == 0))
            p = bpo[pick(s, COUNT(bpo))];
        else
            p = kpo[pick(s, COUNT(kpo))];
        fprintf(o, "%s%s", i ? sep : "", p);
    }
    fputc('"', o);
}

static void row(FILE *o, uint64_t seed, long i, bool changed, int unknown_pct)
{
    uint64_t s = seed ^ ((uint64_t)i * 0x9E3779B97F4A7C15ULL);
    uint64_t u = s ^ 0x554E4B4E4F574EULL; /* "UNKNOWN": the blanks' own stream */
    bool blank[F_COUNT];
    for (int f = 0; f < F_COUNT; f++)
        blank[f] = unknown_pct > 0 && (int)pick(&u, 100) < unknown_pct;
    splitmix(&s);
    const char *pre = prefixes[pick(&s, COUNT(prefixes))];
    const char *mid = middles[pick(&s, COUNT(middles))];
    const char *suf = suffixes[pick(&s, COUNT(suffixes))];
    /* Identity: id, name and website never change between variants. */
    fprintf(o, "V%07ld,%s %s %ld%s%s,https://www.%s-%s-%ld.example.com/", i, pre, mid, i,
            *suf ? " " : "", suf, pre, mid, i);
    if (changed) /* the variant draws its values from another stream */
        s ^= 0xC0FFEEULL;
    unsigned c = pick(&s, 3);
    const char *place =
        c == 0 ? cities[pick(&s, COUNT(cities))] : countries[pick(&s, COUNT(countries))];
    if (blank[F_COUNTRY])
        fputs(",,", o);
    else
        fprintf(o, c == 0 ? ",\"%s\"," : ",%s,", place);
    fputs(pick(&s, 2) ? "" : "Pune", o);
    fputc(',', o);
    services(o, &s);
    fputc(',', o);
    multi(o, &s, industries, COUNT(industries), 3, false);
    fputc(',', o);
    multi(o, &s, languages, COUNT(languages), 3, blank[F_LANGUAGES]);
    fputc(',', o);
    multi(o, &s, certs, COUNT(certs), 2, blank[F_CERTS]);
    /* Drawn last to first: the order in which GCC evaluated these as the
     * arguments of one fprintf, which made the catalogs measured so far. */
    unsigned r2 = pick(&s, 10), r1 = 3 + pick(&s, 2);
    const char *rate = rates[pick(&s, COUNT(rates))];
    unsigned founded = 1950 + pick(&s, 74);
    const char *emp = employees[pick(&s, COUNT(employees))];
    fprintf(o, ",\"%s\",%u,\"%s\",%u.%u,", blank[F_EMPLOYEES] ? "" : emp, founded,
            blank[F_RATE] ? "" : rate, r1, r2);
    multi(o, &s, delivery, COUNT(delivery), 2, false);
    fprintf(o, ",info@%s-%ld.example.com,+1 555 %04u,", pre, i, pick(&s, 10000));
    fprintf(o, "\"We do \"\"%s\"\", %s for %s\"", bpo[pick(&s, COUNT(bpo))],
            kpo[pick(&s, COUNT(kpo))], industries[pick(&s, COUNT(industries))]);
    fprintf(o, ",%s,\"%s\",Tier %u,%s\n", expertise[pick(&s, COUNT(expertise))],
            security[pick(&s, COUNT(security))], 1 + pick(&s, 3), pick(&s, 2) ? "yes" : "no");
}

static void header(FILE *o, uint64_t seed)
{
    uint64_t s = seed;
    fprintf(o,
            "%s,%s,Website,%s,City,%s,Industries,Languages,Certifications,%s,Founded,"
            "Hourly Rate,Rating,Delivery,Email,Phone,Description,Expertise,Data Security,"
            "Partner Tier,Preferred\n",
            h_id[pick(&s, COUNT(h_id))], h_name[pick(&s, COUNT(h_name))],
            h_country[pick(&s, COUNT(h_country))], h_services[pick(&s, COUNT(h_services))],
            h_employees[pick(&s, COUNT(h_employees))]);
}

int main(int argc, char **argv)
{
    long n = 1000;
    uint64_t seed = 42;
    int changed_pct = 0, unknown_pct = 0;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc)
            n = atol(argv[++i]);
        else if (!strcmp(argv[i], "-s") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--changed") && i + 1 < argc)
            changed_pct = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--unknown") && i + 1 < argc)
            unknown_pct = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else {
            fprintf(stderr, "usage: gen_catalog -n ROWS [-s SEED] [--changed PCT] [--unknown PCT] "
                            "[-o FILE]\n");
            return 2;
        }
    }
    FILE *o = out ? fopen(out, "w") : stdout;
    if (!o) {
        perror(out);
        return 1;
    }
    static char buf[1 << 20];
    setvbuf(o, buf, _IOFBF, sizeof buf);
    header(o, seed);
    for (long i = 1; i <= n; i++) {
        uint64_t c = seed + (uint64_t)i;
        bool ch = changed_pct > 0 && (long)(splitmix(&c) % 100) < changed_pct;
        row(o, seed, i, ch, unknown_pct);
    }
    if (fclose(o) != 0) {
        perror(out ? out : "stdout");
        return 1;
    }
    return 0;
}
