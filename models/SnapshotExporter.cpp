#include "SnapshotExporter.h"

#include "snapshot/SnapshotDocument.h"
#include "snapshot/SnapshotHtml.h"

#include <QAbstractTextDocumentLayout>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>

namespace casefile {

SnapshotExporter::Format SnapshotExporter::formatFor(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("html") || suffix == QLatin1String("htm"))
        return Format::Html;
    if (suffix == QLatin1String("pdf"))
        return Format::Pdf;
    return Format::Signed;
}

QString SnapshotExporter::suffix(Format format)
{
    switch (format) {
    case Format::Html:
        return QStringLiteral("html");
    case Format::Pdf:
        return QStringLiteral("pdf");
    case Format::Signed:
        break;
    }
    return QStringLiteral("casefile");
}

bool SnapshotExporter::write(const QByteArray &signedDocument, Format format, const QString &path, QString *error,
                             const Progress &progress)
{
    const auto verified = SnapshotDocument::verify(signedDocument);
    if (!verified.ok) {
        *error = tr("The snapshot does not verify, so it is not exported: %1").arg(verified.error);
        return false;
    }
    if (format == Format::Pdf)
        return writePdf(verified.snapshot, path, error, progress);
    QSaveFile file(path);
    const QByteArray bytes = format == Format::Html ? SnapshotHtml::render(verified.snapshot) : signedDocument;
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool SnapshotExporter::writePdf(const QJsonObject &snapshot, const QString &path, QString *error,
                                const Progress &progress)
{
    // Drawn to a temporary file first: a cancelled or failed export leaves nothing behind.
    const QString partial = path + QStringLiteral(".part");
    bool ok = false;
    {
        QPdfWriter writer(partial);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        writer.setResolution(150);
        writer.setTitle(snapshot.value(QStringLiteral("title")).toString());
        writer.setCreator(QStringLiteral("Casefile"));
        QPainter painter;
        if (!painter.begin(&writer)) {
            *error = tr("Cannot write %1").arg(path);
            return false;
        }
        QTextDocument doc;
        doc.documentLayout()->setPaintDevice(&writer);
        doc.setHtml(QString::fromUtf8(SnapshotHtml::render(snapshot)));
        const QRectF page = writer.pageLayout().paintRectPixels(writer.resolution());
        const qreal footer = writer.resolution() / 3.0; // a third of an inch for the page number
        const QSizeF body(page.width(), page.height() - footer);
        doc.setPageSize(body);
        const int pages = doc.pageCount();
        const QString title = snapshot.value(QStringLiteral("title")).toString();
        ok = true;
        for (int i = 0; i < pages; ++i) {
            if (progress && !progress(i, pages)) {
                ok = false;
                *error = tr("Export cancelled");
                break;
            }
            if (i > 0)
                writer.newPage();
            painter.save();
            painter.translate(0, -i * body.height());
            doc.drawContents(&painter, QRectF(QPointF(0, i * body.height()), body));
            painter.restore();
            painter.setPen(Qt::darkGray);
            painter.drawText(QRectF(0, body.height(), body.width(), footer), Qt::AlignRight | Qt::AlignBottom,
                             tr("%1 — page %2 of %3").arg(title).arg(i + 1).arg(pages));
        }
        painter.end();
        if (ok && progress)
            progress(pages, pages);
    }
    if (!ok) {
        QFile::remove(partial);
        return false;
    }
    QFile::remove(path);
    if (!QFile::rename(partial, path)) {
        QFile::remove(partial);
        *error = tr("Cannot write %1").arg(path);
        return false;
    }
    return true;
}

} // namespace casefile
