#pragma once

#include <QWidget>

namespace casefile {

// One line of text, cut with "…" when it does not fit, the whole of it in the tooltip. Unlike a
// QLabel, changing the text never asks the window for a new layout: it changes many times a
// second while output streams, and a relayout of the main window costs milliseconds each time.
class ElidedLabel : public QWidget
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);
    QString text() const { return m_text; }
    void setText(const QString &text);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_text;
};

} // namespace casefile
