#!/usr/bin/env bash
# Installs the real agent CLIs that the RealCli* tests run, into the folder the tests' AgentClis
# uses (same versions: AgentClisTest checks they match). Skips the install when both binaries are
# there and report the pinned versions.
#   usage: install-agent-clis.sh [DIR]   (default: $CONTROLROOM_CLI_CACHE or ~/.cache/control-room-test/npm)
set -euo pipefail

CLAUDE_CODE_VERSION=2.1.197
CODEX_VERSION=0.169.0

dir="${1:-${CONTROLROOM_CLI_CACHE:-$HOME/.cache/control-room-test/npm}}"
bin="$dir/node_modules/.bin"

reports() { # executable expected-version
  [ -x "$1" ] && "$1" --version </dev/null 2>/dev/null | grep -qF "$2"
}

if reports "$bin/claude" "$CLAUDE_CODE_VERSION" && reports "$bin/codex" "$CODEX_VERSION"; then
  echo "[agent-clis] claude $CLAUDE_CODE_VERSION and codex $CODEX_VERSION already in $dir"
  exit 0
fi

command -v npm >/dev/null || { echo "[agent-clis] npm not found: install Node.js 20+ and npm" >&2; exit 1; }
mkdir -p "$dir"
echo "[agent-clis] installing claude-code $CLAUDE_CODE_VERSION and codex $CODEX_VERSION into $dir"
npm install --prefix "$dir" --no-audit --no-fund \
  "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION" "@openai/codex@$CODEX_VERSION"
reports "$bin/claude" "$CLAUDE_CODE_VERSION" || { echo "[agent-clis] claude does not report $CLAUDE_CODE_VERSION" >&2; exit 1; }
reports "$bin/codex" "$CODEX_VERSION" || { echo "[agent-clis] codex does not report $CODEX_VERSION" >&2; exit 1; }
