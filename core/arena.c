/*
 * arena.c - the per-document bump allocator.
 *
 * A document is built once and freed once, so every allocation it makes
 * comes from a chain of blocks released together: no per-node free, no
 * leaks on error paths, and few calls to malloc.
 */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct pk_arena_block {
    pk_arena_block *next;
    alignas(max_align_t) char data[];
};

enum { BLOCK_MIN = 16 * 1024 - 64 };
#define ALIGN (alignof(max_align_t))

void pk_arena_init(pk_arena *a)
{
    a->head = NULL;
    a->cur = NULL;
    a->left = 0;
}

void pk_arena_release(pk_arena *a)
{
    pk_arena_block *b = a->head;
    while (b) {
        pk_arena_block *next = b->next;
        free(b);
        b = next;
    }
    pk_arena_init(a);
}

/* Max-aligned memory, not cleared; NULL on overflow or out of memory. */
void *pk_arena_alloc_raw(pk_arena *a, size_t size)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX - ALIGN - sizeof(pk_arena_block))
        return NULL;
    size_t rounded = (size + ALIGN - 1) & ~(ALIGN - 1);
    if (rounded > a->left) {
        /* Big requests get a block of their own, so one huge string does
         * not waste the rest of the current block. */
        size_t want = rounded > BLOCK_MIN ? rounded : BLOCK_MIN;
        pk_arena_block *b = malloc(sizeof *b + want);
        if (!b)
            return NULL;
        if (rounded > BLOCK_MIN && a->head) {
            b->next = a->head->next;
            a->head->next = b;
            return b->data;
        }
        b->next = a->head;
        a->head = b;
        a->cur = b->data;
        a->left = want;
    }
    void *p = a->cur;
    a->cur += rounded;
    a->left -= rounded;
    return p;
}

void *pk_arena_alloc(pk_arena *a, size_t size)
{
    void *p = pk_arena_alloc_raw(a, size);
    if (p)
        memset(p, 0, size ? size : 1);
    return p;
}
