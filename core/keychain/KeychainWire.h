#pragma once
// The line format between ChildProcessKeychain (the agent) and its child,
// softphone-keychain: one JSON object per line over the child's stdin (requests)
// and stdout (replies), matched by id; data in base64. Secrets travel only over
// these two anonymous pipes, never on a command line or in a file.
//   request:
//   {"id":1,"op":"read|write|remove","service":"...","key":"...","binary":true,"data":"..."} reply:
//   {"id":1,"status":"ok|not_found|failed","data":"...","message":"..."}

#include "Keychain.h"

#include <optional>

namespace softphone::keychain::wire {

// Longer lines are refused by both sides (entries are tokens and keys: < 1 kB).
constexpr qsizetype kMaxLine = 64 * 1024;

QByteArray encodeRequest(quint64 id, const Request &request);
std::optional<Request> decodeRequest(const QByteArray &line, quint64 *id, QString *error = nullptr);
QByteArray encodeReply(quint64 id, const Reply &reply);
std::optional<Reply> decodeReply(const QByteArray &line, quint64 *id, QString *error = nullptr);

// Moves the complete lines at the front of buffer to lines; false when what
// is left (a line not finished yet) is already longer than kMaxLine.
bool takeLines(QByteArray &buffer, QList<QByteArray> *lines);

} // namespace softphone::keychain::wire
