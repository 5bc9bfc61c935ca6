#!/usr/bin/env bash
# Builds Control Room's app image and the installer for the OS this runs on:
#   Linux -> target/package/image/control-room/ and target/package/control-room_<version>_amd64.deb
#   macOS -> target/package/image/Control Room.app and a .dmg   (configured; built on a Mac)
#   Windows (Git Bash) -> target/package/image/Control Room/ and an .msi (configured; needs WiX)
#
#   packaging/package.sh                  build the jar, the image (AOT-trained) and the installer
#   packaging/package.sh --image-only     no installer
#   packaging/package.sh --skip-build     reuse target/control-room.jar and target/lib
#   packaging/package.sh --no-aot         do not train the start-up cache
#
# Every input is under packaging/: jpackage.args (all OSes), <os>/jpackage.args, linux/deb.args,
# icons/, linux/control-room.desktop, macos/Info.plist + entitlements.plist.
# Signing (optional): MAC_SIGNING_IDENTITY [MAC_SIGNING_KEYCHAIN] on macOS;
# WINDOWS_SIGN_PFX + WINDOWS_SIGN_PASSWORD [+ WINDOWS_SIGN_TIMESTAMP_URL] on Windows (signtool).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

log() { printf '[package] %s\n' "$*"; }
die() { printf '[package] error: %s\n' "$*" >&2; exit 1; }

BUILD=1 INSTALLER=1 AOT=1
for arg in "$@"; do
  case "$arg" in
    --skip-build) BUILD=0 ;;
    --image-only) INSTALLER=0 ;;
    --no-aot) AOT=0 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown option $arg (see --help)" ;;
  esac
done

set +u
. .mvn/select-jdk.sh
set -u
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jpackage" ] || die "no JDK 25 with jpackage found: set JAVA_HOME"
export JAVA_HOME
JBIN=$JAVA_HOME/bin

case "$(uname -s)" in
  Linux) OS=linux NAME=control-room ;;
  Darwin) OS=macos NAME="Control Room" ;;
  MINGW*|MSYS*|CYGWIN*) OS=windows NAME="Control Room" ;;
  *) die "unsupported OS $(uname -s)" ;;
esac
VERSION=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)
[ -n "$VERSION" ] || die "cannot read the version from pom.xml"
OUT=$ROOT/target/package
log "Control Room $VERSION for $OS with $("$JBIN/java" -version 2>&1 | head -n 1)"

# --- 1. the jar and its libraries ----------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  log "building the jar (./mvnw package -DskipTests)"
  ./mvnw -q ${MAVEN_OFFLINE:+-o} package -DskipTests
fi
[ -f target/control-room.jar ] && [ -d target/lib ] || die "target/control-room.jar is missing: run without --skip-build"

# --- 2. jpackage input: the app jar and every non-JavaFX jar; JavaFX goes into the runtime --------
rm -rf "$OUT"
mkdir -p "$OUT/input/native" "$OUT/jfx" "$OUT/image"
cp target/control-room.jar "$OUT/input/"
for jar in target/lib/*.jar; do
  case "$(basename "$jar")" in
    javafx-*) ;;
    *) cp "$jar" "$OUT/input/" ;;
  esac
done
case "$OS" in
  linux) JFX_CLASSIFIER=linux ;;
  macos) [ "$(uname -m)" = arm64 ] && JFX_CLASSIFIER=mac-aarch64 || JFX_CLASSIFIER=mac ;;
  windows) JFX_CLASSIFIER=win ;;
esac
JFX_VERSION=$(ls target/lib/javafx-base-*.jar | sed -n 's:.*javafx-base-\([0-9.]*\)\(-[a-z0-9-]*\)\{0,1\}\.jar:\1:p' | head -n 1)
for module in base graphics controls fxml; do
  jar=$(ls target/lib/javafx-$module-$JFX_VERSION-$JFX_CLASSIFIER.jar 2>/dev/null || true)
  [ -n "$jar" ] || jar=$HOME/.m2/repository/org/openjfx/javafx-$module/$JFX_VERSION/javafx-$module-$JFX_VERSION-$JFX_CLASSIFIER.jar
  [ -f "$jar" ] || die "JavaFX $module for $JFX_CLASSIFIER not found ($jar)"
  cp "$jar" "$OUT/jfx/"
done

# Native libraries, unpacked once here so that nothing is extracted at start (pty4j, JNA and
# sqlite-jdbc would write to /tmp or ~/.cache, JavaFX to ~/.openjfx). Paths are the jars' own.
unpack() { # jar, path inside the jar, destination folder
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && "$JBIN/jar" xf "$1" "$2") && [ -e "$tmp/$2" ] || die "$2 not found in $1"
  mkdir -p "$3" && cp -R "$tmp/$2"/. "$3"/ && rm -rf "$tmp"
}
PTY4J=$(ls "$OUT"/input/pty4j-*.jar) JNA=$(ls "$OUT"/input/jna-[0-9]*.jar) SQLITE=$(ls "$OUT"/input/sqlite-jdbc-*.jar)
case "$OS" in
  linux)
    unpack "$PTY4J" resources/com/pty4j/native/linux/x86-64 "$OUT/input/native/pty4j/linux/x86-64"
    unpack "$JNA" com/sun/jna/linux-x86-64 "$OUT/input/native"
    unpack "$SQLITE" org/sqlite/native/Linux/x86_64 "$OUT/input/native"
    SQLITE_LIB=libsqlitejdbc.so ;;
  macos)
    unpack "$PTY4J" resources/com/pty4j/native/darwin "$OUT/input/native/pty4j/darwin"
    [ "$(uname -m)" = arm64 ] && { JNA_DIR=darwin-aarch64 SQLITE_DIR=Mac/aarch64; } || { JNA_DIR=darwin-x86-64 SQLITE_DIR=Mac/x86_64; }
    unpack "$JNA" com/sun/jna/$JNA_DIR "$OUT/input/native"
    unpack "$SQLITE" org/sqlite/native/$SQLITE_DIR "$OUT/input/native"
    SQLITE_LIB=libsqlitejdbc.dylib ;;
  windows)
    unpack "$PTY4J" resources/com/pty4j/native/win/x86-64 "$OUT/input/native/pty4j/win/x86-64"
    unpack "$JNA" com/sun/jna/win32-x86-64 "$OUT/input/native"
    unpack "$SQLITE" org/sqlite/native/Windows/x86_64 "$OUT/input/native"
    SQLITE_LIB=sqlitejdbc.dll ;;
esac
# JavaFX's own libraries. Its loader tries the module's resources first and extracts what it finds
# there to ~/.openjfx; so the libraries move out of the javafx.graphics jar that jlink links, and
# it falls back to System.loadLibrary, which finds them on java.library.path ($APPDIR/native).
JFX_GRAPHICS=$OUT/jfx/javafx-graphics-$JFX_VERSION-$JFX_CLASSIFIER.jar
JFX_NATIVE=$OUT/jfx-graphics
mkdir -p "$JFX_NATIVE"
(cd "$JFX_NATIVE" && "$JBIN/jar" xf "$JFX_GRAPHICS")
find "$JFX_NATIVE" -maxdepth 1 -type f \( -name '*.so' -o -name '*.dylib' -o -name '*.dll' \) -exec mv {} "$OUT/input/native/" \;
ls "$OUT/input/native" | grep -Eq 'glass' || die "no JavaFX glass library found in javafx-graphics-$JFX_CLASSIFIER"
rm "$JFX_GRAPHICS"
"$JBIN/jar" --create --file "$JFX_GRAPHICS" --manifest "$JFX_NATIVE/META-INF/MANIFEST.MF" -C "$JFX_NATIVE" .
rm -rf "$JFX_NATIVE"

# --- 3. the runtime's modules: what jdeps finds, plus what is only reached by reflection ---------
[ "$OS" = windows ] && SEP=';' || SEP=':'
CLASSPATH_JARS=$(ls "$OUT"/input/*.jar | grep -v '/control-room.jar$' | tr '\n' "$SEP")
MODULES=$("$JBIN/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 \
  --module-path "$OUT/jfx" --class-path "$CLASSPATH_JARS" "$OUT/input/control-room.jar" 2>"$OUT/jdeps.log" || true)
[ -n "$MODULES" ] || die "jdeps could not list the modules"
MODULES="$MODULES,javafx.controls,javafx.fxml,jdk.jfr,java.desktop,java.sql,java.naming,java.management,jdk.unsupported,jdk.zipfs,jdk.localedata,jdk.crypto.cryptoki"
log "modules: $MODULES"

# --- 4. the app image ----------------------------------------------------------------------------
log "jpackage --type app-image"
# No --strip-native-commands among the jlink options: on Linux, packaging/linux/launcher.sh starts runtime/bin/java.
"$JBIN/jpackage" --type app-image @packaging/jpackage.args @packaging/$OS/jpackage.args \
  --name "$NAME" --app-version "$VERSION" \
  --input "$OUT/input" --module-path "$OUT/jfx" --add-modules "$MODULES" \
  --java-options "-Dorg.sqlite.lib.name=$SQLITE_LIB" \
  --jlink-options "--strip-debug --no-man-pages --no-header-files --generate-cds-archive" \
  --dest "$OUT/image"

case "$OS" in
  linux) IMAGE="$OUT/image/$NAME" LAUNCHER="$IMAGE/bin/$NAME" CFG="$IMAGE/lib/app/$NAME.cfg" APPDIR="$IMAGE/lib/app" ;;
  macos) IMAGE="$OUT/image/$NAME.app" LAUNCHER="$IMAGE/Contents/MacOS/$NAME" CFG="$IMAGE/Contents/app/$NAME.cfg" APPDIR="$IMAGE/Contents/app" ;;
  windows) IMAGE="$OUT/image/$NAME" LAUNCHER="$IMAGE/$NAME.exe" CFG="$IMAGE/app/$NAME.cfg" APPDIR="$IMAGE/app" ;;
esac
[ -x "$LAUNCHER" ] || die "jpackage made no launcher at $LAUNCHER"
if [ "$OS" = linux ]; then
  cp packaging/icons/control-room-256.png "$IMAGE/lib/control-room.png"
  # jpackage's Linux launcher asks rpm and dpkg which package owns it at every start before it starts
  # the JVM (0.1-0.5 s); this script starts the same JVM from the same .cfg without asking.
  [ -x "$IMAGE/lib/runtime/bin/java" ] || die "the runtime has no bin/java for packaging/linux/launcher.sh"
  cp packaging/linux/launcher.sh "$LAUNCHER" && chmod 755 "$LAUNCHER"
fi

# --- 5. start-up: train the JDK 25 AOT cache in the image (record, then create) -----------------
# The launcher reads its JVM options from the .cfg; training runs the packaged app itself through
# a smoke start (window shown with data, then exit) on a throwaway database.
cfg_with() { # extra java-options lines, put first under [JavaOptions]
  EXTRA="$(printf '%s\n' "$@")" awk '{ print } /^\[JavaOptions\]/ {
      n = split(ENVIRON["EXTRA"], lines, "\n"); for (i = 1; i <= n; i++) if (lines[i] != "") print "java-options=" lines[i] }' \
    "$CFG.orig" > "$CFG"
}
if [ "$AOT" = 1 ]; then
  cp "$CFG" "$CFG.orig"
  TRAIN=$(mktemp -d)
  XVFB_PID=""
  if [ "$OS" = linux ] && [ -z "${DISPLAY:-}" ]; then
    command -v Xvfb >/dev/null || die "training the AOT cache needs a display: set DISPLAY or install xvfb (or pass --no-aot)"
    exec 3< <(Xvfb -displayfd 1 -screen 0 1600x1000x24 -nolisten tcp 2>/dev/null & echo "pid $!")
    read -r _ XVFB_PID <&3; read -r DISPLAY_NUMBER <&3
    export DISPLAY=":$DISPLAY_NUMBER"
    log "started Xvfb on $DISPLAY for the training run"
  fi
  cleanup_train() { [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null; rm -rf "$TRAIN"; }
  trap cleanup_train EXIT
  log "AOT: seeding a training database"
  "$LAUNCHER" --db "$TRAIN/cr.db" --smoke >"$TRAIN/seed.log" 2>&1 || { cat "$TRAIN/seed.log"; die "the packaged app did not start"; }
  log "AOT: recording a start"
  cfg_with '-XX:AOTMode=record' '-XX:AOTConfiguration=$APPDIR/app.aotconf'
  "$LAUNCHER" --db "$TRAIN/cr.db" --smoke >"$TRAIN/record.log" 2>&1 || { cat "$TRAIN/record.log"; die "the recording start failed"; }
  log "AOT: creating the cache"
  cfg_with '-XX:AOTMode=create' '-XX:AOTConfiguration=$APPDIR/app.aotconf' '-XX:AOTCache=$APPDIR/app.aot'
  "$LAUNCHER" --db "$TRAIN/cr.db" --smoke >"$TRAIN/create.log" 2>&1 || { cat "$TRAIN/create.log"; die "creating the AOT cache failed"; }
  [ -s "$APPDIR/app.aot" ] || { cat "$TRAIN/create.log"; die "no AOT cache was written"; }
  rm -f "$APPDIR/app.aotconf"
  cfg_with '-XX:AOTCache=$APPDIR/app.aot'
  rm -f "$CFG.orig"
  log "AOT: cache of $(du -h "$APPDIR/app.aot" | cut -f1) shipped as \$APPDIR/app.aot"
  cleanup_train; trap - EXIT
fi

# --- 6. macOS: sign the finished image (after the cache was added) when an identity is given -----
if [ "$OS" = macos ] && [ -n "${MAC_SIGNING_IDENTITY:-}" ]; then
  log "signing $IMAGE as $MAC_SIGNING_IDENTITY"
  codesign --force --deep --timestamp --options runtime --entitlements packaging/macos/entitlements.plist \
    ${MAC_SIGNING_KEYCHAIN:+--keychain "$MAC_SIGNING_KEYCHAIN"} --sign "$MAC_SIGNING_IDENTITY" "$IMAGE"
fi
log "app image: $IMAGE (launcher $LAUNCHER)"

# --- 7. the installer, from the finished image ---------------------------------------------------
[ "$INSTALLER" = 1 ] || exit 0
case "$OS" in
  linux)
    command -v dpkg-deb >/dev/null && command -v fakeroot >/dev/null || die "the .deb needs dpkg-deb and fakeroot (apt-get install dpkg-dev fakeroot)"
    "$JBIN/jpackage" --type deb --app-image "$IMAGE" --name "$NAME" --app-version "$VERSION" \
      @packaging/linux/deb.args --description "Run a team of AI coding agents from one window" \
      --vendor "Control Room" --dest "$OUT" --temp "$OUT/deb-temp"
    # jpackage's copy stamps every file with the time of the copy, and the JVM then rejects the AOT
    # cache ("timestamp has changed"): the files get the image's times back and the .deb is packed again.
    cp -a "$IMAGE/." "$OUT/deb-temp/image/opt/$NAME/"
    DEB=$(ls "$OUT"/*.deb)
    fakeroot dpkg-deb --build "$OUT/deb-temp/image" "$DEB" >/dev/null
    rm -rf "$OUT/deb-temp" ;;
  macos)
    "$JBIN/jpackage" --type dmg --app-image "$IMAGE" --name "$NAME" --app-version "$VERSION" \
      ${MAC_SIGNING_IDENTITY:+--mac-sign --mac-signing-key-user-name "$MAC_SIGNING_IDENTITY"} \
      ${MAC_SIGNING_KEYCHAIN:+--mac-signing-keychain "$MAC_SIGNING_KEYCHAIN"} --dest "$OUT" ;;
  windows)
    "$JBIN/jpackage" --type msi --app-image "$IMAGE" --name "$NAME" --app-version "$VERSION" \
      @packaging/windows/jpackage.args --dest "$OUT"
    if [ -n "${WINDOWS_SIGN_PFX:-}" ]; then
      signtool sign /f "$WINDOWS_SIGN_PFX" /p "${WINDOWS_SIGN_PASSWORD:?set WINDOWS_SIGN_PASSWORD}" /fd sha256 \
        ${WINDOWS_SIGN_TIMESTAMP_URL:+/tr "$WINDOWS_SIGN_TIMESTAMP_URL" /td sha256} "$OUT"/*.msi
    fi ;;
esac
log "installer: $(ls "$OUT"/*.deb "$OUT"/*.dmg "$OUT"/*.msi 2>/dev/null | head -n 1)"
