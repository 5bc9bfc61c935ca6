#!/usr/bin/env bash
# Takes the screenshots in this folder: a real run (shell tasks + the real Claude Code CLI against a
# loopback mock of the Messages API) in the real window under Xvfb, every pane saved on its own.
# Needs: xvfb, the test CLIs (app/src/test/resources/install-agent-clis.sh), a built project.
set -euo pipefail
cd "$(dirname "$0")/../.."
display=${TOUR_DISPLAY:-:77}
./mvnw -q -o test-compile
./mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/tour-classpath.txt
Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
source .mvn/select-jdk.sh >/dev/null 2>&1 || true
DISPLAY="$display" "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "target/classes:target/test-classes:$(cat target/tour-classpath.txt)" \
  dev.controlroom.ui.ScreenshotTour docs/screenshots
# The "disk full" banner: the window over a database on a small tmpfs that fills up (needs root to mount).
DISPLAY="$display" "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "target/classes:target/test-classes:$(cat target/tour-classpath.txt)" \
  dev.controlroom.ui.DiskFullScreenshot docs/screenshots
