/*
 * sha1.h - SHA-1 (FIPS 180-4) and name-based UUIDs (RFC 4122 version 5),
 * for the EPUB package's deterministic identifier.  Not for security.
 */
#ifndef PKX_SHA1_H
#define PKX_SHA1_H

#include <stddef.h>
#include <stdint.h>

typedef struct pkx_sha1 {
    uint32_t h[5];
    uint64_t length;          /* bytes hashed so far */
    unsigned char block[64];
    size_t used;              /* bytes waiting in block */
} pkx_sha1;

/* Starts a hash. */
void pkx_sha1_init(pkx_sha1 *s);
/* Adds data[0..len) to the hash. */
void pkx_sha1_update(pkx_sha1 *s, const void *data, size_t len);
/* Finishes the hash and stores the 20-byte digest in out. */
void pkx_sha1_final(pkx_sha1 *s, unsigned char out[20]);

/* The RFC 4122 namespace for URLs, 6ba7b811-9dad-11d1-80b4-00c04fd430c8. */
extern const unsigned char pkx_uuid_ns_url[16];

/*
 * Starts a version 5 UUID in namespace ns: returns a hash with the
 * namespace added, to which the caller adds the name (in any number of
 * pkx_sha1_update calls) before pkx_uuid5_final.
 */
void pkx_uuid5_init(pkx_sha1 *s, const unsigned char ns[16]);
/* Finishes the UUID and writes it as 36 lower-case characters and a NUL
 * into out ("886313e1-3b8a-5372-9b90-0c9aee199e5d"). */
void pkx_uuid5_final(pkx_sha1 *s, char out[37]);

#endif
