/*
 * date.c - YYYY-MM-DD and RFC 3339 date-times: parse, format, compare.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

int pk_date_parse(const char *s, size_t len, pk_date *out)
{
    pk_date d;
    memset(&d, 0, sizeof d);
    if (len < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &d.year) ||
        !digits(s + 5, 2, &d.month) || !digits(s + 8, 2, &d.day))
        return PK_EPARSE;
    if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > days_in_month(d.year, d.month))
        return PK_EPARSE;
    size_t i = 10;
    if (i < len) {
        if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
            return PK_EPARSE;
        i++;
        if (len - i < 5 || s[i + 2] != ':' || !digits(s + i, 2, &d.hour) ||
            !digits(s + i + 3, 2, &d.minute))
            return PK_EPARSE;
        i += 5;
        if (i < len && s[i] == ':') {
            if (len - i < 3 || !digits(s + i + 1, 2, &d.second))
                return PK_EPARSE;
            i += 3;
            if (i < len && s[i] == '.') {
                size_t start = ++i;
                unsigned long ns = 0, scale = 100000000;
                while (i < len && s[i] >= '0' && s[i] <= '9') {
                    ns += (unsigned long)(s[i] - '0') * scale;
                    scale /= 10;
                    i++;
                }
                if (i == start)
                    return PK_EPARSE;
                d.nanosecond = ns;
            }
        }
        /* 60 is a leap second, which RFC 3339 allows. */
        if (d.hour > 23 || d.minute > 59 || d.second > 60)
            return PK_EPARSE;
        d.has_time = true;
        if (i < len) {
            if (s[i] == 'Z' || s[i] == 'z') {
                d.has_offset = true;
                i++;
            } else if (s[i] == '+' || s[i] == '-') {
                int oh, om;
                if (len - i < 6 || s[i + 3] != ':' ||
                    !digits(s + i + 1, 2, &oh) || !digits(s + i + 4, 2, &om) ||
                    oh > 23 || om > 59)
                    return PK_EPARSE;
                d.has_offset = true;
                d.offset_minutes = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
                i += 6;
            }
        }
    }
    if (i != len)
        return PK_EPARSE;
    *out = d;
    return PK_OK;
}

size_t pk_date_format_rfc3339(const pk_date *d, int default_offset_minutes,
                              char *buf, size_t len)
{
    int off = d->has_offset ? d->offset_minutes : default_offset_minutes;
    char zone[16];
    if (off == 0)
        strcpy(zone, "Z");
    else
        snprintf(zone, sizeof zone, "%c%02d:%02d", off < 0 ? '-' : '+',
                 (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);
    char frac[24] = "";
    if (d->nanosecond) {
        snprintf(frac, sizeof frac, ".%09lu", d->nanosecond);
        size_t n = strlen(frac);
        while (n > 2 && frac[n - 1] == '0')
            frac[--n] = '\0';
    }
    int n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", d->year,
                     d->month, d->day, d->has_time ? d->hour : 0,
                     d->has_time ? d->minute : 0, d->has_time ? d->second : 0,
                     frac, zone);
    if (n < 0)
        return 0;
    return (size_t)n < len ? (size_t)n : len - 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153LL * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static long long instant(const pk_date *d, int default_offset)
{
    int off = d->has_offset ? d->offset_minutes : default_offset;
    long long secs = days_from_civil(d->year, d->month, d->day) * 86400LL;
    if (d->has_time)
        secs += d->hour * 3600LL + d->minute * 60LL + d->second;
    return secs - off * 60LL;
}

int pk_date_compare(const pk_date *a, const pk_date *b,
                    int default_offset_minutes)
{
    long long x = instant(a, default_offset_minutes);
    long long y = instant(b, default_offset_minutes);
    if (x != y)
        return x < y ? -1 : 1;
    if (a->nanosecond != b->nanosecond)
        return a->nanosecond < b->nanosecond ? -1 : 1;
    return 0;
}
