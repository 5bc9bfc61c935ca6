#!/bin/sh
# Control Room's launcher on Linux: package.sh puts it in place of jpackage's native bin/<name>.
# It starts the image's own JVM with what jpackage's launcher would pass: the class path, main class
# and java-options of lib/app/<name>.cfg ($APPDIR, $BINDIR and $ROOTDIR expanded), the arguments,
# and -Djpackage.app-path. The .cfg stays the one place for JVM options (the AOT cache among them).
# Why: jpackage's native launcher asks rpm and then dpkg which package owns it, twice, at every start
# (rpm -qf, dpkg -S, and dpkg -L when installed from the .deb), before the JVM even starts: four to
# six package-manager commands, 0.1 to 0.5 s of a start that should take well under a second.
self=$(readlink -f -- "$0") || self=$0
BINDIR=${self%/*}
ROOTDIR=${BINDIR%/*}
APPDIR=$ROOTDIR/lib/app
name=${self##*/}
cfg=$APPDIR/$name.cfg
[ -r "$cfg" ] || { echo "$name: cannot read $cfg" >&2; exit 1; }

expand() { # the value with $APPDIR, $BINDIR and $ROOTDIR replaced, into $value
  value=$1
  for token in APPDIR BINDIR ROOTDIR; do
    eval "dir=\$$token"
    while :; do
      case $value in
        *"\$$token"*) value=${value%%"\$$token"*}$dir${value#*"\$$token"} ;;
        *) break ;;
      esac
    done
  done
}

# The arguments stay first in "$@" while the JVM's are appended; then they are rotated to the end.
count=$#
classpath=
main=
section=
while IFS= read -r line || [ -n "$line" ]; do
  case $line in
    '['*']') section=$line ;;
    app.classpath=*) expand "${line#app.classpath=}"; classpath=${classpath:+$classpath:}$value ;;
    app.mainclass=*) main=${line#app.mainclass=} ;;
    java-options=*) [ "$section" = "[JavaOptions]" ] && { expand "${line#java-options=}"; set -- "$@" "$value"; } ;;
  esac
done < "$cfg"
[ -n "$main" ] || { echo "$name: no app.mainclass in $cfg" >&2; exit 1; }
set -- "$@" "-Djpackage.app-path=$self" -classpath "$classpath" "$main"
while [ "$count" -gt 0 ]; do
  set -- "$@" "$1"
  shift
  count=$((count - 1))
done
exec "$ROOTDIR/lib/runtime/bin/java" "$@"
