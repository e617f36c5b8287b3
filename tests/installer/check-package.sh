#!/bin/sh
# check-package.sh CPACK-CONFIG VERSION CONSOLE(yes|no): builds the .deb with cpack into a
# temporary directory and checks what is in it: the programs, the units and that each unit's
# ExecStart is a program in the package, the users the units run as, the maintainer scripts, the
# control fields, and the console's desktop integration (validated as installed) exactly when the
# console is built.
set -u
config=$1 version=$2 console=$3
fail() { echo "FAIL: $*" >&2; exit 1; }

for tool in cpack dpkg-deb; do
    command -v $tool >/dev/null 2>&1 || fail "$tool not found"
done
[ -f "$config" ] || fail "$config does not exist (configure the build first)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! cpack -G DEB --config "$config" -B "$tmp/out" >"$tmp/cpack.log" 2>&1; then
    cat "$tmp/cpack.log" >&2
    fail "cpack -G DEB failed (are all programs built?)"
fi
set -- "$tmp"/out/*.deb
[ $# -eq 1 ] && [ -f "$1" ] || fail "expected one .deb in $tmp/out, found: $*"
deb=$1
echo "built $(basename "$deb")"

# --- control fields ----------------------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = casefile ] || fail "Package is '$(field Package)', expected casefile"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', expected $version"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
depends=$(field Depends)
echo "Depends: $depends"
# Run-time plugins must be named by hand; the Qt libraries come from dpkg-shlibdeps (or the
# fallback list).
for dep in libqt6sql6-sqlite qt6-qpa-plugins libqt6core6; do
    case $depends in *"$dep"*) ;; *) fail "Depends does not name $dep" ;; esac
done

# --- files -------------------------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's:^\./::' >"$tmp/files"
has() { grep -qx "$1" "$tmp/files"; }
for f in usr/bin/casefiled usr/bin/casefile-agent usr/bin/casefile-cli \
         usr/lib/systemd/system/casefiled.service usr/lib/systemd/system/casefile-agent.service \
         usr/lib/sysusers.d/casefile.conf usr/lib/tmpfiles.d/casefile.conf \
         usr/share/doc/casefile/README.md; do
    has "$f" || fail "$f is not in the package"
done
desktop_files="usr/bin/casefile usr/share/applications/io.casefile.Casefile.desktop
    usr/share/metainfo/io.casefile.Casefile.metainfo.xml
    usr/share/icons/hicolor/scalable/apps/casefile.svg"
for f in $desktop_files; do
    if [ "$console" = yes ]; then
        has "$f" || fail "the console is built but $f is not in the package"
    else
        has "$f" && fail "the console is not built but the package has $f"
    fi
done
case $depends in
    *libqt6svg6*) [ "$console" = yes ] || fail "libqt6svg6 is a dependency without the console" ;;
    *) [ "$console" = no ] || fail "Depends does not name libqt6svg6 (the console's SVG icons)" ;;
esac

# --- maintainer scripts ------------------------------------------------------------------------
dpkg-deb -e "$deb" "$tmp/control"
for s in postinst prerm postrm; do
    [ -x "$tmp/control/$s" ] || fail "$s is missing or not executable"
    sh -n "$tmp/control/$s" || fail "$s is not valid sh"
done
grep -q 'systemd-sysusers casefile.conf' "$tmp/control/postinst" ||
    fail "postinst does not create the services' users"

# --- the units against what the package installs ----------------------------------------------
root=$tmp/root
dpkg-deb -x "$deb" "$root"
mkdir -p "$tmp/units"
for unit in casefiled.service casefile-agent.service; do
    file=$root/usr/lib/systemd/system/$unit
    exec=$(sed -n 's/^ExecStart=[-@!+:]*\([^ ]*\).*/\1/p' "$file")
    [ -n "$exec" ] || fail "$unit has no ExecStart"
    [ -x "$root$exec" ] || fail "$unit starts $exec, which the package does not install"
    user=$(sed -n 's/^User=//p' "$file")
    [ -n "$user" ] || fail "$unit has no User= (it would run as root)"
    grep -Eq "^u +$user " "$root/usr/lib/sysusers.d/casefile.conf" ||
        fail "$unit runs as $user, whom sysusers.d/casefile.conf does not create"
    echo "$unit: $exec as $user"
    # The same unit, pointed at the extracted programs, for systemd-analyze below.
    sed "s|^ExecStart=/|ExecStart=$root/|" "$file" >"$tmp/units/$unit"
done
grep -q -- '--consent deny' "$root/usr/lib/systemd/system/casefile-agent.service" ||
    fail "the agent's unit must run with --consent deny: nobody is there to approve a change"

if [ "$console" = yes ]; then
    exec=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$root/usr/share/applications/io.casefile.Casefile.desktop")
    [ -x "$root/usr/bin/$exec" ] || fail "the desktop file starts $exec, which is not in usr/bin"
    # Metainfo, desktop file and icon as installed together (same 0.16 allowance as check-metainfo.sh).
    command -v appstreamcli >/dev/null 2>&1 || fail "appstreamcli not found (install appstream)"
    opts="--no-net --strict"
    case $(appstreamcli --version | sed -n 's/^AppStream version: *//p') in
        0.*) opts="$opts --override=unknown-tag=pedantic" ;;
    esac
    appstreamcli validate-tree $opts "$root" || fail "appstreamcli validate-tree rejected the installed files"
fi

# systemd is not in a minimal chroot; where it is, it judges the units too.
if command -v systemd-analyze >/dev/null 2>&1; then
    # A bad value or unknown key is only logged and ignored, so its messages count as failures;
    # messages about other units of this system do not.
    systemd-analyze verify "$tmp/units/casefiled.service" "$tmp/units/casefile-agent.service" \
        >"$tmp/verify.log" 2>&1 || { cat "$tmp/verify.log" >&2; fail "systemd-analyze verify rejected a unit"; }
    if grep -F "$tmp/units/" "$tmp/verify.log" >&2; then
        fail "systemd-analyze verify found the problems above"
    fi
    echo "systemd-analyze verify: ok"
else
    echo "systemd-analyze not found: units not verified by systemd"
fi
if command -v systemd-sysusers >/dev/null 2>&1; then
    mkdir -p "$root/etc"
    systemd-sysusers --root="$root" casefile.conf >/dev/null 2>&1 ||
        fail "systemd-sysusers rejected sysusers.d/casefile.conf"
    for user in casefile casefile-agent; do
        grep -q "^$user:" "$root/etc/passwd" || fail "systemd-sysusers did not create $user"
    done
    echo "systemd-sysusers: ok"
    # tmpfiles resolves the owners in the same root, so this needs the users made above.
    systemd-tmpfiles --root="$root" --create casefile.conf >/dev/null 2>&1 ||
        fail "systemd-tmpfiles rejected tmpfiles.d/casefile.conf"
    for user in casefile casefile-agent; do
        uid=$(sed -n "s/^$user:[^:]*:\([0-9]*\):.*/\1/p" "$root/etc/passwd")
        [ "$(stat -c '%a %u' "$root/var/lib/$user" 2>/dev/null)" = "700 $uid" ] ||
            fail "/var/lib/$user is not a 0700 directory owned by $user"
    done
    echo "systemd-tmpfiles: ok"
fi
echo "ok: $(basename "$deb")"
