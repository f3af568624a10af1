#include "PrivateFiles.h"

#include <QDir>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace softphone {

namespace {

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

QString octal(mode_t mode)
{
    return QStringLiteral("0%1").arg(mode & 07777, 3, 8, QLatin1Char('0'));
}

} // namespace

bool makePrivateDir(const QString &path, ForeignMode mode, QString *error)
{
    const QString parent = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(parent)) {
        *error = QStringLiteral("cannot create the folder %1").arg(parent);
        return false;
    }
    const QByteArray native = QFile::encodeName(path);
    // mkdir with the mode is atomic: a folder we create is never open to others.
    const bool created = ::mkdir(native.constData(), 0700) == 0;
    if (!created && errno != EEXIST) {
        *error = QStringLiteral("cannot create the folder %1: %2").arg(path, errnoText(errno));
        return false;
    }
    // O_NOFOLLOW|O_DIRECTORY: a symlink planted in our place is refused, and
    // the checks below are about the very folder we opened.
    const int fd = ::open(native.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        *error = errno == ELOOP || errno == ENOTDIR
                     ? QStringLiteral("%1 is not a folder (a symlink or a file is there): "
                                      "refusing to use it")
                           .arg(path)
                     : QStringLiteral("cannot open the folder %1: %2").arg(path, errnoText(errno));
        return false;
    }
    struct stat st = {};
    bool ok = ::fstat(fd, &st) == 0;
    if (!ok) {
        *error = QStringLiteral("cannot inspect the folder %1: %2").arg(path, errnoText(errno));
    } else if (st.st_uid != ::geteuid()) {
        *error = QStringLiteral("the folder %1 belongs to uid %2, not to us (uid %3): refusing to "
                                "use it (another user may be waiting there for what we put in "
                                "it); remove it or set XDG_RUNTIME_DIR")
                     .arg(path)
                     .arg(st.st_uid)
                     .arg(::geteuid());
        ok = false;
    } else if ((st.st_mode & 07777) != 0700) {
        if (created || mode == ForeignMode::Repair) {
            if (::fchmod(fd, 0700) != 0) {
                *error = QStringLiteral("cannot make the folder %1 private: %2")
                             .arg(path, errnoText(errno));
                ok = false;
            }
        } else if (st.st_mode & 077) {
            *error = QStringLiteral("the folder %1 is open to other users (mode %2, not 0700): "
                                    "refusing to use it; remove it or run chmod 700 on it")
                         .arg(path, octal(st.st_mode));
            ok = false;
        }
    }
    ::close(fd);
    return ok;
}

bool writePrivateFile(const QString &path, const QByteArray &data, QString *error)
{
    const QString folder = QFileInfo(path).absolutePath();
    if (!makePrivateDir(folder, ForeignMode::Repair, error))
        return false;
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temp = target + ".new-" + QByteArray::number(::getpid());
    ::unlink(temp.constData()); // a leftover of a crash of ours (the folder is ours alone)
    const int fd =
        ::open(temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, errnoText(errno));
        return false;
    }
    qsizetype written = 0;
    while (written < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + written, size_t(data.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        written += n;
    }
    const int writeErrno = errno;
    const bool ok = written == data.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(temp.constData(), target.constData()) != 0) {
        *error =
            QStringLiteral("cannot write %1: %2").arg(path, errnoText(ok ? errno : writeErrno));
        ::unlink(temp.constData());
        return false;
    }
    return true;
}

bool closePrivateFile(const QString &path, QString *error)
{
    struct stat st = {};
    const QByteArray native = QFile::encodeName(path);
    if (::lstat(native.constData(), &st) != 0)
        return errno == ENOENT;
    if (S_ISREG(st.st_mode) && (st.st_mode & 077) && ::chmod(native.constData(), 0600) != 0) {
        *error = QStringLiteral("cannot make %1 private: %2").arg(path, errnoText(errno));
        return false;
    }
    return true;
}

} // namespace softphone
