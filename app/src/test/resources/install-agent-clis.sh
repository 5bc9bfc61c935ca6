#!/usr/bin/env bash
# Installs the real agent CLIs that the RealCli* and Real*RunTest tests run, into the folder the
# tests' AgentClis uses (same versions: AgentClisTest checks they match). Skips the install when
# every binary is there and reports its pinned version.
#   usage: install-agent-clis.sh [DIR]   (default: $CONTROLROOM_CLI_CACHE or ~/.cache/control-room-test/npm)
set -euo pipefail

CLAUDE_CODE_VERSION=2.1.197
CODEX_VERSION=0.169.0
GEMINI_CLI_VERSION=0.61.0
OPENCODE_VERSION=1.18.33
# The newest Qwen Code that accepts Node 20 (0.21 and later need Node 22).
QWEN_CODE_VERSION=0.15.10

dir="${1:-${CONTROLROOM_CLI_CACHE:-$HOME/.cache/control-room-test/npm}}"
bin="$dir/node_modules/.bin"

reports() { # executable expected-version
  [ -x "$1" ] && "$1" --version </dev/null 2>/dev/null | grep -qF "$2"
}

all_there() {
  reports "$bin/claude" "$CLAUDE_CODE_VERSION" && reports "$bin/codex" "$CODEX_VERSION" \
    && reports "$bin/gemini" "$GEMINI_CLI_VERSION" && reports "$bin/opencode" "$OPENCODE_VERSION" \
    && reports "$bin/qwen" "$QWEN_CODE_VERSION"
}

if all_there; then
  echo "[agent-clis] claude $CLAUDE_CODE_VERSION, codex $CODEX_VERSION, gemini $GEMINI_CLI_VERSION," \
    "opencode $OPENCODE_VERSION and qwen $QWEN_CODE_VERSION already in $dir"
  exit 0
fi

command -v npm >/dev/null || { echo "[agent-clis] npm not found: install Node.js 20+ and npm" >&2; exit 1; }
mkdir -p "$dir"
echo "[agent-clis] installing claude-code $CLAUDE_CODE_VERSION, codex $CODEX_VERSION, gemini-cli $GEMINI_CLI_VERSION," \
  "opencode $OPENCODE_VERSION and qwen-code $QWEN_CODE_VERSION into $dir"
npm install --prefix "$dir" --no-audit --no-fund \
  "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION" "@openai/codex@$CODEX_VERSION" \
  "@google/gemini-cli@$GEMINI_CLI_VERSION" "opencode-ai@$OPENCODE_VERSION" "@qwen-code/qwen-code@$QWEN_CODE_VERSION"
for check in "claude $CLAUDE_CODE_VERSION" "codex $CODEX_VERSION" "gemini $GEMINI_CLI_VERSION" \
    "opencode $OPENCODE_VERSION" "qwen $QWEN_CODE_VERSION"; do
  set -- $check
  reports "$bin/$1" "$2" || { echo "[agent-clis] $1 does not report $2" >&2; exit 1; }
done
