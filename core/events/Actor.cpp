#include "Actor.h"

namespace casefile {

const QStringList Actor::types = {QStringLiteral("user"), QStringLiteral("endpoint"),
                                  QStringLiteral("server")};

} // namespace casefile
