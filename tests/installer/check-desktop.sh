#!/bin/sh
# check-desktop.sh DESKTOP-FILE: desktop-file-validate passes without errors or warnings, and
# the entry registers the casefile:// scheme with a URL argument for deep links.
set -u
file=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v desktop-file-validate >/dev/null 2>&1 ||
    fail "desktop-file-validate not found (scripts/install-deps installs desktop-file-utils)"
[ -f "$file" ] || fail "$file does not exist"

# It exits 0 on warnings, so its output is read as well.
out=$(desktop-file-validate "$file" 2>&1)
rc=$?
[ -n "$out" ] && printf '%s\n' "$out"
[ $rc -eq 0 ] || fail "desktop-file-validate exited $rc"
printf '%s\n' "$out" | grep -Eq '(error|warning):' && fail "desktop-file-validate reported the problems above"

grep -Eq '^MimeType=(.*;)?x-scheme-handler/casefile;' "$file" ||
    fail "MimeType does not list x-scheme-handler/casefile"
grep -Eq '^Exec=casefile( .*)? %u( |$)' "$file" ||
    fail "Exec does not pass the URL (%u) to casefile"
grep -Eq '^Icon=casefile$' "$file" || fail "Icon is not casefile (the installed icon's name)"
echo "ok: $file"
