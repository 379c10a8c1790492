/*
 * sha256: a small streaming SHA-256 (FIPS 180-4). Streaming (init, update as
 * many times as there are chunks, final) so the importer can hash a file
 * while it reads it, and migrations can hash their embedded text the same way.
 */
#ifndef VM_CORE_SHA256_H
#define VM_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define VM_SHA256_DIGEST_LEN 32
#define VM_SHA256_HEX_LEN 64 /* without the terminating NUL */

struct vm_sha256 {
    uint32_t state[8];
    uint64_t total_len; /* bytes fed so far */
    unsigned char block[64];
    size_t block_len; /* bytes waiting in block */
};

void vm_sha256_init(struct vm_sha256 *s);
void vm_sha256_update(struct vm_sha256 *s, const void *data, size_t len);
/* Writes the digest; s must be initialised again before reuse. */
void vm_sha256_final(struct vm_sha256 *s, unsigned char digest[VM_SHA256_DIGEST_LEN]);
/* Lower-case hex of a digest into hex (VM_SHA256_HEX_LEN + 1 bytes). */
void vm_sha256_to_hex(const unsigned char digest[VM_SHA256_DIGEST_LEN],
                      char hex[VM_SHA256_HEX_LEN + 1]);
/* One-shot: the lower-case hex SHA-256 of len bytes at data. */
void vm_sha256_hex(const void *data, size_t len, char hex[VM_SHA256_HEX_LEN + 1]);

#endif
