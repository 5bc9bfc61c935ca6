#!/usr/bin/env bash
# Unpacks the built .deb into a temporary root (no root rights, nothing installed system-wide) and
# starts its launcher with --smoke: the window must show with data. Needs a display (DISPLAY).
#   packaging/smoke-deb.sh [path/to/control-room_*.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
DEB=${1:-$(ls target/package/control-room_*.deb 2>/dev/null | head -n 1)}
[ -f "$DEB" ] || { echo "[smoke-deb] no .deb found: run packaging/package.sh first" >&2; exit 1; }
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
dpkg-deb -x "$DEB" "$ROOT"
LAUNCHER=$ROOT/opt/control-room/bin/control-room
[ -x "$LAUNCHER" ] || { echo "[smoke-deb] the .deb has no launcher at /opt/control-room/bin/control-room" >&2; exit 1; }
for f in opt/control-room/lib/app/app.aot opt/control-room/lib/app/native/libglassgtk3.so \
         opt/control-room/lib/app/native/libsqlitejdbc.so opt/control-room/lib/app/native/pty4j/linux/x86-64/libpty.so; do
  [ -e "$ROOT/$f" ] || { echo "[smoke-deb] missing in the .deb: /$f" >&2; exit 1; }
done
ls "$ROOT"/opt/control-room/lib/*.desktop >/dev/null 2>&1 || ls "$ROOT"/usr/share/applications/*.desktop >/dev/null 2>&1 \
  || dpkg-deb -I "$DEB" postinst 2>/dev/null | grep -q desktop || { echo "[smoke-deb] the .deb has no desktop entry" >&2; exit 1; }
echo "[smoke-deb] $(dpkg-deb -f "$DEB" Package) $(dpkg-deb -f "$DEB" Version), depends: $(dpkg-deb -f "$DEB" Depends)"
# -Xlog:aot: proves the shipped cache is used from the moved location.
JAVA_TOOL_OPTIONS="-Xlog:aot=info:file=$ROOT/aot.log" "$LAUNCHER" --db "$ROOT/data/control-room.db" --smoke | tee "$ROOT/smoke.log"
grep -q "first frame with data" "$ROOT/smoke.log" || { echo "[smoke-deb] no frame shown" >&2; exit 1; }
if grep -q "Opened AOT cache" "$ROOT/aot.log" && ! grep -qiE "error|mismatch|unable" "$ROOT/aot.log"; then
  echo "[smoke-deb] AOT cache used from the unpacked root"
else
  echo "[smoke-deb] the AOT cache was not used from the unpacked root:" >&2; grep -iE "error|warning|mismatch" "$ROOT/aot.log" | head -n 5 >&2
  exit 1
fi
echo "[smoke-deb] ok: the .deb's launcher showed the window"
