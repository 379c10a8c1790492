/*
 * sha256: a streaming SHA-256 (FIPS 180-4). Streaming (init, update as many
 * times as there are chunks, final) so the importer can hash a file while it
 * reads it, and migrations can hash their embedded text the same way. A thin
 * wrapper over OpenSSL's libcrypto, whose SHA-NI/AVX2 code hashes a large
 * import several times faster than plain C did.
 */
#ifndef VM_CORE_SHA256_H
#define VM_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define VM_SHA256_DIGEST_LEN 32
#define VM_SHA256_HEX_LEN 64 /* without the terminating NUL */

struct evp_md_ctx_st; /* OpenSSL's EVP_MD_CTX, kept out of this header */

struct vm_sha256 {
    struct evp_md_ctx_st *ctx; /* NULL once final or vm_sha256_discard ran */
};

void vm_sha256_init(struct vm_sha256 *s);
void vm_sha256_update(struct vm_sha256 *s, const void *data, size_t len);
/* Writes the digest and frees the context; s must be initialised again
 * before reuse. */
void vm_sha256_final(struct vm_sha256 *s, unsigned char digest[VM_SHA256_DIGEST_LEN]);
/* Frees the context of a hash abandoned before final (an error path); a no-op
 * after final, so it is safe to call on every path. */
void vm_sha256_discard(struct vm_sha256 *s);
/* Lower-case hex of a digest into hex (VM_SHA256_HEX_LEN + 1 bytes). */
void vm_sha256_to_hex(const unsigned char digest[VM_SHA256_DIGEST_LEN],
                      char hex[VM_SHA256_HEX_LEN + 1]);
/* One-shot: the lower-case hex SHA-256 of len bytes at data. */
void vm_sha256_hex(const void *data, size_t len, char hex[VM_SHA256_HEX_LEN + 1]);

#endif
