#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

#include <functional>

namespace casefile {

// Writes a published snapshot (its signed JSON, as served) to a file a reader can keep: the
// signed JSON itself (.casefile, checked with casefile-cli verify), one self-contained HTML
// page, or a PDF (QPdfWriter) with a page footer. Nothing is written but from the signed
// document, so an export holds exactly what was reviewed and published. A file is written
// completely or not at all.
class SnapshotExporter
{
    Q_DECLARE_TR_FUNCTIONS(SnapshotExporter)

public:
    enum class Format
    {
        Signed,
        Html,
        Pdf,
    };
    // progress(done, total): called while a PDF's pages are drawn; returning false cancels.
    using Progress = std::function<bool(int done, int total)>;

    static Format formatFor(const QString &path); // by suffix: .html/.htm, .pdf, else signed
    static QString suffix(Format format);
    // The signed document must verify (against its own key) before anything is written.
    static bool write(const QByteArray &signedDocument, Format format, const QString &path, QString *error,
                      const Progress &progress = {});

private:
    static bool writePdf(const QJsonObject &snapshot, const QString &path, QString *error, const Progress &progress);
};

} // namespace casefile
