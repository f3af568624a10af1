#pragma once
// Owning handles for OpenSSL objects, so every early return frees what it made.

#include <QByteArray>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include <memory>

namespace softphone::crypto::ossl {

template<auto FreeFn> struct Deleter
{
    template<typename T> void operator()(T *p) const noexcept { FreeFn(p); }
};

template<typename T, auto FreeFn> using Ptr = std::unique_ptr<T, Deleter<FreeFn>>;

using PKey = Ptr<EVP_PKEY, &EVP_PKEY_free>;
using PKeyCtx = Ptr<EVP_PKEY_CTX, &EVP_PKEY_CTX_free>;
using MdCtx = Ptr<EVP_MD_CTX, &EVP_MD_CTX_free>;
using CipherCtx = Ptr<EVP_CIPHER_CTX, &EVP_CIPHER_CTX_free>;
using Mac = Ptr<EVP_MAC, &EVP_MAC_free>;
using MacCtx = Ptr<EVP_MAC_CTX, &EVP_MAC_CTX_free>;
using Kdf = Ptr<EVP_KDF, &EVP_KDF_free>;
using KdfCtx = Ptr<EVP_KDF_CTX, &EVP_KDF_CTX_free>;
using BigNum = Ptr<BIGNUM, &BN_free>;
using EcdsaSig = Ptr<ECDSA_SIG, &ECDSA_SIG_free>;
using Bio = Ptr<BIO, &BIO_free_all>;
using ParamBld = Ptr<OSSL_PARAM_BLD, &OSSL_PARAM_BLD_free>;
using Params = Ptr<OSSL_PARAM, &OSSL_PARAM_free>;
using Cipher = Ptr<EVP_CIPHER, &EVP_CIPHER_free>;
using Md = Ptr<EVP_MD, &EVP_MD_free>;

// OpenSSL takes unsigned byte pointers; Qt hands out char.
inline const unsigned char *bytes(const QByteArray &data)
{
    return reinterpret_cast<const unsigned char *>(data.constData());
}
inline unsigned char *bytes(QByteArray &data)
{
    return reinterpret_cast<unsigned char *>(data.data());
}

} // namespace softphone::crypto::ossl
