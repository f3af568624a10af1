#include "DtlsCertificate.h"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <QRegularExpression>

namespace softphone::rtp {

namespace {
constexpr long kValidBeforeNowSeconds = 3600; // peers with a clock slightly behind
constexpr long kValidSeconds = 30L * 24 * 3600;
} // namespace

std::shared_ptr<const DtlsCertificate> DtlsCertificate::generate(QString *error)
{
    std::shared_ptr<DtlsCertificate> cert(new DtlsCertificate);
    auto fail = [error](const char *step) {
        if (error)
            *error =
                QStringLiteral("cannot make the DTLS certificate (%1)").arg(QLatin1String(step));
        return nullptr;
    };
    cert->m_key = EVP_EC_gen("P-256");
    if (!cert->m_key)
        return fail("P-256 key");
    cert->m_x509 = X509_new();
    X509 *x = cert->m_x509;
    if (!x || !X509_set_version(x, 2))
        return fail("X509");
    BIGNUM *serial = BN_new();
    const bool serialOk = serial && BN_rand(serial, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) &&
                          BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x));
    BN_free(serial);
    if (!serialOk)
        return fail("serial");
    X509_NAME *name = X509_get_subject_name(x);
    if (!X509_gmtime_adj(X509_getm_notBefore(x), -kValidBeforeNowSeconds) ||
        !X509_gmtime_adj(X509_getm_notAfter(x), kValidSeconds) ||
        !X509_set_pubkey(x, cert->m_key) ||
        !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                    reinterpret_cast<const unsigned char *>("softphone"), -1, -1,
                                    0) ||
        !X509_set_issuer_name(x, name) || !X509_sign(x, cert->m_key, EVP_sha256()))
        return fail("self-signature");
    cert->m_fingerprint = fingerprintOf(x);
    if (cert->m_fingerprint.isEmpty())
        return fail("fingerprint");
    return cert;
}

DtlsCertificate::~DtlsCertificate()
{
    X509_free(m_x509);
    EVP_PKEY_free(m_key);
}

QByteArray DtlsCertificate::der() const
{
    unsigned char *out = nullptr;
    const int length = i2d_X509(m_x509, &out);
    if (length <= 0)
        return {};
    QByteArray result(reinterpret_cast<const char *>(out), length);
    OPENSSL_free(out);
    return result;
}

QString DtlsCertificate::fingerprintOf(X509 *certificate)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!certificate || !X509_digest(certificate, EVP_sha256(), md, &length))
        return {};
    return QStringLiteral("sha-256 ") +
           QString::fromLatin1(
               QByteArray(reinterpret_cast<const char *>(md), int(length)).toHex(':').toUpper());
}

bool DtlsCertificate::fingerprintsMatch(const QString &a, const QString &b)
{
    static const QRegularExpression form(
        QStringLiteral("^sha-256 ([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$"));
    return form.match(a).hasMatch() && a.compare(b, Qt::CaseInsensitive) == 0;
}

} // namespace softphone::rtp
