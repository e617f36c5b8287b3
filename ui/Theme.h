#pragma once

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
};

} // namespace casefile
