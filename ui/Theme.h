#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

namespace casefile {

// Light and dark palettes on the Fusion style, or the platform's own ("system").
class Theme
{
public:
    enum class Mode
    {
        System,
        Light,
        Dark,
    };
    static void apply(Mode mode);
    static Mode fromString(const QString &name);
    static QString toString(Mode mode);
    static bool isDark();
    static bool isDark(const QPalette &palette);
    // The red of problems: stderr, failed commands; readable on the palette's base colour.
    static QColor problemColor(const QPalette &palette);
};

} // namespace casefile
