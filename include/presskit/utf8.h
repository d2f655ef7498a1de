/*
 * presskit/utf8.h - strict UTF-8 decoding, the one decoder readers and
 * writers share.
 */
#ifndef PRESSKIT_UTF8_H
#define PRESSKIT_UTF8_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Returns the length (1-4) of the well-formed UTF-8 character at s[0..len)
 * and stores its code point in *cp unless cp is NULL, or returns 0 (cp
 * untouched) for a stray continuation byte, a truncated or overlong
 * sequence, a surrogate, a code point beyond U+10FFFF or len 0; reads no
 * byte past s[len - 1] and allocates nothing. */
PK_EXTERN size_t pk_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* For s[0..len) where pk_utf8_decode() returns 0 (len > 0), returns how
 * many bytes one U+FFFD replaces: the maximal subpart of the ill-formed
 * sequence (Unicode 15, section 3.9), 1 to 3.  For well-formed input it
 * returns the character's length; for len 0, 0.  (ABI 1.1) */
PK_EXTERN size_t pk_utf8_bad_len(const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
