/*
 * sha256: the streaming API over OpenSSL's EVP interface. EVP picks the
 * SHA-NI/AVX2 code for this CPU at run time; the plain-C version it replaced
 * was 17% of an import's client CPU. libcrypto failing here means it cannot
 * allocate or is broken, which this void API cannot report, so it aborts the
 * way xmalloc does on running out of memory.
 */
#include "core/sha256.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

static void crypto_failed(const char *what)
{
    fprintf(stderr, "vendormatch: libcrypto SHA-256 %s failed\n", what);
    abort();
}

void vm_sha256_init(struct vm_sha256 *s)
{
    s->ctx = EVP_MD_CTX_new();
    if (!s->ctx)
        crypto_failed("allocation");
    if (EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL) != 1)
        crypto_failed("init");
}

void vm_sha256_update(struct vm_sha256 *s, const void *data, size_t len)
{
    if (len > 0 && EVP_DigestUpdate(s->ctx, data, len) != 1)
        crypto_failed("update");
}

void vm_sha256_final(struct vm_sha256 *s, unsigned char digest[VM_SHA256_DIGEST_LEN])
{
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(s->ctx, digest, &n) != 1 || n != VM_SHA256_DIGEST_LEN)
        crypto_failed("final");
    vm_sha256_discard(s);
}

void vm_sha256_discard(struct vm_sha256 *s)
{
    EVP_MD_CTX_free(s->ctx); /* accepts NULL */
    s->ctx = NULL;
}

void vm_sha256_to_hex(const unsigned char digest[VM_SHA256_DIGEST_LEN],
                      char hex[VM_SHA256_HEX_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < VM_SHA256_DIGEST_LEN; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 0xf];
    }
    hex[VM_SHA256_HEX_LEN] = '\0';
}

void vm_sha256_hex(const void *data, size_t len, char hex[VM_SHA256_HEX_LEN + 1])
{
    struct vm_sha256 s;
    unsigned char digest[VM_SHA256_DIGEST_LEN];
    vm_sha256_init(&s);
    vm_sha256_update(&s, data, len);
    vm_sha256_final(&s, digest);
    vm_sha256_to_hex(digest, hex);
}
