#!/bin/sh
# check-metainfo.sh METAINFO DESKTOP-FILE VERSION: `appstreamcli validate --strict` passes (any
# error, warning or info fails), its id and launchable match the desktop file, and its newest
# release is the project's version.
set -u
file=$1 desktop=$(basename "$2") version=$3
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v appstreamcli >/dev/null 2>&1 ||
    fail "appstreamcli not found (scripts/install-deps installs appstream)"
[ -f "$file" ] || fail "$file does not exist"

# AppStream 1.0 (Debian 13) wants <developer>; 0.16 (Debian 12) does not know it yet and calls it
# an unknown tag, which only there is lowered below --strict's threshold.
opts="--no-net --strict"
case $(appstreamcli --version | sed -n 's/^AppStream version: *//p') in
    0.*) opts="$opts --override=unknown-tag=pedantic" ;;
esac
appstreamcli validate $opts "$file" || fail "appstreamcli validate $opts failed"

id=$(sed -n 's:.*<id>\(.*\)</id>.*:\1:p' "$file")
[ "$id.desktop" = "$desktop" ] || fail "component id '$id' does not match the desktop file $desktop"
grep -q "<launchable type=\"desktop-id\">$desktop</launchable>" "$file" ||
    fail "no <launchable type=\"desktop-id\">$desktop</launchable>"
newest=$(sed -n 's:.*<release version="\([^"]*\)".*:\1:p' "$file" | head -n 1)
[ "$newest" = "$version" ] ||
    fail "newest <release> is '$newest', the project is $version: add a release entry"
echo "ok: $file"
