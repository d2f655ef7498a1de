/*
 * gen.c - pk-bench-gen: a deterministic corpus of realistic press releases
 * for the benchmarks (tests/bench/README.md).
 *
 *     pk-bench-gen N SEED DIR
 *
 * writes N releases as DIR/<year>/<date>-<slug>-<index>.md.  Release i
 * depends only on SEED and i (its own splitmix64 stream), so a corpus of
 * 10,000 is the first 10,000 releases of the corpus of 100,000, and the
 * same SEED gives the same bytes on every machine: only integer
 * arithmetic, no rand(), no floating point, no locale.
 *
 * Each release looks like the ones in examples/releases: YAML front
 * matter (title, date from 2008 to 2026, url, 1-3 ministers, 1-4
 * portfolios, sometimes tags), then usually a bullet list of highlights,
 * then 4-20 paragraphs of which many are quotes attributed to a minister
 * (some over several paragraphs: an opening quote mark on each, the
 * closing one only on the last), with links, emphasis, headings, ordered
 * lists, macrons, NZ$ amounts written with NO-BREAK SPACEs and words with
 * a NON-BREAKING HYPHEN.  Sizes average about 3 KB with a long tail to
 * 30 KB (a few long-form releases with long paragraphs).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NBSP "\xC2\xA0"  /* U+00A0 NO-BREAK SPACE */
#define NBH "\xE2\x80\x91"  /* U+2011 NON-BREAKING HYPHEN */
#define LQ "\xE2\x80\x9C"   /* U+201C “ */
#define RQ "\xE2\x80\x9D"   /* U+201D ” */
#define APOS "\xE2\x80\x99" /* U+2019 ’ */

enum { MAX_RELEASE = 30000, BUF_CAP = 64 * 1024 };

/* splitmix64 (Steele, Lea, Flood 2014): one 64-bit state, full period. */
typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* A number in [0, n), n > 0 (Lemire's multiply-shift; the tiny bias of
 * skipping the rejection step does not matter for a corpus). */
static unsigned below(rng *r, unsigned n)
{
    return (unsigned)(((next(r) >> 32) * (uint64_t)n) >> 32);
}

/* A number in [lo, hi]. */
static unsigned between(rng *r, unsigned lo, unsigned hi)
{
    return lo + below(r, hi - lo + 1);
}

/* True with probability pct percent. */
static bool chance(rng *r, unsigned pct)
{
    return below(r, 100) < pct;
}

#define PICK(r, list) ((list)[below((r), sizeof(list) / sizeof(list)[0])])

/* The text of one release, built in place. */
typedef struct buf {
    char data[BUF_CAP];
    size_t len;
} buf;

static void put(buf *b, const char *s)
{
    size_t n = strlen(s);
    if (n > BUF_CAP - 1 - b->len)
        n = BUF_CAP - 1 - b->len;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void putf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, BUF_CAP - b->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        b->len += (size_t)n < BUF_CAP - b->len ? (size_t)n : BUF_CAP - 1 - b->len;
}

/* Vocabulary ------------------------------------------------------------*/

typedef struct person {
    const char *name;
} person;

static const char *const first_names[] = {
    "Aroha", "Rawiri", "Hēmi", "Mere", "Ana", "Tama", "Ngaire", "Wiremu",
    "Grace", "Michael", "Sarah", "David", "Priya", "Lucy", "James", "Mele",
    "Sione", "Hana", "Tom", "Kiri", "Ruth", "Pita", "Ēnoka", "Moana",
};
static const char *const last_names[] = {
    "Kāmura", "Tāwhiri", "Kōtare", "Pōhatu", "Mōtū", "Tūroa", "Ngāta",
    "Whitcombe", "Aldridge", "Fale", "Raman", "Chen", "O" APOS "Neill",
    "Harrison", "Tupou", "Mākoare", "Rēweti", "Barclay", "Sāmoa", "Lindqvist",
};

static const char *const portfolios[] = {
    "Education", "Health", "Foreign Affairs", "Defence", "Finance",
    "Transport", "Housing", "Conservation", "Māori Development",
    "Agriculture", "Climate Change", "Police", "Social Development",
    "Pacific Peoples", "Tourism", "Regional Development", "Energy",
    "Immigration", "Whānau Ora", "Arts, Culture and Heritage",
    "Disability Issues", "Oceans and Fisheries", "Trade and Export Growth",
    "Emergency Management", "Workplace Relations and Safety",
};

static const char *const places[] = {
    "Tāmaki Makaurau", "Ōtautahi", "Whangārei", "Te Tai Tokerau",
    "Rotorua", "Tauranga", "Kirikiriroa", "Te Whanganui-a-Tara",
    "Ōtepoti", "Te Tai Poutini", "the Wairarapa", "Tairāwhiti",
    "Taranaki", "Murihiku", "the Chatham Islands", "Ōamaru",
    "Whakatāne", "Kaikōura", "Manawatū", "Te Ika-a-Māui",
};

static const char *const subjects[] = {
    "The Government", "The programme", "The new funding",
    "The Ministry of Education", "Local councils", "Iwi and hapū partners",
    "Community groups", "Schools and kura", "Regional hospitals",
    "The independent review", "Te Manatū Waka", "The Crown",
    "Whānau across the motu", "The investment", "Providers",
    "The agency", "The working group", "Our partners in the Pacific",
    "Employers", "The taskforce", "Frontline staff", "The package",
};

static const char *const verbs[] = {
    "will receive", "has committed", "is expected to deliver",
    "will support", "has agreed to fund", "will expand", "has secured",
    "will work alongside", "is on track to provide", "will trial",
    "has already delivered", "will continue to fund", "is set to double",
    "will phase in", "has welcomed", "will prioritise",
};

static const char *const objects[] = {
    "better access to services", "long" NBH "term support",
    "co" NBH "ordinated planning", "mātauranga Māori programmes",
    "new classrooms and kura facilities", "safer roads",
    "more frontline staff", "affordable homes for whānau",
    "warmer, drier homes", "predator control on offshore islands",
    "training places for apprentices", "mental health services",
    "clean energy projects", "flood protection works",
    "a stronger regional economy", "non" NBH "military assistance",
    "free school lunches for ākonga", "te reo Māori resources",
    "rural health clinics", "export market access",
    "faster broadband for rural communities", "emergency housing",
};

static const char *const tails[] = {
    "over the next three years", "from 1 July", "across the motu",
    "as part of the Budget package", "following consultation with iwi",
    "in the coming months", "by the end of the year",
    "alongside existing programmes", "for the first time",
    "in partnership with local government", "from next term",
    "while keeping costs down", "with support from the private sector",
    "ahead of winter", "under the new agreement",
};

static const char *const quote_openers[] = {
    "This is a significant step", "We have listened to communities",
    "Families have told us what they need", "I am proud of the work",
    "This investment is about people", "We know there is more to do",
    "The evidence is clear", "Today" APOS "s announcement builds on",
    "It is a privilege to confirm", "We are backing the people",
    "This is good news", "Our focus remains",
};

static const char *const quote_middles[] = {
    "and it will make a real difference to whānau",
    "because every child deserves a fair start",
    "and we will keep working with iwi partners",
    "so that services are there when people need them",
    "which is why we are acting now",
    "and the results so far speak for themselves",
    "and I want to thank everyone who has contributed",
    "so that no region is left behind",
};

static const char *const headings[] = {
    "Background", "Next steps", "About the programme", "Funding",
    "Key facts", "Notes to editors", "What this means for whānau",
    "Timeline", "Eligibility",
};

static const char *const title_things[] = {
    "support for rural mobile clinics", "boost for school lunches",
    "package for flood recovery", "investment in rail stations",
    "funding for predator-free islands", "plan for warmer homes",
    "help for seasonal workers", "changes to KiwiSaver fee disclosure",
    "investment in te reo Māori", "support for Pacific businesses",
    "upgrade for regional hospitals", "funding for kapa haka",
    "deployment to the Pacific", "contribution to the Global Coalition",
    "reforms to emergency housing", "programme for apprentices",
};

static const char *const title_openers[] = {
    "New", "More", "Government confirms", "Next phase of",
    "Record", "Minister announces", "Further", "Major",
};

static const char *const tags[] = {
    "budget", "regions", "health", "education", "housing", "environment",
    "pacific", "māori", "infrastructure", "trade", "safety", "energy",
};

static const char *const link_texts[] = {
    "the full report", "more information", "the Cabinet paper",
    "the programme" APOS "s website", "the consultation document",
    "Budget documents", "the evaluation",
};

static const char *const link_hosts[] = {
    "https://www.beehive.govt.nz", "https://www.govt.nz",
    "https://www.education.govt.nz", "https://www.health.govt.nz",
    "https://www.treasury.govt.nz", "https://www.mfat.govt.nz",
};

/* A release being generated. */
typedef struct release {
    char ministers[3][64];      /* "Aroha Kāmura" */
    const char *portfolio[4];
    unsigned n_ministers, n_portfolios;
    unsigned year, month, day;
    char title[256];
    char slug[64];
} release;

/* Formats an amount of money into s (32 bytes), NZ$ then NO-BREAK
 * SPACEs: "NZ$ 4.5 million". */
static const char *money(rng *r, char *s)
{
    if (chance(r, 15))
        snprintf(s, 32, "NZ$" NBSP "%u.%u" NBSP "billion", between(r, 1, 9),
                 below(r, 10));
    else if (chance(r, 30))
        snprintf(s, 32, "NZ$" NBSP "%u.%u" NBSP "million", between(r, 1, 99),
                 below(r, 10));
    else
        snprintf(s, 32, "NZ$" NBSP "%u" NBSP "million", between(r, 2, 950));
    return s;
}

static void amount(rng *r, buf *b)
{
    char s[32];
    put(b, money(r, s));
}

/* One sentence of narrative, ending with end ("." or ","). */
static void sentence(rng *r, buf *b, const char *end)
{
    unsigned form = below(r, 5);
    put(b, PICK(r, subjects));
    put(b, " ");
    put(b, PICK(r, verbs));
    put(b, " ");
    if (form == 0) {
        amount(r, b);
        put(b, " for ");
    }
    if (chance(r, 10)) {
        const char *mark = chance(r, 50) ? "*" : "**";
        put(b, mark);
        put(b, PICK(r, objects));
        put(b, mark);
    } else {
        put(b, PICK(r, objects));
    }
    if (form == 1)
        putf(b, " in %s", PICK(r, places));
    if (form != 2) {
        put(b, " ");
        put(b, PICK(r, tails));
    }
    if (form == 3)
        putf(b, ", with up to %u,%03u people expected to benefit",
             between(r, 1, 99), below(r, 1000));
    if (chance(r, 8)) {
        putf(b, " (see [%s](%s/release/%u-%u))", PICK(r, link_texts),
             PICK(r, link_hosts), between(r, 1000, 99999), below(r, 100));
    }
    put(b, end);
}

/* A paragraph of n narrative sentences. */
static void narrative(rng *r, buf *b, unsigned n)
{
    if (chance(r, 5))
        put(b, "**Key point.** ");
    for (unsigned i = 0; i < n; i++) {
        if (i)
            put(b, " ");
        sentence(r, b, ".");
    }
    put(b, "\n\n");
}

/* The quoted text of one paragraph: n sentences, the last ending in
 * last_end. */
static void quote_text(rng *r, buf *b, unsigned n, const char *last_end)
{
    for (unsigned i = 0; i < n; i++) {
        bool last = i + 1 == n;
        if (i)
            put(b, " ");
        if (i == 0 || chance(r, 40)) {
            put(b, PICK(r, quote_openers));
            put(b, " ");
            put(b, PICK(r, quote_middles));
            put(b, last ? last_end : ".");
        } else {
            sentence(r, b, last ? last_end : ".");
        }
    }
}

/* A quote of paras paragraphs by minister m. */
static void quote(rng *r, buf *b, const release *rel, unsigned paras,
                  unsigned sentences_max)
{
    unsigned m = below(r, rel->n_ministers);
    const char *name = rel->ministers[m];
    const char *portfolio = rel->portfolio[m < rel->n_portfolios ? m : 0];
    for (unsigned p = 0; p + 1 < paras; p++) {
        put(b, LQ);
        quote_text(r, b, between(r, 1, sentences_max), ".");
        put(b, "\n\n");
    }
    put(b, LQ);
    quote_text(r, b, between(r, 1, sentences_max), ",");
    switch (below(r, 4)) {
    case 0:
        putf(b, RQ " %s Minister %s said.\n\n", portfolio, name);
        break;
    case 1:
        putf(b, RQ " said %s.\n\n", name);
        break;
    case 2:
        putf(b, RQ " Minister for %s %s said.\n\n", portfolio, name);
        break;
    default:
        putf(b, RQ " %s said.\n\n", name);
        break;
    }
}

static void ordered_list(rng *r, buf *b)
{
    unsigned n = between(r, 2, 5);
    put(b, "The changes will be introduced in this order:\n\n");
    for (unsigned i = 1; i <= n; i++) {
        putf(b, "%u. %s %s;\n", i, PICK(r, objects), PICK(r, tails));
    }
    put(b, "\n");
}

static void highlights(rng *r, buf *b)
{
    unsigned n = between(r, 2, 5);
    for (unsigned i = 0; i < n; i++) {
        put(b, "- ");
        if (chance(r, 40)) {
            amount(r, b);
            putf(b, " for %s", PICK(r, objects));
        } else {
            putf(b, "%s %s %s", PICK(r, subjects), PICK(r, verbs),
                 PICK(r, objects));
        }
        if (chance(r, 30))
            putf(b, " in %s", PICK(r, places));
        put(b, "\n");
    }
    put(b, "\n");
}

/* ASCII slug of s: letters and digits, '-' between words; macron
 * vowels lose their macron, other non-ASCII characters are dropped. */
static void slugify(char *out, size_t cap, const char *s)
{
    size_t o = 0;
    bool dash = false;
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 2 < cap;) {
        char c = 0;
        if (*p < 0x80) {
            if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
                c = (char)*p;
            else if (*p >= 'A' && *p <= 'Z')
                c = (char)(*p - 'A' + 'a');
            p++;
        } else {
            /* Ā ā Ē ē Ī ī Ō ō Ū ū */
            unsigned cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
            if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
                if (cp == 0x100 || cp == 0x101)
                    c = 'a';
                else if (cp == 0x112 || cp == 0x113)
                    c = 'e';
                else if (cp == 0x12A || cp == 0x12B)
                    c = 'i';
                else if (cp == 0x14C || cp == 0x14D)
                    c = 'o';
                else if (cp == 0x16A || cp == 0x16B)
                    c = 'u';
            }
            p++;
            while ((*p & 0xC0) == 0x80)
                p++;
        }
        if (c) {
            if (dash && o)
                out[o++] = '-';
            out[o++] = c;
            dash = false;
        } else {
            dash = true;
        }
    }
    out[o] = '\0';
}

static unsigned days_in(unsigned y, unsigned m)
{
    static const unsigned d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/* Picks k distinct indices below n into out. */
static void distinct(rng *r, unsigned n, unsigned k, unsigned *out)
{
    for (unsigned i = 0; i < k; i++) {
        bool again;
        do {
            out[i] = below(r, n);
            again = false;
            for (unsigned j = 0; j < i; j++)
                again |= out[j] == out[i];
        } while (again);
    }
}

static void front_matter(rng *r, buf *b, release *rel, unsigned long index)
{
    unsigned idx[4];
    put(b, "---\n");
    if (chance(r, 25)) {
        char m[32];
        money(r, m);
        snprintf(rel->title, sizeof rel->title, "%s %s in %s", m,
                 PICK(r, title_things), PICK(r, places));
    } else {
        snprintf(rel->title, sizeof rel->title, "%s %s", PICK(r, title_openers),
                 PICK(r, title_things));
    }
    putf(b, "title: \"%s\"\n", rel->title);
    slugify(rel->slug, sizeof rel->slug, rel->title);
    if (chance(r, 10))
        putf(b, "date: %04u-%02u-%02uT%02u:%02u:00+%02u:00\n", rel->year,
             rel->month, rel->day, between(r, 7, 18), below(r, 60),
             chance(r, 50) ? 12 : 13);
    else
        putf(b, "date: %04u-%02u-%02u\n", rel->year, rel->month, rel->day);
    /* The index keeps every url, and so every feed entry id, unique. */
    putf(b, "url: https://www.beehive.govt.nz/release/%s-%06lu\n", rel->slug,
         index);

    rel->n_ministers = between(r, 1, 3);
    for (unsigned i = 0; i < rel->n_ministers; i++) {
        bool same;
        do {
            snprintf(rel->ministers[i], sizeof rel->ministers[i], "%s %s",
                     PICK(r, first_names), PICK(r, last_names));
            same = false;
            for (unsigned j = 0; j < i; j++)
                same |= strcmp(rel->ministers[j], rel->ministers[i]) == 0;
        } while (same);
    }
    if (rel->n_ministers == 1 && chance(r, 30)) {
        putf(b, "ministers: Hon %s\n", rel->ministers[0]);
    } else {
        put(b, "ministers:\n");
        for (unsigned i = 0; i < rel->n_ministers; i++)
            putf(b, "  - Hon %s\n", rel->ministers[i]);
    }

    rel->n_portfolios = between(r, 1, 4);
    distinct(r, sizeof portfolios / sizeof portfolios[0], rel->n_portfolios, idx);
    for (unsigned i = 0; i < rel->n_portfolios; i++)
        rel->portfolio[i] = portfolios[idx[i]];
    if (chance(r, 20)) {
        put(b, "portfolios: [");
        for (unsigned i = 0; i < rel->n_portfolios; i++)
            putf(b, "%s\"%s\"", i ? ", " : "", rel->portfolio[i]);
        put(b, "]\n");
    } else {
        put(b, "portfolios:\n");
        for (unsigned i = 0; i < rel->n_portfolios; i++)
            putf(b, "  - %s\n", rel->portfolio[i]);
    }
    if (chance(r, 20)) {
        unsigned n = between(r, 1, 3);
        distinct(r, sizeof tags / sizeof tags[0], n, idx);
        put(b, "tags:\n");
        for (unsigned i = 0; i < n; i++)
            putf(b, "  - %s\n", tags[idx[i]]);
    }
    if (chance(r, 5))
        put(b, "embargoed: false\n");
    put(b, "---\n\n");
}

/* Sentences in a paragraph: mostly 1-3, now and then many more. */
static unsigned sentences(rng *r, bool long_form)
{
    unsigned n = 1;
    while (n < 8 && chance(r, 50))
        n++;
    if (long_form)
        n *= between(r, 4, 10);
    /* A paragraph stays under about 3.5 KB: see the cap in generate(). */
    return n < 20 ? n : 20;
}

static void generate(rng *r, buf *b, release *rel, unsigned long index)
{
    front_matter(r, b, rel, index);
    bool long_form = chance(r, 5);
    /* 4 to 20, skewed towards fewer: the mean is about 11. */
    unsigned paras = 4 + (chance(r, 70) ? below(r, 17) : below(r, 9));
    bool heading_done = false, list_done = !chance(r, 15);

    if (chance(r, 75))
        highlights(r, b);
    putf(b, "%s %s %s %s, %s Minister %s announced today.\n\n",
         PICK(r, subjects), PICK(r, verbs), PICK(r, objects), PICK(r, tails),
         rel->portfolio[0], rel->ministers[0]);
    for (unsigned p = 1; p < paras && b->len < MAX_RELEASE - 4000;) {
        if (!heading_done && p > paras / 2 && chance(r, 25)) {
            putf(b, "## %s\n\n", PICK(r, headings));
            heading_done = true;
        }
        if (!list_done && p > 1 && chance(r, 30)) {
            ordered_list(r, b);
            list_done = true;
        }
        if (chance(r, 45)) {
            unsigned k = chance(r, 70) ? 1 : chance(r, 65) ? 2 : 3;
            if (k > paras - p)
                k = paras - p;
            quote(r, b, rel, k, long_form ? 16 : 3);
            p += k;
        } else {
            narrative(r, b, sentences(r, long_form));
            p++;
        }
    }
    if (chance(r, 10))
        putf(b, "Read [%s](%s/release/%06lu).\n", PICK(r, link_texts),
             PICK(r, link_hosts), index);
    /* One final LF, as an editor leaves it. */
    while (b->len && b->data[b->len - 1] == '\n')
        b->len--;
    put(b, "\n");
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "pk-bench-gen: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static bool parse_ulong(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return *s && *s != '-' && !*end && !errno;
}

int main(int argc, char **argv)
{
    unsigned long long n, seed;
    if (argc != 4 || !parse_ulong(argv[1], &n) || !parse_ulong(argv[2], &seed)) {
        fprintf(stderr, "usage: pk-bench-gen N SEED DIR\n");
        return 2;
    }
    const char *dir = argv[3];
    static buf b;
    unsigned long long bytes = 0;
    size_t largest = 0;
    bool year_made[2027] = {false};
    char path[4096];

    if (make_dir(dir))
        return 1;
    for (unsigned long long i = 0; i < n; i++) {
        /* Each release its own stream: mix the index into the seed. */
        rng r = {seed * 0x9E3779B97F4A7C15u ^ (i + 1) * 0xD1B54A32D192ED03u};
        release rel;
        memset(&rel, 0, sizeof rel);
        next(&r);
        rel.year = between(&r, 2008, 2026);
        rel.month = between(&r, 1, 12);
        rel.day = between(&r, 1, days_in(rel.year, rel.month));
        b.len = 0;
        b.data[0] = '\0';
        generate(&r, &b, &rel, (unsigned long)i);

        snprintf(path, sizeof path, "%s/%u", dir, rel.year);
        if (!year_made[rel.year]) {
            if (make_dir(path))
                return 1;
            year_made[rel.year] = true;
        }
        snprintf(path, sizeof path, "%s/%u/%04u-%02u-%02u-%.40s-%06llu.md", dir,
                 rel.year, rel.year, rel.month, rel.day, rel.slug, i);
        FILE *fp = fopen(path, "wb");
        if (!fp || fwrite(b.data, 1, b.len, fp) != b.len || fclose(fp) != 0) {
            fprintf(stderr, "pk-bench-gen: %s: %s\n", path, strerror(errno));
            return 1;
        }
        bytes += b.len;
        if (b.len > largest)
            largest = b.len;
    }
    printf("%llu releases, %llu bytes (mean %llu, largest %zu) in %s\n", n,
           bytes, n ? bytes / n : 0, largest, dir);
    return 0;
}
