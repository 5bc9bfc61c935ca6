# Sourced by ./mvnw. Control Room needs JDK 25 or newer; when JAVA_HOME is unset or points at an
# older JDK, pick an installed JDK 25+ from the usual places so `./mvnw ...` works out of the box.
cr_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1
}
cr_ok() { [ -x "$1/bin/java" ] && [ "$(cr_java_major "$1")" -ge 25 ] 2>/dev/null; }
if [ -n "${JAVA_HOME-}" ] && cr_ok "$JAVA_HOME"; then
  :
elif [ -z "${JAVA_HOME-}" ] && command -v java >/dev/null 2>&1 &&
  cr_ok "$(dirname "$(dirname "$(readlink -f "$(command -v java)" 2>/dev/null || command -v java)")")"; then
  :
else
  # ./mvnw runs with globbing off; the candidates below are globs.
  cr_noglob=false
  case $- in *f*) cr_noglob=true ;; esac
  set +f
  for cr_candidate in /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /Library/Java/JavaVirtualMachines/*2[5-9]*/Contents/Home "$HOME"/.sdkman/candidates/java/2[5-9]*; do
    if cr_ok "$cr_candidate"; then
      JAVA_HOME="$cr_candidate"
      export JAVA_HOME
      break
    fi
  done
  if $cr_noglob; then set -f; fi
fi
